// Multi-operation writes (insertMany, bulkWrite) reporting failures as the driver's MongoBulkWriteError.
import { MongoBulkWriteError, MongoInvalidArgumentError, MongoServerError } from 'mongodb';
import type { CollectionState } from './CollectionState';
import { modify, remove, type ModifyOutcome } from './queryOps';
import { checkReplacement, compileUpdate } from './update';
import { EmbeddedUnsupportedError } from './errors';
import type { Doc } from './values';

export interface BulkTally {
  insertedCount: number;
  matchedCount: number;
  modifiedCount: number;
  deletedCount: number;
  upsertedCount: number;
  insertedIds: Record<number, unknown>;
  upsertedIds: Record<number, unknown>;
}

export function emptyTally(): BulkTally {
  return { insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0, insertedIds: {}, upsertedIds: {} };
}

/** Shaped like the driver's WriteError (code, index, errmsg, errInfo, getOperation()). */
export interface EmbeddedWriteError {
  code: number;
  index: number;
  errmsg: string;
  errInfo?: Doc;
  err: Doc;
  getOperation(): Doc;
  toJSON(): Doc;
}

export function writeError(error: MongoServerError, index: number, op: Doc): EmbeddedWriteError {
  const err: Doc = { index, code: error.code, errmsg: error.message, op };
  if (error.keyPattern) err.keyPattern = error.keyPattern;
  if (error.keyValue) err.keyValue = error.keyValue;
  return {
    code: Number(error.code),
    index,
    errmsg: error.message,
    err,
    getOperation: () => op,
    toJSON: () => ({ code: error.code, index, errmsg: error.message, op }),
  };
}

/** The result object a BulkWriteResult exposes, also used as MongoBulkWriteError.result. */
export function bulkResult(tally: BulkTally): BulkTally & { ok: number; isOk(): boolean; hasWriteErrors(): boolean } {
  return { ...tally, ok: 1, isOk: () => true, hasWriteErrors: () => false };
}

export function bulkError(errors: EmbeddedWriteError[], tally: BulkTally): MongoBulkWriteError {
  const first = errors[0];
  const result = { ...bulkResult(tally), hasWriteErrors: () => true, getWriteErrors: () => errors };
  return new MongoBulkWriteError(
    { message: first.errmsg, code: first.code, writeErrors: errors } as never,
    result as never,
  );
}

export function isWriteError(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError;
}

/** What a bulk operation needs from its collection. */
export interface BulkTarget {
  state(): CollectionState | undefined;
  ensure(): CollectionState;
  /** Inserts (adding _id like the driver) and returns the _id. */
  insert(doc: Doc): unknown;
}

function checkSpec(spec: Doc): void {
  if (spec.collation !== undefined) throw new EmbeddedUnsupportedError("the 'collation' option");
  if (Array.isArray(spec.arrayFilters) && spec.arrayFilters.length > 0) throw new EmbeddedUnsupportedError("the 'arrayFilters' option");
}

export function applyBulkOperation(target: BulkTarget, kind: string | undefined, spec: Doc, index: number, tally: BulkTally): void {
  const count = (outcome: ModifyOutcome) => {
    tally.matchedCount += outcome.matchedCount;
    tally.modifiedCount += outcome.modifiedCount;
    if (outcome.upsertedId !== null) {
      tally.upsertedCount++;
      tally.upsertedIds[index] = outcome.upsertedId;
    }
  };
  const filter = (spec?.filter ?? {}) as Doc;
  switch (kind) {
    case 'insertOne':
      tally.insertedIds[index] = target.insert(spec.document as Doc);
      tally.insertedCount++;
      return;
    case 'updateOne':
    case 'updateMany':
      checkSpec(spec);
      count(modify(target.state(), target.ensure, filter, { update: compileUpdate(spec.update) }, { multi: kind === 'updateMany', upsert: spec.upsert === true }));
      return;
    case 'replaceOne':
      checkSpec(spec);
      count(modify(target.state(), target.ensure, filter, { replacement: checkReplacement(spec.replacement) }, { multi: false, upsert: spec.upsert === true }));
      return;
    case 'deleteOne':
    case 'deleteMany':
      tally.deletedCount += remove(target.state(), filter, { multi: kind === 'deleteMany' }).length;
      return;
    default:
      throw new MongoInvalidArgumentError(`Invalid bulkWrite operation: ${String(kind)}`);
  }
}
