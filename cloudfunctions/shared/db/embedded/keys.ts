// String keys for index buckets and caches: values the matcher treats as equal must map to the same key.
import type { Binary, ObjectId } from 'mongodb';
import { isPlainObject } from './values';

const functionIds = new WeakMap<object, number>();
let nextFunctionId = 0;

/**
 * Type-tagged so that 1 and "1" differ while 1 and 1.0 (and -0) agree. Embedded documents use sorted field names
 * because the query matcher (mingo) compares documents regardless of field order; an index bucket may therefore
 * hold a superset of what MongoDB would match, never a subset.
 */
export function keyOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 's' + value;
    case 'number':
      return value === 0 ? 'n0' : 'n' + value;
    case 'boolean':
      return value ? 'b1' : 'b0';
    case 'undefined':
      return 'z';
    case 'bigint':
      return 'n' + value;
    case 'function': {
      let id = functionIds.get(value);
      if (id === undefined) functionIds.set(value, (id = ++nextFunctionId));
      return 'F' + id;
    }
    case 'object':
      return objectKey(value);
    default:
      return 'x' + String(value);
  }
}

function objectKey(value: object | null): string {
  if (value === null) return 'z';
  if (Array.isArray(value)) return 'a' + JSON.stringify(value.map(keyOf));
  if (value instanceof Date) return 'd' + value.getTime();
  if (value instanceof RegExp) return 'r' + String(value);
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort();
    return 'O' + JSON.stringify(keys.map((key) => [key, keyOf(value[key])]));
  }
  switch ((value as { _bsontype?: string })._bsontype) {
    case 'ObjectId':
      return 'o' + (value as ObjectId).toHexString();
    case 'Int32':
    case 'Double':
      return keyOf((value as { valueOf(): number }).valueOf());
    case 'Long': {
      const asNumber = (value as { toNumber(): number }).toNumber();
      return Number.isSafeInteger(asNumber) ? keyOf(asNumber) : 'n' + String(value);
    }
    case 'Binary': {
      const binary = value as Binary;
      return 'B' + binary.sub_type + ':' + Buffer.from(binary.buffer.subarray(0, binary.position)).toString('base64');
    }
    case undefined:
      if (value instanceof Uint8Array) return 'B0:' + Buffer.from(value).toString('base64');
      return 'O' + JSON.stringify(Object.keys(value).sort().map((key) => [key, keyOf((value as Record<string, unknown>)[key])]));
    default:
      return 'x' + (value as { _bsontype: string })._bsontype + ':' + JSON.stringify(value);
  }
}

/** One key for a tuple of per-field keys; the length prefixes keep ("a|", "b") and ("a", "|b") apart. */
export function compoundKey(parts: string[]): string {
  if (parts.length === 1) return parts[0];
  let out = '';
  for (const part of parts) out += part.length + ':' + part;
  return out;
}
