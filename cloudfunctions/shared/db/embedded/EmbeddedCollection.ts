// The driver's Collection API: each call does all its work synchronously (so it is atomic), then waits for durability.
import { MongoInvalidArgumentError, ObjectId } from 'mongodb';
import { runPipeline } from './aggregate';
import { applyBulkOperation, bulkError, bulkResult, emptyTally, isWriteError, writeError, type BulkTarget, type EmbeddedWriteError } from './bulk';
import { EmbeddedAggregationCursor, EmbeddedFindCursor, type FindCursorSpec } from './Cursor';
import type { EmbeddedStore } from './EmbeddedStore';
import { EmbeddedUnsupportedError } from './errors';
import { buildIndexSpec, createIndexOn, dropIndexOn, listIndexSpecs } from './indexAdmin';
import { keyOf } from './keys';
import { expandedValues, splitPath } from './paths';
import { compileProjection } from './projection';
import { findDocs, matchingDocs, modify, remove, type ExplainStats, type ModifyOutcome } from './queryOps';
import { checkReplacement, compileUpdate } from './update';
import { cloneDoc, cloneValue, compareValues, type Doc } from './values';

type Options = Doc & {
  sort?: unknown;
  skip?: number;
  limit?: number;
  projection?: Doc;
  upsert?: boolean;
  returnDocument?: 'before' | 'after';
  includeResultMetadata?: boolean;
  ordered?: boolean;
};

const UNSUPPORTED_OPTIONS = ['collation', 'arrayFilters', 'let'];

function checkOptions(options: Options | undefined): Options {
  if (!options) return {};
  for (const name of UNSUPPORTED_OPTIONS) {
    const value = options[name];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) throw new EmbeddedUnsupportedError(`the '${name}' option`);
  }
  return options;
}

function updateResult(outcome: ModifyOutcome) {
  const upserted = outcome.upsertedId !== null;
  return {
    acknowledged: true,
    matchedCount: outcome.matchedCount,
    modifiedCount: outcome.modifiedCount,
    upsertedCount: upserted ? 1 : 0,
    upsertedId: upserted ? outcome.upsertedId : null,
  };
}

export class EmbeddedCollection<TSchema extends object = Doc> {
  constructor(
    private readonly store: EmbeddedStore,
    readonly collectionName: string,
  ) {}

  get dbName(): string {
    return this.store.dbName;
  }

  get namespace(): string {
    return `${this.dbName}.${this.collectionName}`;
  }

  private get state() {
    return this.store.state(this.collectionName);
  }

  private readonly ensure = () => this.store.ensureState(this.collectionName);

  private readonly target: BulkTarget = {
    state: () => this.state,
    ensure: this.ensure,
    insert: (doc) => this.insertPrepared(doc),
  };

