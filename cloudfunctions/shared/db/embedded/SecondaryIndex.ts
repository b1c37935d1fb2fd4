// One secondary index: the keys a document contributes (multikey, sparse, partial) and the key -> ids buckets.
import { EmbeddedUnsupportedError, serverError } from './errors';
import { compoundKey, keyOf } from './keys';
import { compileFilter, type Matcher } from './matcher';
import { scanPath, splitPath } from './paths';
import { cloneValue, isPlainObject, strictEquals, type Doc } from './values';

export interface IndexSpec {
  v: 2;
  key: Record<string, 1 | -1>;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  /** A TTL index's option, kept so listIndexes matches MongoDB; expiry itself is the caller's sweep. */
  expireAfterSeconds?: number;
}

/** What one document contributes to an index. */
export interface Entry {
  /** Distinct keys under which the document is indexed (none when sparse/partial leave it out). */
  keys: string[];
  /** The field values behind each key, for duplicate-key errors. */
  values: unknown[][];
  /** Always returned as a candidate: an array on the path makes equality semantics too subtle for buckets alone. */
  unsure: boolean;
  /** Keys of the leading fields (1 to n-1 of them) of a compound index, so a query fixing only a prefix can use it. */
  prefixes: string[];
}

const EMPTY_ARRAY_KEY = 'u';
const MAX_KEYS_PER_DOC = 10_000;

export function defaultIndexName(key: Record<string, number>): string {
  return Object.keys(key)
    .map((field) => `${field}_${key[field]}`)
    .join('_');
}

/** The index key pattern from `{a: 1}`, `'a'`, `[['a', 1]]` or `['a', 'b']`, refusing kinds this store cannot do. */
export function normalizeKeyPattern(spec: unknown): Record<string, 1 | -1> {
  let entries: Array<[string, unknown]>;
  if (typeof spec === 'string') entries = [[spec, 1]];
  else if (Array.isArray(spec)) entries = spec.map((item) => (typeof item === 'string' ? [item, 1] : (item as [string, unknown])));
  else if (spec instanceof Map) entries = [...spec.entries()] as Array<[string, unknown]>;
  else if (isPlainObject(spec)) entries = Object.entries(spec);
  else throw serverError('BadValue', 'index key pattern must be an object');
  if (entries.length === 0) throw serverError('BadValue', 'Index keys cannot be empty.');
  const key: Record<string, 1 | -1> = {};
  for (const [field, direction] of entries) {
    if (direction === 1 || direction === -1) key[field] = direction;
    else if (typeof direction === 'string') throw new EmbeddedUnsupportedError(`'${direction}' indexes (field '${field}')`);
    else throw serverError('BadValue', `Values in the index key pattern can only be 1 or -1, got ${String(direction)} for '${field}'`);
  }
  return key;
}

export class Index {
  readonly fields: string[];
  private readonly paths: string[][];
  private readonly partial: Matcher | null;
  /** Fields the partial filter reads; the planner may use the index only if the query fixes all of them. */
  readonly partialFields: string[];
  readonly buckets = new Map<string, Set<string>>();
  /** Compound indexes only: prefix key (see prefixKeyFor) -> ids, as MongoDB uses an index for a prefix of its fields. */
  readonly prefixBuckets = new Map<string, Set<string>>();
  readonly unsure = new Set<string>();

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.paths = this.fields.map(splitPath);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : null;
    this.partialFields = spec.partialFilterExpression ? topLevelFields(spec.partialFilterExpression) : [];
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  get selective(): boolean {
    return this.partial !== null || this.spec.sparse === true;
  }

  entryOf(doc: Doc): Entry {
    const perField: unknown[][] = [];
    let present = false;
    let arrays = 0;
    let unsure = false;
    for (const path of this.paths) {
      const scan = scanPath(doc, path);
      if (scan.throughArray) unsure = true;
      const values: unknown[] = [];
      for (const leaf of scan.leaves) {
        if (!Array.isArray(leaf)) values.push(leaf);
        else if (leaf.length === 0) values.push(EMPTY_ARRAY);
        else {
          arrays++;
          for (const item of leaf) if (!values.some((seen) => strictEquals(seen, item))) values.push(item);
        }
      }
      if (scan.leaves.length > 0) present = true;
      perField.push(values.length > 0 ? values : [null]);
    }
    if (this.partial && (arrays > 0 || unsure)) unsure = true;
    if (arrays > 1 && this.paths.length > 1) {
      throw serverError('CannotIndexParallelArrays', `cannot index parallel arrays [${this.fields.join('] [')}]`);
    }
    const excluded = (this.spec.sparse === true && !present) || (this.partial !== null && !this.partial(doc));
    if (excluded) return { keys: [], values: [], unsure, prefixes: [] };
    const combos = product(perField);
    if (combos.length > MAX_KEYS_PER_DOC) throw serverError('BadValue', `too many index keys for one document in index ${this.name}`);
    const keys: string[] = [];
    const values: unknown[][] = [];
    const prefixes = new Set<string>();
    for (const combo of combos) {
      const parts = combo.map((value) => (value === EMPTY_ARRAY ? EMPTY_ARRAY_KEY : keyOf(value)));
      for (let length = 1; length < parts.length; length++) prefixes.add(prefixKey(parts.slice(0, length)));
      const key = compoundKey(parts);
      if (keys.includes(key)) continue;
      keys.push(key);
      values.push(combo.map((value) => (value === EMPTY_ARRAY ? [] : value)));
    }
    return { keys, values, unsure, prefixes: [...prefixes] };
  }

