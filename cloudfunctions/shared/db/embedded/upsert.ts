// The document an upsert inserts: equality fields of the filter, then the update applied as an insert.
import { ObjectId } from 'mongodb';
import { serverError } from './errors';
import { applyUpdate, replacementFor, type CompiledUpdate } from './update';
import { splitPath } from './paths';
import { cloneValue, isOperatorObject, isPlainObject, type Doc } from './values';

function setPath(target: Doc, field: string, value: unknown): void {
  const path = splitPath(field);
  let current = target;
  for (let i = 0; i < path.length - 1; i++) {
    const next = current[path[i]];
    if (next === undefined) current = current[path[i]] = {};
    else if (isPlainObject(next)) current = next;
    else throw serverError('PathNotViable', `cannot infer query fields to set, path '${field}' is matched twice`);
  }
  current[path[path.length - 1]] = cloneValue(value);
}

/** Equality predicates (`{a: 1}`, `{a: {$eq: 1}}`, `{a: {$in: [1]}}`, inside `$and` too) become fields, as in MongoDB. */
export function seedFromFilter(filter: Doc | undefined, seed: Doc = {}): Doc {
  if (!filter) return seed;
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) seedFromFilter(clause, seed);
      continue;
    }
    if (key.startsWith('$') || value instanceof RegExp) continue;
    if (isOperatorObject(value)) {
      if ('$eq' in value) setPath(seed, key, value.$eq);
      else if (Array.isArray(value.$in) && value.$in.length === 1 && !(value.$in[0] instanceof RegExp)) setPath(seed, key, value.$in[0]);
      continue;
    }
    setPath(seed, key, value);
  }
  return seed;
}

function idFirst(doc: Doc): Doc {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}

export function upsertDocument(filter: Doc | undefined, update: CompiledUpdate): Doc {
  return idFirst(applyUpdate(seedFromFilter(filter), update, true)!);
}

/** A replacement upsert keeps only the filter's _id (other filter fields are not copied), like MongoDB. */
export function upsertReplacement(filter: Doc | undefined, replacement: Doc): Doc {
  const seeded = seedFromFilter(filter);
  const id = replacement._id !== undefined ? replacement._id : seeded._id !== undefined ? seeded._id : new ObjectId();
  return replacementFor({ _id: id }, replacement);
}
