// BSON value semantics for the embedded store: MongoDB's type order, comparison, strict equality and isolating copies.
import { Binary, ObjectId } from 'mongodb';

export type Doc = Record<string, unknown>;

interface Tagged {
  _bsontype?: string;
}

export function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A plain object whose first key is an operator (`{ $gt: 1 }`), as opposed to an embedded document. */
export function isOperatorObject(value: unknown): value is Doc {
  if (!isPlainObject(value)) return false;
  for (const key in value) return key.charCodeAt(0) === 36; // '$'
  return false;
}

function bsonType(value: object): string | undefined {
  return (value as Tagged)._bsontype;
}

/** MongoDB's cross-type sort order (MinKey < null < numbers < strings < objects < arrays < ... < MaxKey). */
export function typeRank(value: unknown): number {
  switch (typeof value) {
    case 'undefined':
      return 2;
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    case 'object':
      break;
    default:
      return 5;
  }
  if (value === null) return 2;
  if (Array.isArray(value)) return 6;
  if (value instanceof Date) return 10;
  if (value instanceof RegExp) return 12;
  switch (bsonType(value)) {
    case undefined:
      return value instanceof Uint8Array ? 7 : 5;
    case 'MinKey':
      return 1;
    case 'Int32':
    case 'Double':
    case 'Long':
    case 'Decimal128':
      return 3;
    case 'BSONSymbol':
      return 4;
    case 'Binary':
      return 7;
    case 'ObjectId':
      return 8;
    case 'Timestamp':
      return 11;
    case 'BSONRegExp':
      return 12;
    case 'MaxKey':
      return 13;
    default:
      return 5;
  }
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number((value as { valueOf(): unknown }).valueOf?.() ?? NaN);
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

export function compareObjectIds(a: ObjectId, b: ObjectId): number {
  return compareBytes(a.id, b.id);
}

/** Total order over BSON values as MongoDB sorts them; embedded documents compare field by field, in order. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 3: {
      const x = toNumber(a);
      const y = toNumber(b);
      if (x === y) return 0;
      if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : -1; // NaN sorts below every number
      if (Number.isNaN(y)) return 1;
      return x < y ? -1 : 1;
    }
    case 4: {
      const x = String(a);
      const y = String(b);
      return x === y ? 0 : x < y ? -1 : 1;
    }
    case 5:
      return compareDocs(a as Doc, b as Doc);
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 7:
      return compareBytes(bytesOf(a), bytesOf(b));
    case 8:
      return compareObjectIds(a as ObjectId, b as ObjectId);
    case 9:
      return Number(a) - Number(b);
    case 10:
      return compareNumbersOrNaN((a as Date).getTime(), (b as Date).getTime());
    case 11:
      return (a as { compare(other: unknown): number }).compare(b);
    case 12:
      return String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
    default:
      return 0;
  }
}

function compareNumbersOrNaN(x: number, y: number): number {
  if (x === y || (Number.isNaN(x) && Number.isNaN(y))) return 0;
  if (Number.isNaN(x)) return -1;
  if (Number.isNaN(y)) return 1;
  return x < y ? -1 : 1;
}

function bytesOf(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const binary = value as Binary;
  return binary.buffer.subarray(0, binary.position);
}

function compareDocs(a: Doc, b: Doc): number {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const n = Math.min(ka.length, kb.length);
  for (let i = 0; i < n; i++) {
    const byType = typeRank(a[ka[i]]) - typeRank(b[kb[i]]);
    if (byType !== 0) return byType;
    if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
    const byValue = compareValues(a[ka[i]], b[kb[i]]);
    if (byValue !== 0) return byValue;
  }
  return ka.length - kb.length;
}

function compareArrays(a: unknown[], b: unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const byValue = compareValues(a[i], b[i]);
    if (byValue !== 0) return byValue;
  }
  return a.length - b.length;
}

/** Equality as the server decides "was this field modified" and `$addToSet` membership: type, value and field order. */
export function strictEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return typeRank(a) === 3 && typeRank(b) === 3 ? compareValues(a, b) === 0 : false;
  }
  return compareValues(a, b) === 0;
}

/**
 * A deep copy in the shape the driver would store: undefined becomes null (the driver's default), functions are
 * dropped, wrapper numbers become numbers and buffers become Binary, as a BSON round trip would do. ObjectIds and
 * other immutable BSON values are shared.
 */
export function cloneValue(value: unknown): unknown {
  if (typeof value !== 'object') return value === undefined ? null : value;
  if (value === null) return null;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      out[i] = typeof item === 'function' || typeof item === 'symbol' ? null : cloneValue(item);
    }
    return out;
  }
  if (value instanceof Date) return new Date(value.getTime());
  const tag = bsonType(value);
  if (tag !== undefined) return cloneTagged(value, tag);
  if (value instanceof Uint8Array) return new Binary(Buffer.from(value));
  if (value instanceof RegExp) return new RegExp(value.source, value.flags);
  return cloneDoc(value as Doc);
}

export function cloneDoc(doc: Doc): Doc {
  const out: Doc = {};
  for (const key of Object.keys(doc)) {
    const item = doc[key];
    switch (typeof item) {
      case 'function':
      case 'symbol':
        continue;
      case 'object':
        out[key] = item === null ? null : cloneValue(item);
        continue;
      case 'undefined':
        out[key] = null;
        continue;
      default:
        out[key] = item;
    }
  }
  return out;
}

function cloneTagged(value: object, tag: string): unknown {
  switch (tag) {
    case 'Int32':
    case 'Double':
      return (value as { valueOf(): number }).valueOf();
    case 'Long': {
      const asNumber = (value as { toNumber(): number }).toNumber();
      return Number.isSafeInteger(asNumber) ? asNumber : value;
    }
    case 'Binary': {
      const binary = value as Binary;
      return new Binary(Buffer.from(binary.buffer.subarray(0, binary.position)), binary.sub_type);
    }
    default:
      return value; // ObjectId, Decimal128, Timestamp, MinKey, MaxKey... are immutable
  }
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  if (typeof value === 'object') return bsonType(value)?.toLowerCase() ?? 'object';
  return typeof value;
}

/** A short mongo-shell style rendering for error messages (`{ email: "a@b" }`). */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[ ${value.map(renderValue).join(', ')} ]`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof RegExp) return String(value);
  if (!isPlainObject(value)) return String(value);
  const entries = Object.keys(value).map((key) => `${key}: ${renderValue(value[key])}`);
  return entries.length ? `{ ${entries.join(', ')} }` : '{}';
}
