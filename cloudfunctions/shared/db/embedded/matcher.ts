// Query filters compiled to predicates: a fast path for plain comparisons (with $and and $or) on scalars and on
// top-level arrays (any element / no element, as MongoDB does), mingo for everything else.
import { Query } from 'mingo';
import { EmbeddedUnsupportedError, serverError } from './errors';
import { keyOf } from './keys';
import { splitPath } from './paths';
import { cloneValue, compareObjectIds, isOperatorObject, isPlainObject, type Doc } from './values';
import type { ObjectId } from 'mongodb';

export type Matcher = (doc: Doc) => boolean;

const matchAll: Matcher = () => true;

/** Compiling a mingo query costs ~20 us, testing one ~0.4 us: reuse compiled queries across calls. */
const mingoCache = new Map<string, Matcher>();
const MINGO_CACHE_SIZE = 500;

export function compileFilter(filter: unknown): Matcher {
  if (filter === undefined || filter === null) return matchAll;
  if (!isPlainObject(filter)) throw serverError('BadValue', 'query filter must be an object');
  const conditions: Condition[] = [];
  if (!collectFast(filter, conditions)) return mingoMatcher(filter);
  if (conditions.length === 0) return matchAll;
  return fastMatcher(conditions, filter);
}

export function mingoMatcher(filter: Doc): Matcher {
  const key = keyOf(filter);
  const cached = mingoCache.get(key);
  if (cached) {
    mingoCache.delete(key); // refresh its place in the LRU order
    mingoCache.set(key, cached);
    return cached;
  }
  if (containsKey(filter, '$where')) throw new EmbeddedUnsupportedError('the $where query operator');
  // A private copy: the compiled query keeps references, and the caller may reuse or mutate its filter object.
  const query = new Query(cloneValue(filter) as Doc);
  const matcher: Matcher = (doc) => query.test(doc);
  if (mingoCache.size >= MINGO_CACHE_SIZE) mingoCache.delete(mingoCache.keys().next().value as string);
  mingoCache.set(key, matcher);
  return matcher;
}

function containsKey(value: unknown, wanted: string): boolean {
  if (Array.isArray(value)) return value.some((item) => containsKey(item, wanted));
  if (!isPlainObject(value)) return false;
  return Object.keys(value).some((key) => key === wanted || containsKey(value[key], wanted));
}

interface FieldCondition {
  /** Field name when the path has no dots, to skip the path walk. */
  single: string | null;
  path: string[];
  test: (value: unknown) => boolean;
  /**
   * How a top-level field holding an array is judged, as MongoDB does without $elemMatch: `some` element passes
   * (equality, $in, ranges), `every` element passes a negated test ($ne, $nin: no element equals), or the `whole`
   * array is tested ($exists). Arrays under a dotted path are left to mingo.
   */
  onArray: 'some' | 'every' | 'whole';
}

/** A field's test, or an `$or`: at least one branch (its conditions all hold) must hold. */
type Condition = FieldCondition | { anyOf: Condition[][] };

const ARRAY_SEEN = Symbol('array');

/** The value at a dotted path, or ARRAY_SEEN when an array is on the way (array semantics are left to mingo). */
function readScalarPath(doc: Doc, condition: FieldCondition): unknown {
  let value: unknown = doc;
  for (const segment of condition.path) {
    if (Array.isArray(value)) return ARRAY_SEEN;
    if (!isPlainObject(value)) return undefined;
    value = value[segment];
  }
  return Array.isArray(value) ? ARRAY_SEEN : value;
}

function fastMatcher(conditions: Condition[], filter: Doc): Matcher {
  let slow: Matcher | undefined;
  return (doc) => {
    const verdict = holds(doc, conditions);
    return verdict === ARRAY_SEEN ? (slow ??= mingoMatcher(filter))(doc) : verdict;
  };
}

/** Whether every condition holds, or ARRAY_SEEN when the answer depends on an array (mingo decides then). */
function holds(doc: Doc, conditions: Condition[]): boolean | typeof ARRAY_SEEN {
  for (let i = 0; i < conditions.length; i++) {
    const condition = conditions[i];
    if ('anyOf' in condition) {
      let any = false;
      for (const branch of condition.anyOf) {
        const verdict = holds(doc, branch);
        if (verdict === ARRAY_SEEN) return ARRAY_SEEN;
        if (verdict) {
          any = true;
          break;
        }
      }
      if (!any) return false;
      continue;
    }
    if (condition.single !== null) {
      const value = doc[condition.single];
      if (!(Array.isArray(value) ? testArray(value, condition) : condition.test(value))) return false;
      continue;
    }
    const value = readScalarPath(doc, condition);
    if (value === ARRAY_SEEN) return ARRAY_SEEN;
    if (!condition.test(value)) return false;
  }
  return true;
}

