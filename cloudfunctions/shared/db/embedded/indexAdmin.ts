// Index definitions as the server handles them: options checked, creation idempotent, conflicts reported with MongoDB's codes.
import type { CollectionState } from './CollectionState';
import { EmbeddedUnsupportedError, serverError } from './errors';
import { defaultIndexName, normalizeKeyPattern, type IndexSpec } from './SecondaryIndex';
import { cloneDoc, isPlainObject, strictEquals, type Doc } from './values';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

/** Options with no effect in-process (build mode, write concern...). Anything else unknown is refused. */
const IGNORED = new Set(['background', 'v', 'session', 'comment', 'writeConcern', 'maxTimeMS', 'commitQuorum', 'timeoutMS']);

export function buildIndexSpec(keySpec: unknown, options: Doc = {}): IndexSpec {
  const key = normalizeKeyPattern(keySpec);
  for (const option of Object.keys(options)) {
    if (['name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds'].includes(option) || IGNORED.has(option)) continue;
    if (option === 'key') continue;
    throw new EmbeddedUnsupportedError(`the index option '${option}'`);
  }
  const name = options.name ?? defaultIndexName(key);
  if (typeof name !== 'string' || name === '') throw serverError('BadValue', 'index name must be a non-empty string');
  const spec: IndexSpec = { v: 2, key, name };
  if (options.unique) spec.unique = true;
  if (options.sparse) spec.sparse = true;
  // Recorded as MongoDB lists it; the embedded store never expires documents itself (callers sweep).
  if (options.expireAfterSeconds !== undefined) {
    if (typeof options.expireAfterSeconds !== 'number' || !Number.isInteger(options.expireAfterSeconds) || options.expireAfterSeconds < 0) {
      throw serverError('BadValue', 'expireAfterSeconds must be a non-negative integer');
    }
    spec.expireAfterSeconds = options.expireAfterSeconds;
  }
  if (options.partialFilterExpression !== undefined) {
    if (!isPlainObject(options.partialFilterExpression)) throw serverError('BadValue', 'partialFilterExpression must be an object');
    checkPartialFilter(options.partialFilterExpression, true);
    spec.partialFilterExpression = cloneDoc(options.partialFilterExpression);
  }
  return spec;
}

/**
 * Operators every supported server accepts on a field in a partial filter: equality, $exists: true,
 * ranges and $type. MongoDB 7.0 also takes $in and $or (and $and below the top level), but older
 * servers (still offered by cloud providers) refuse them, so this store refuses them too.
 */
const PARTIAL_FIELD_OPERATORS = new Set(['$eq', '$gt', '$gte', '$lt', '$lte', '$type', '$exists']);

/**
 * Refuses what a server refuses in a partialFilterExpression ($ne, $nin, $not, $regex, $nor, $exists: false,
 * $elemMatch, $in, $or...), with its code, so an index that builds here cannot fail to build at deployment.
 */
function checkPartialFilter(filter: Doc, topLevel: boolean): void {
  const refuse = (what: string) => serverError('CannotCreateIndex', `Error in specification :: caused by :: Expression not supported in partial index: ${what}`);
  for (const [key, value] of Object.entries(filter)) {
    if (key === '$and') {
      if (!topLevel || !Array.isArray(value) || value.length === 0) throw refuse(key);
      for (const clause of value) {
        if (!isPlainObject(clause)) throw refuse(key);
        checkPartialFilter(clause, false);
      }
      continue;
    }
    if (key.startsWith('$')) throw refuse(key);
    if (value instanceof RegExp) throw refuse(`${key} $regex`);
    if (!isPlainObject(value) || !Object.keys(value).some((name) => name.startsWith('$'))) continue; // equality
    for (const [operator, argument] of Object.entries(value)) {
      if (!PARTIAL_FIELD_OPERATORS.has(operator)) throw refuse(`${key} ${operator}`);
      if (operator === '$exists' && !argument) throw refuse(`${key} $exists: false`);
      if (argument instanceof RegExp) throw refuse(`${key} $regex`);
    }
  }
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    Boolean(a.unique) === Boolean(b.unique) &&
    Boolean(a.sparse) === Boolean(b.sparse) &&
    (a.expireAfterSeconds ?? null) === (b.expireAfterSeconds ?? null) &&
    strictEquals(a.partialFilterExpression ?? null, b.partialFilterExpression ?? null)
  );
}

/** The index name; re-creating an identical index is a no-op, as on a server. */
export function createIndexOn(state: CollectionState, spec: IndexSpec): string {
  if (strictEquals(spec.key, ID_INDEX.key) && !spec.partialFilterExpression && !spec.sparse) return ID_INDEX.name;
  const existing = state.indexSpecs();
  const sameName = existing.find((index) => index.name === spec.name) ?? (spec.name === ID_INDEX.name ? ID_INDEX : undefined);
  if (sameName) {
    if (strictEquals(sameName.key, spec.key) && sameOptions(sameName, spec)) return spec.name;
    throw serverError(
      'IndexKeySpecsConflict',
      `An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName)}`,
    );
  }
  const sameKey = existing.find(
    (index) => strictEquals(index.key, spec.key) && strictEquals(index.partialFilterExpression ?? null, spec.partialFilterExpression ?? null),
  );
  if (sameKey) {
    const message = sameOptions(sameKey, spec)
      ? `Index already exists with a different name: ${sameKey.name}`
      : `Index with name: ${sameKey.name} already exists with different options`;
    throw serverError('IndexOptionsConflict', message);
  }
  state.createIndex(spec);
  return spec.name;
}

export function listIndexSpecs(state: CollectionState | undefined, namespace: string): IndexSpec[] {
  if (!state) throw serverError('NamespaceNotFound', `ns does not exist: ${namespace}`);
  return [ID_INDEX, ...state.indexSpecs()].map((spec) => cloneDoc(spec as unknown as Doc) as unknown as IndexSpec);
}

export function dropIndexOn(state: CollectionState | undefined, namespace: string, nameOrKey: unknown): Doc {
  if (!state) throw serverError('NamespaceNotFound', `ns not found ${namespace}`);
  const specs = state.indexSpecs();
  const name =
    typeof nameOrKey === 'string' ? nameOrKey : specs.find((spec) => strictEquals(spec.key, normalizeKeyPattern(nameOrKey)))?.name;
  if (name === ID_INDEX.name || (name === undefined && strictEquals(normalizeKeyPattern(nameOrKey), ID_INDEX.key))) {
    throw serverError('InvalidOptions', 'cannot drop _id index');
  }
  if (name === undefined || !specs.some((spec) => spec.name === name)) {
    throw serverError('IndexNotFound', `index not found with name [${typeof nameOrKey === 'string' ? nameOrKey : JSON.stringify(nameOrKey)}]`);
  }
  state.dropIndex(name);
  return { nIndexesWas: specs.length + 1, ok: 1 };
}
