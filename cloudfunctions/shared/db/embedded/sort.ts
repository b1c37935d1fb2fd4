// Sort specifications in every form the driver accepts, applied with MongoDB's ordering (arrays sort by min/max element).
import { EmbeddedUnsupportedError, serverError } from './errors';
import { expandedValues, splitPath } from './paths';
import { compareValues, isPlainObject, type Doc } from './values';

export type SortSpec = Array<{ path: string[]; direction: 1 | -1 }>;

function direction(value: unknown, field: string): 1 | -1 {
  if (value === 1 || value === 'asc' || value === 'ascending') return 1;
  if (value === -1 || value === 'desc' || value === 'descending') return -1;
  if (isPlainObject(value) && '$meta' in value) throw new EmbeddedUnsupportedError(`sorting by $meta (field '${field}')`);
  throw serverError('BadValue', `Invalid sort direction for field '${field}': ${String(value)}`);
}

const isDirection = (value: unknown) => [1, -1, 'asc', 'desc', 'ascending', 'descending'].includes(value as string);

/** Accepts `{a: 1}`, `'a'`, `['a', 'b']`, `[['a', 1], ['b', -1]]`, `['a', -1]` and `Map`; null means "no sort". */
export function normalizeSort(sort: unknown): SortSpec | null {
  if (sort === undefined || sort === null) return null;
  let entries: Array<[string, unknown]>;
  if (typeof sort === 'string') entries = [[sort, 1]];
  else if (sort instanceof Map) entries = [...sort.entries()] as Array<[string, unknown]>;
  else if (Array.isArray(sort)) {
    if (sort.length === 2 && typeof sort[0] === 'string' && isDirection(sort[1])) entries = [[sort[0], sort[1]]];
    else entries = sort.map((item) => (typeof item === 'string' ? [item, 1] : (item as [string, unknown])));
  } else if (isPlainObject(sort)) entries = Object.entries(sort);
  else throw serverError('BadValue', 'sort must be an object, a string or an array');
  if (entries.length === 0) return null;
  return entries.map(([field, value]) => ({ path: splitPath(field), direction: direction(value, field) }));
}

function sortValue(doc: unknown, path: string[], dir: 1 | -1): unknown {
  const values = expandedValues(doc, path);
  if (values.length <= 1) return values[0];
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const order = compareValues(values[i], best);
    if (dir === 1 ? order < 0 : order > 0) best = values[i];
  }
  return best;
}

/** Stable sort; keys are computed once per document. */
export function sortDocs<T extends Doc>(docs: T[], spec: SortSpec): T[] {
  const decorated = docs.map((doc) => ({ doc, keys: spec.map((field) => sortValue(doc, field.path, field.direction)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < spec.length; i++) {
      const order = compareValues(a.keys[i], b.keys[i]);
      if (order !== 0) return order * spec[i].direction;
    }
    return 0;
  });
  return decorated.map((entry) => entry.doc);
}

/** `$push: {$sort}` accepts a direction for scalar elements or a sort document for embedded documents. */
export function pushSortComparator(spec: unknown): (a: unknown, b: unknown) => number {
  if (spec === 1 || spec === -1) return (a, b) => compareValues(a, b) * spec;
  const fields = isPlainObject(spec) ? normalizeSort(spec) : null;
  if (!fields) throw serverError('BadValue', 'The $sort is invalid: use 1/-1 to sort the whole element, or {field: 1/-1} to sort embedded fields.');
  return (a, b) => {
    for (const field of fields) {
      const order = compareValues(sortValue(a, field.path, field.direction), sortValue(b, field.path, field.direction));
      if (order !== 0) return order * field.direction;
    }
    return 0;
  };
}
