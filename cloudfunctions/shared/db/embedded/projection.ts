// Find projections: inclusion and exclusion trees done here, projection operators and expressions delegated to mingo.
import { Query } from 'mingo';
import { serverError } from './errors';
import { keyOf } from './keys';
import { splitPath } from './paths';
import { cloneValue, isPlainObject, type Doc } from './values';

export type Projector = (doc: Doc) => Doc;

interface Tree {
  [field: string]: true | Tree;
}

const cache = new Map<string, Projector | null>();

/** Null means "the whole document". The result may share sub-documents with the input: clone before handing out. */
export function compileProjection(spec: unknown): Projector | null {
  if (spec === undefined || spec === null) return null;
  if (!isPlainObject(spec)) throw serverError('BadValue', 'projection must be an object');
  const key = keyOf(spec);
  let projector = cache.get(key);
  if (projector === undefined) {
    projector = build(cloneValue(spec) as Doc);
    if (cache.size > 500) cache.clear();
    cache.set(key, projector);
  }
  return projector;
}

function build(spec: Doc): Projector | null {
  const fields = Object.keys(spec);
  if (fields.length === 0) return null;
  if (fields.some((field) => !isFlag(spec[field]))) {
    const query = new Query({});
    return (doc) => query.find([doc], spec).next() as Doc;
  }
  const keepId = !('_id' in spec) || Boolean(spec._id);
  const others = fields.filter((field) => field !== '_id');
  const including = others.length > 0 ? Boolean(spec[others[0]]) : !keepId ? false : true;
  for (const field of others) {
    if (Boolean(spec[field]) !== including) {
      const code = including ? 31254 : 31253;
      const message = including ? `Cannot do exclusion on field ${field} in inclusion projection` : `Cannot do inclusion on field ${field} in exclusion projection`;
      throw Object.assign(serverError('BadValue', message), { code });
    }
  }
  const tree = toTree(others);
  if (including) {
    if (keepId) tree._id = true;
    return (doc) => include(doc, tree);
  }
  if (!keepId) tree._id = true;
  return (doc) => exclude(doc, tree);
}

function isFlag(value: unknown): boolean {
  return typeof value === 'boolean' || typeof value === 'number';
}

function toTree(fields: string[]): Tree {
  const tree: Tree = {};
  for (const field of fields) {
    const path = splitPath(field);
    let node = tree;
    for (let i = 0; i < path.length; i++) {
      const existing = node[path[i]];
      if (existing === true || (i === path.length - 1 && existing !== undefined)) {
        throw Object.assign(serverError('BadValue', `Path collision at ${field}`), { code: 31249 });
      }
      if (i === path.length - 1) node[path[i]] = true;
      else node = (node[path[i]] ??= {}) as Tree;
    }
  }
  return tree;
}

function include(doc: Doc, tree: Tree): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const rule = tree[key];
    if (rule === undefined) continue;
    const value = doc[key];
    if (rule === true) out[key] = value;
    else if (isPlainObject(value)) out[key] = include(value, rule);
    else if (Array.isArray(value)) out[key] = includeArray(value, rule);
  }
  return out;
}

function includeArray(values: unknown[], tree: Tree): unknown[] {
  const out: unknown[] = [];
  for (const value of values) {
    if (isPlainObject(value)) out.push(include(value, tree));
    else if (Array.isArray(value)) out.push(includeArray(value, tree));
  }
  return out;
}

function exclude(doc: Doc, tree: Tree): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const rule = tree[key];
    const value = doc[key];
    if (rule === true) continue;
    if (rule === undefined) out[key] = value;
    else if (isPlainObject(value)) out[key] = exclude(value, rule);
    else if (Array.isArray(value)) out[key] = value.map((item) => (isPlainObject(item) ? exclude(item, rule) : item));
    else out[key] = value;
  }
  return out;
}
