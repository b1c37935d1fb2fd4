// The driver's Db API over the embedded store: collections by name, listing, creation and dropping.
import { EmbeddedAggregationCursor } from './Cursor';
import { EmbeddedCollection } from './EmbeddedCollection';
import type { EmbeddedStore } from './EmbeddedStore';
import { EmbeddedUnsupportedError, serverError } from './errors';
import { compileFilter } from './matcher';
import type { Doc } from './values';

export class EmbeddedDb {
  private readonly handles = new Map<string, EmbeddedCollection<Doc>>();

  constructor(private readonly store: EmbeddedStore) {}

  get databaseName(): string {
    return this.store.dbName;
  }

  get namespace(): string {
    return this.store.dbName;
  }

  collection<T extends object = Doc>(name: string, _options?: unknown): EmbeddedCollection<T> {
    if (typeof name !== 'string' || name === '' || name.includes('$') || name.includes('\0')) {
      throw serverError('BadValue', `Invalid collection name: '${String(name)}'`);
    }
    let handle = this.handles.get(name);
    if (!handle) this.handles.set(name, (handle = new EmbeddedCollection(this.store, name)));
    return handle as unknown as EmbeddedCollection<T>;
  }

  listCollections(filter: Doc = {}, options: { nameOnly?: boolean } = {}): EmbeddedAggregationCursor<Doc> {
    return new EmbeddedAggregationCursor<Doc>(this.store, () => {
      this.store.assertOpen();
      const match = compileFilter(filter);
      return this.store
        .collectionNames()
        .map((name): Doc =>
          options.nameOnly
            ? { name, type: 'collection' }
            : { name, type: 'collection', options: {}, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } },
        )
        .filter(match);
    });
  }

  async collections(): Promise<EmbeddedCollection<Doc>[]> {
    this.store.assertOpen();
    return this.store.collectionNames().map((name) => this.collection(name));
  }

  async createCollection<T extends object = Doc>(name: string, options: Doc = {}): Promise<EmbeddedCollection<T>> {
    this.store.assertWritable();
    const unsupported = Object.keys(options).filter((key) => !['session', 'writeConcern', 'comment'].includes(key));
    if (unsupported.length > 0) throw new EmbeddedUnsupportedError(`createCollection options (${unsupported.join(', ')})`);
    if (this.store.state(name)) throw serverError('NamespaceExists', `Collection ${this.store.dbName}.${name} already exists.`);
    const handle = this.collection<T>(name);
    this.store.ensureState(name);
    return this.store.settle(handle);
  }

  async dropCollection(name: string, _options?: unknown): Promise<boolean> {
    this.store.assertWritable();
    return this.store.settle(this.store.dropCollection(name));
  }

  async dropDatabase(_options?: unknown): Promise<boolean> {
    this.store.assertWritable();
    this.store.dropAll();
    return this.store.settle(true);
  }

  /** Embedded-only: operations answered so far, each a round trip on a real server (for benches and tests). */
  get roundTrips(): number {
    return this.store.roundTrips;
  }

  /** Embedded-only: round trips begun with none under way (parallel reads count once), for benches and tests. */
  get waits(): number {
    return this.store.waits;
  }

  /** Embedded-only: documents examined by queries so far (a server's docsExamined), for benches. */
  get docsExamined(): number {
    return this.store.docsExamined();
  }

  /** Embedded-only: documents inserted, replaced or removed so far (each a journal write), for benches and tests. */
  get docsWritten(): number {
    return this.store.docsWritten();
  }

  async command(command: Doc): Promise<Doc> {
    this.store.assertOpen();
    if (command.ping !== undefined) return { ok: 1 };
    throw new EmbeddedUnsupportedError(`the database command '${Object.keys(command)[0]}'`);
  }
}