  /** The first key of `entry` already held by another document, with its values. */
  conflict(id: string, entry: Entry): unknown[] | null {
    for (let i = 0; i < entry.keys.length; i++) {
      const bucket = this.buckets.get(entry.keys[i]);
      if (bucket && bucket.size > (bucket.has(id) ? 1 : 0)) return entry.values[i];
    }
    return null;
  }

  add(id: string, entry: Entry): void {
    addTo(this.buckets, entry.keys, id);
    addTo(this.prefixBuckets, entry.prefixes, id);
    if (entry.unsure) this.unsure.add(id);
  }

  remove(id: string, entry: Entry): void {
    removeFrom(this.buckets, entry.keys, id);
    removeFrom(this.prefixBuckets, entry.prefixes, id);
    if (entry.unsure) this.unsure.delete(id);
  }

  /**
   * Whether every document matching these equality values (one per field) is in the index. Sparse and partial
   * indexes leave documents out, so they serve only non-null values the partial filter provably accepts.
   */
  covers(values: unknown[]): boolean {
    if (!this.selective) return true;
    if (values.some((value) => value === null || value === undefined)) return false;
    if (!this.partial) return true;
    if (!this.partialFields.every((field) => this.fields.includes(field))) return false;
    const synthetic: Doc = {};
    this.paths.forEach((path, i) => {
      let node = synthetic;
      for (let j = 0; j < path.length - 1; j++) node = (node[path[j]] ??= {}) as Doc;
      node[path[path.length - 1]] = values[i];
    });
    return this.partial(synthetic);
  }

  /** Key for a tuple of query values, one per index field. */
  keyFor(values: unknown[]): string {
    return compoundKey(values.map((value) => keyOf(value)));
  }

  /** Key for query values of the first `values.length` fields (fewer than all) of a compound index. */
  prefixKeyFor(values: unknown[]): string {
    return prefixKey(values.map((value) => keyOf(value)));
  }

  keyValue(values: unknown[]): Doc {
    const out: Doc = {};
    this.fields.forEach((field, i) => (out[field] = cloneValue(values[i])));
    return out;
  }
}

const EMPTY_ARRAY = Symbol('empty array');

const prefixKey = (parts: string[]) => `${parts.length}|${compoundKey(parts)}`;

function addTo(buckets: Map<string, Set<string>>, keys: string[], id: string): void {
  for (const key of keys) {
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = new Set()));
    bucket.add(id);
  }
}

function removeFrom(buckets: Map<string, Set<string>>, keys: string[], id: string): void {
  for (const key of keys) {
    const bucket = buckets.get(key);
    if (!bucket) continue;
    bucket.delete(id);
    if (bucket.size === 0) buckets.delete(key);
  }
}

function product(lists: unknown[][]): unknown[][] {
  let out: unknown[][] = [[]];
  for (const list of lists) {
    const next: unknown[][] = [];
    for (const prefix of out) for (const value of list) next.push([...prefix, value]);
    out = next;
  }
  return out;
}

function topLevelFields(filter: Doc): string[] {
  const out: string[] = [];
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (key === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isPlainObject(clause)) out.push(...topLevelFields(clause));
    } else if (key.startsWith('$')) out.push('$'); // $or/$expr...: never satisfiable from equalities alone
    else out.push(key);
  }
  return out;
}

export function sameEntry(a: Entry, b: Entry): boolean {
  if (a.unsure !== b.unsure || a.keys.length !== b.keys.length) return false;
  for (let i = 0; i < a.keys.length; i++) if (a.keys[i] !== b.keys[i]) return false;
  return true;
}
