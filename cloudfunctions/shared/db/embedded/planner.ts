// Picks the documents a query must examine: by _id, by an index whose fields the filter fixes, or all of them.
import type { Index } from './SecondaryIndex';
import type { IndexSet } from './IndexSet';
import { keyOf } from './keys';
import { isOperatorObject, isPlainObject, type Doc } from './values';

export interface Plan {
  /** `_id_`, a secondary index name, or null for a full scan. */
  index: string | null;
  /** Candidate documents (a superset of the matches), or null to scan every document. */
  docs: Doc[] | null;
}

export interface Plannable {
  docs: Map<string, Doc>;
  indexes: IndexSet;
}

const MAX_COMBINATIONS = 1000;

function usable(value: unknown): boolean {
  return !Array.isArray(value) && !(value instanceof RegExp) && !isOperatorObject(value);
}

/** Field -> the values an equality (`v`, `{$eq: v}`, `{$in: [...]}`) allows, from the top level and `$and`. */
function equalities(filter: Doc, out: Map<string, unknown[]>): Map<string, unknown[]> {
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (key.charCodeAt(0) === 36) {
      if (key === '$and' && Array.isArray(value)) for (const clause of value) if (isPlainObject(clause)) equalities(clause, out);
      continue;
    }
    if (out.has(key)) continue; // another constraint on the same field: either one gives a superset
    if (!isOperatorObject(value)) {
      if (usable(value)) out.set(key, [value === undefined ? null : value]);
    } else if ('$eq' in value) {
      if (usable(value.$eq)) out.set(key, [value.$eq === undefined ? null : value.$eq]);
    } else if (Array.isArray(value.$in) && value.$in.every(usable)) {
      out.set(key, value.$in.map((item) => (item === undefined ? null : item)));
    }
  }
  return out;
}

function combinations(lists: unknown[][]): unknown[][] | null {
  if (lists.length === 1) return lists[0].map((value) => [value]);
  let out: unknown[][] = [[]];
  for (const list of lists) {
    if (out.length * list.length > MAX_COMBINATIONS) return null;
    out = out.flatMap((prefix) => list.map((value) => [...prefix, value]));
  }
  return out;
}

function byId(target: Plannable, values: unknown[]): Doc[] {
  if (values.length === 1) {
    const doc = target.docs.get(keyOf(values[0]));
    return doc ? [doc] : [];
  }
  const seen = new Set<string>();
  const docs: Doc[] = [];
  for (const value of values) {
    const key = keyOf(value);
    if (seen.has(key)) continue;
    seen.add(key);
    const doc = target.docs.get(key);
    if (doc) docs.push(doc);
  }
  return docs;
}

interface Choice {
  index: Index;
  buckets: Set<string>[];
  cost: number;
}

function choose(index: Index, combos: unknown[][], prefix: boolean): Choice {
  const buckets: Set<string>[] = [];
  let cost = index.unsure.size;
  for (const combo of combos) {
    const bucket = prefix ? index.prefixBuckets.get(index.prefixKeyFor(combo)) : index.buckets.get(index.keyFor(combo));
    if (bucket) {
      buckets.push(bucket);
      cost += bucket.size;
    }
  }
  return { index, buckets, cost };
}

function candidates(target: Plannable, choice: Choice): Doc[] {
  const docs: Doc[] = [];
  const { buckets, index } = choice;
  if (buckets.length <= 1 && index.unsure.size === 0) {
    for (const id of buckets[0] ?? []) docs.push(target.docs.get(id)!);
    return docs;
  }
  const ids = new Set<string>();
  for (const bucket of buckets) for (const id of bucket) ids.add(id);
  for (const id of index.unsure) ids.add(id);
  for (const id of ids) docs.push(target.docs.get(id)!);
  return docs;
}

export function planQuery(target: Plannable, filter: Doc | undefined): Plan {
  if (!filter) return { index: null, docs: null };
  const fixed = equalities(filter, new Map());
  if (fixed.size === 0) return { index: null, docs: null };
  const ids = fixed.get('_id');
  if (ids) return { index: '_id_', docs: byId(target, ids) };
  let best: Choice | null = null;
  for (const index of target.indexes.all()) {
    // The leading fields the filter fixes; a compound index serves a prefix of its fields (not a partial or sparse one).
    let lists = index.fields.map((field) => fixed.get(field));
    const fixedLength = lists.findIndex((list) => list === undefined);
    const prefix = fixedLength !== -1;
    if (fixedLength === 0 || (prefix && index.selective)) continue;
    if (prefix) lists = lists.slice(0, fixedLength);
    const combos = combinations(lists as unknown[][]);
    if (!combos || (index.selective && !combos.every((combo) => index.covers(combo)))) continue;
    const choice = choose(index, combos, prefix);
    if (!best || choice.cost < best.cost || (choice.cost === best.cost && index.fields.length > best.index.fields.length)) best = choice;
  }
  if (!best) return { index: null, docs: null };
  return { index: best.index.name, docs: candidates(target, best) };
}
