// Errors raised as the driver would raise them, so callers handle both backends with the same `instanceof`/code checks.
import { MongoServerError } from 'mongodb';
import { renderValue, type Doc } from './values';

export const ErrorCodes = {
  BadValue: 2,
  FailedToParse: 9,
  TypeMismatch: 14,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CannotCreateIndex: 67,
  PathNotViable: 28,
  ConflictingUpdateOperators: 40,
  NamespaceExists: 48,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  EmptyFieldName: 56,
  ImmutableField: 66,
  InvalidOptions: 72,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CannotIndexParallelArrays: 171,
  DuplicateKey: 11000,
} as const;

type CodeName = keyof typeof ErrorCodes;

export function serverError(codeName: CodeName, message: string, extra: Doc = {}): MongoServerError {
  return new MongoServerError({ ok: 0, errmsg: message, code: ErrorCodes[codeName], codeName, ...extra });
}

export function duplicateKeyError(
  namespace: string,
  indexName: string,
  keyPattern: Record<string, number>,
  keyValue: Doc,
): MongoServerError {
  const rendered = Object.keys(keyValue)
    .map((field) => `${field}: ${renderValue(keyValue[field])}`)
    .join(', ');
  const message = `E11000 duplicate key error collection: ${namespace} index: ${indexName} dup key: { ${rendered} }`;
  return serverError('DuplicateKey', message, { index: 0, keyPattern, keyValue });
}

export function immutableIdError(): MongoServerError {
  return serverError(
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/** Something MongoDB accepts that this store deliberately does not implement: fail loudly, never ignore. */
export class EmbeddedUnsupportedError extends Error {
  constructor(what: string) {
    super(`The embedded store does not support ${what}; set MONGODB_URI to use a real MongoDB for this.`);
    this.name = 'EmbeddedUnsupportedError';
  }
}

/** The data folder cannot be used (locked, corrupt, unreadable); the message says what to do. */
export class EmbeddedStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedStoreError';
  }
}