function testArray(array: unknown[], condition: FieldCondition): boolean {
  if (condition.onArray === 'whole') return condition.test(array);
  return condition.onArray === 'some' ? array.some(condition.test) : array.every(condition.test);
}

type Kind = 'number' | 'string' | 'boolean' | 'null' | 'objectId' | 'date';

function kindOf(value: unknown): Kind | null {
  switch (typeof value) {
    case 'number':
      return Number.isNaN(value) ? null : 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'undefined':
      return 'null'; // the driver sends undefined as null
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : 'date';
      return (value as { _bsontype?: string })._bsontype === 'ObjectId' ? 'objectId' : null;
    default:
      return null;
  }
}

function isObjectId(value: unknown): value is ObjectId {
  return typeof value === 'object' && value !== null && (value as { _bsontype?: string })._bsontype === 'ObjectId';
}

function equalsTest(expected: unknown): (value: unknown) => boolean {
  switch (kindOf(expected)) {
    case 'null':
      return (value) => value === null || value === undefined;
    case 'date': {
      const time = (expected as Date).getTime();
      return (value) => value instanceof Date && value.getTime() === time;
    }
    case 'objectId':
      return (value) => isObjectId(value) && compareObjectIds(value, expected as ObjectId) === 0;
    default:
      return (value) => value === expected;
  }
}

/** Range operators only compare values of the same type bracket, as MongoDB does. */
function rangeTest(expected: unknown, accept: (order: number) => boolean): (value: unknown) => boolean {
  switch (kindOf(expected)) {
    case 'number':
    case 'string': {
      const type = typeof expected;
      const bound = expected as number | string;
      return (value) => typeof value === type && accept(value === bound ? 0 : (value as number | string) < bound ? -1 : 1);
    }
    case 'boolean':
      return (value) => typeof value === 'boolean' && accept(Number(value) - Number(expected));
    case 'date': {
      const time = (expected as Date).getTime();
      return (value) => value instanceof Date && accept(Math.sign(value.getTime() - time));
    }
    default:
      return (value) => isObjectId(value) && accept(compareObjectIds(value, expected as ObjectId));
  }
}

function inTest(list: unknown[]): (value: unknown) => boolean {
  const keys = new Set(list.map((item) => keyOf(item === undefined ? null : item)));
  return (value) => {
    if (typeof value === 'object' && value !== null && !(value instanceof Date) && !isObjectId(value)) return false;
    return keys.has(keyOf(value));
  };
}

type FieldTest = Pick<FieldCondition, 'test' | 'onArray'>;

function operatorTest(op: string, arg: unknown): FieldTest | null {
  switch (op) {
    case '$eq':
      return kindOf(arg) ? { test: equalsTest(arg), onArray: 'some' } : null;
    case '$ne': {
      if (!kindOf(arg)) return null;
      const equals = equalsTest(arg);
      return { test: (value) => !equals(value), onArray: 'every' };
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const kind = kindOf(arg);
      if (!kind || kind === 'null') return null;
      const accept =
        op === '$gt' ? (o: number) => o > 0 : op === '$gte' ? (o: number) => o >= 0 : op === '$lt' ? (o: number) => o < 0 : (o: number) => o <= 0;
      return { test: rangeTest(arg, accept), onArray: 'some' };
    }
    case '$in':
    case '$nin': {
      if (!Array.isArray(arg) || !arg.every((item) => kindOf(item) !== null)) return null;
      const within = inTest(arg);
      return op === '$in' ? { test: within, onArray: 'some' } : { test: (value) => !within(value), onArray: 'every' };
    }
    case '$exists': {
      const wanted = Boolean(arg);
      return { test: (value) => (value !== undefined) === wanted, onArray: 'whole' };
    }
    default:
      return null;
  }
}

/** Adds one condition per (field, operator); false when some part needs mingo. */
function collectFast(filter: Doc, out: Condition[]): boolean {
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (key.charCodeAt(0) === 36) {
      if (key === '$comment') continue;
      if ((key !== '$and' && key !== '$or') || !Array.isArray(value) || value.length === 0) return false;
      if (key === '$and') {
        for (const clause of value) if (!isPlainObject(clause) || !collectFast(clause, out)) return false;
        continue;
      }
      const anyOf: Condition[][] = [];
      for (const clause of value) {
        const branch: Condition[] = [];
        if (!isPlainObject(clause) || !collectFast(clause, branch)) return false;
        anyOf.push(branch);
      }
      out.push({ anyOf });
      continue;
    }
    const path = splitPath(key);
    const single = path.length === 1 ? key : null;
    if (isOperatorObject(value)) {
      for (const op of Object.keys(value)) {
        const test = operatorTest(op, value[op]);
        if (!test) return false;
        out.push({ single, path, ...test });
      }
    } else {
      if (!kindOf(value)) return false;
      out.push({ single, path, test: equalsTest(value), onArray: 'some' });
    }
  }
  return true;
}