  private read<R>(run: () => R): Promise<R> {
    try {
      this.store.assertOpen();
      return this.store.settle(run());
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private write<R>(options: Options | undefined, run: (options: Options) => R): Promise<R> {
    try {
      this.store.assertWritable();
      const checked = checkOptions(options);
      // `writeConcern: { j: false }`: answered once applied; still waits for earlier writes it may have seen.
      if ((checked.writeConcern as { j?: unknown } | undefined)?.j === false) return this.store.settle(this.store.unawaited(() => run(checked)));
      return this.store.settle(run(checked));
    } catch (error) {
      // Earlier parts of a multi-document write may have been applied: report only once they are durable.
      return this.store.settle(null).then(() => Promise.reject(error));
    }
  }

  private out(doc: Doc, projection?: Doc): TSchema {
    const projector = compileProjection(projection);
    return cloneValue(projector ? projector(doc) : doc) as TSchema;
  }

  /** Adds `_id` to the caller's document when missing (as the driver does) and stores a copy, `_id` first. */
  private insertPrepared(doc: Doc): unknown {
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new MongoInvalidArgumentError('Document must be an object');
    if (doc._id == null) doc._id = new ObjectId(); // `== null`, as the driver does
    const stored = cloneDoc(doc);
    this.ensure().insert(Object.keys(stored)[0] === '_id' ? stored : { _id: stored._id, ...stored });
    return doc._id;
  }

  insertOne(doc: Doc, options?: Options) {
    return this.write(options, () => ({ acknowledged: true, insertedId: this.insertPrepared(doc) }));
  }

  async insertMany(docs: Doc[], options?: Options) {
    if (!Array.isArray(docs)) throw new MongoInvalidArgumentError('Argument "docs" must be an array of documents');
    const result = await this.bulkWrite(docs.map((document) => ({ insertOne: { document } })), options);
    return { acknowledged: true, insertedCount: result.insertedCount, insertedIds: result.insertedIds };
  }

  find(filter: Doc = {}, options?: Options): EmbeddedFindCursor<TSchema> {
    const { sort, skip, limit, projection } = checkOptions(options);
    const run = (spec: FindCursorSpec) => {
      this.store.assertOpen();
      return findDocs(this.state, spec);
    };
    return new EmbeddedFindCursor<TSchema>(this.store, run, { filter, sort, skip, limit, projection });
  }

  findOne(filter: Doc = {}, options?: Options): Promise<TSchema | null> {
    return this.read(() => {
      const { sort, skip, projection } = checkOptions(options);
      const doc = findDocs(this.state, { filter, sort, skip, limit: 1 })[0];
      return doc ? this.out(doc, projection) : null;
    });
  }

  countDocuments(filter: Doc = {}, options?: Options): Promise<number> {
    return this.read(() => findDocs(this.state, { filter, skip: options?.skip, limit: options?.limit }).length);
  }

  estimatedDocumentCount(_options?: Options): Promise<number> {
    return this.read(() => this.state?.docs.size ?? 0);
  }

  distinct(key: string, filter: Doc = {}, _options?: Options): Promise<unknown[]> {
    return this.read(() => {
      const seen = new Map<string, unknown>();
      const path = splitPath(key);
      for (const doc of matchingDocs(this.state, filter)) {
        for (const value of expandedValues(doc, path)) if (!seen.has(keyOf(value))) seen.set(keyOf(value), value);
      }
      return [...seen.values()].sort(compareValues).map(cloneValue);
    });
  }

  aggregate<T = Doc>(pipeline: Doc[] = [], options?: Options): EmbeddedAggregationCursor<T> {
    checkOptions(options);
    return new EmbeddedAggregationCursor<T>(this.store, () => {
      this.store.assertOpen();
      return runPipeline(this.state, pipeline, (name) => this.store.documentsOf(name));
    });
  }

  updateOne(filter: Doc, update: Doc, options?: Options) {
    return this.write(options, (o) => updateResult(modify(this.state, this.ensure, filter, { update: compileUpdate(update) }, { multi: false, upsert: o.upsert, sort: o.sort })));
  }

  updateMany(filter: Doc, update: Doc, options?: Options) {
    return this.write(options, (o) => updateResult(modify(this.state, this.ensure, filter, { update: compileUpdate(update) }, { multi: true, upsert: o.upsert })));
  }

  replaceOne(filter: Doc, replacement: Doc, options?: Options) {
    return this.write(options, (o) =>
      updateResult(modify(this.state, this.ensure, filter, { replacement: checkReplacement(replacement) }, { multi: false, upsert: o.upsert, sort: o.sort })),
    );
  }

  deleteOne(filter: Doc = {}, options?: Options) {
    return this.write(options, (o) => ({ acknowledged: true, deletedCount: remove(this.state, filter, { multi: false, sort: o.sort }).length }));
  }

  deleteMany(filter: Doc = {}, options?: Options) {
    return this.write(options, () => ({ acknowledged: true, deletedCount: remove(this.state, filter, { multi: true }).length }));
  }

  private modifyAndReturn(filter: Doc, change: Parameters<typeof modify>[3], options: Options) {
    const outcome = modify(this.state, this.ensure, filter, change, { multi: false, upsert: options.upsert, sort: options.sort });
    const doc = options.returnDocument === 'after' ? outcome.after : outcome.before;
    const value = doc ? this.out(doc, options.projection) : null;
    if (!options.includeResultMetadata) return value;
    const upserted = outcome.upsertedId !== null;
    const lastErrorObject: Doc = { n: outcome.matchedCount + (upserted ? 1 : 0), updatedExisting: outcome.matchedCount > 0 };
    if (upserted) lastErrorObject.upserted = outcome.upsertedId;
    return { value, ok: 1, lastErrorObject };
  }

  findOneAndUpdate(filter: Doc, update: Doc, options?: Options): Promise<TSchema | null> {
    return this.write(options, (o) => this.modifyAndReturn(filter, { update: compileUpdate(update) }, o)) as Promise<TSchema | null>;
  }

  findOneAndReplace(filter: Doc, replacement: Doc, options?: Options): Promise<TSchema | null> {
    return this.write(options, (o) => this.modifyAndReturn(filter, { replacement: checkReplacement(replacement) }, o)) as Promise<TSchema | null>;
  }

  findOneAndDelete(filter: Doc, options?: Options): Promise<TSchema | null> {
    return this.write(options, (o) => {
      const [doc] = remove(this.state, filter, { multi: false, sort: o.sort });
      const value = doc ? this.out(doc, o.projection) : null;
      return o.includeResultMetadata ? { value, ok: 1, lastErrorObject: { n: doc ? 1 : 0 } } : value;
    }) as Promise<TSchema | null>;
  }

  /** insertOne, updateOne, updateMany, replaceOne, deleteOne and deleteMany; ordered (default) stops at the first error. */
  async bulkWrite(operations: Doc[], options?: Options) {
    if (!Array.isArray(operations)) throw new MongoInvalidArgumentError('operations must be an array of documents');
    const ordered = options?.ordered !== false;
    for (const op of operations) {
      const spec = op?.insertOne as { document?: Doc } | undefined;
      if (spec?.document && spec.document._id == null) spec.document._id = new ObjectId();
    }
    const tally = emptyTally();
    const errors: EmbeddedWriteError[] = [];
    await this.write(options, () => {
      for (let i = 0; i < operations.length; i++) {
        const kind = Object.keys(operations[i] ?? {})[0];
        const spec = (operations[i] as Record<string, Doc>)[kind];
        try {
          applyBulkOperation(this.target, kind, spec, i, tally);
        } catch (error) {
          if (!isWriteError(error)) throw error;
          errors.push(writeError(error, i, spec));
          if (ordered) break;
        }
      }
    });
    if (errors.length > 0) throw bulkError(errors, tally);
    return bulkResult(tally);
  }

  createIndex(keySpec: unknown, options?: Options): Promise<string> {
    return this.write(undefined, () => createIndexOn(this.ensure(), buildIndexSpec(keySpec, options)));
  }

  createIndexes(specs: Doc[], _options?: Options): Promise<string[]> {
    return this.write(undefined, () => specs.map(({ key, ...options }) => createIndexOn(this.ensure(), buildIndexSpec(key, options))));
  }

  indexes(_options?: Options): Promise<Doc[]> {
    return this.read(() => listIndexSpecs(this.state, this.namespace) as unknown as Doc[]);
  }

  listIndexes(_options?: Options): EmbeddedAggregationCursor<Doc> {
    return new EmbeddedAggregationCursor<Doc>(this.store, () => listIndexSpecs(this.state, this.namespace) as unknown as Doc[]);
  }

  indexExists(names: string | string[]): Promise<boolean> {
    return this.read(() => {
      const existing = new Set(listIndexSpecs(this.state, this.namespace).map((spec) => spec.name));
      return (Array.isArray(names) ? names : [names]).every((name) => existing.has(name));
    });
  }

  dropIndex(nameOrKey: unknown, _options?: Options): Promise<Doc> {
    return this.write(undefined, () => dropIndexOn(this.state, this.namespace, nameOrKey));
  }

  dropIndexes(_options?: Options): Promise<boolean> {
    return this.write(undefined, () => {
      for (const spec of this.state?.indexSpecs() ?? []) dropIndexOn(this.state, this.namespace, spec.name);
      return true;
    });
  }

  drop(_options?: Options): Promise<boolean> {
    return this.write(undefined, () => this.store.dropCollection(this.collectionName));
  }

  /** Embedded-only: which index a query uses and how many documents it examines (for tests and diagnosis). */
  explain(filter: Doc = {}, options: { sort?: unknown; skip?: number; limit?: number } = {}): ExplainStats {
    const stats: ExplainStats = { index: null, docsExamined: 0, nReturned: 0 };
    findDocs(this.state, { filter, ...options }, stats);
    return stats;
  }
}
