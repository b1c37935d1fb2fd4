// The embedded store: opens a data folder (lock, journal replay), owns the collections, compacts and closes.
import fsp from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { CollectionState } from './CollectionState';
import { DiskJournal, type CompactionPolicy, type StoreLog } from './DiskJournal';
import { EmbeddedDb } from './EmbeddedDb';
import { EmbeddedStoreError } from './errors';
import type { IndexSpec } from './SecondaryIndex';
import type { JournalRecord, ScanResult } from './journal';
import { keyOf } from './keys';
import { acquireLock } from './lock';
import { cloneDoc, type Doc } from './values';

export interface OpenEmbeddedStoreOptions {
  /** Data folder; omit for a purely in-memory store (tests). */
  dir?: string;
  dbName: string;
  compaction?: Partial<CompactionPolicy>;
  /**
   * Waits this long before answering each operation, like a network hop to a real server, so that a
   * pattern costing one round trip per item shows in timings here. Defaults to STORE_OP_DELAY_MS (0).
   */
  opDelayMs?: number;
  /**
   * A journal damaged so that writes after the damage are lost: 'refuse' (the default) stops the open and leaves the
   * files alone; 'accept' opens with the writes before the damage and keeps the dropped bytes beside the journal.
   */
  onDataLoss?: 'refuse' | 'accept';
  /** Where a cut-off torn tail (warn) or a damaged journal (error) is reported. */
  log?: StoreLog;
}

/** STORE_OP_DELAY_MS, read when a store opens: a whole or fractional number of milliseconds, at most 1000. */
function opDelayFromEnv(): number {
  const raw = process.env.STORE_OP_DELAY_MS;
  if (raw === undefined || raw === '') return 0;
  const ms = Number(raw);
  if (!Number.isFinite(ms) || ms < 0 || ms > 1000) throw new EmbeddedStoreError(`STORE_OP_DELAY_MS must be a number of milliseconds from 0 to 1000, got '${raw}'`);
  return ms;
}

const DEFAULT_POLICY: CompactionPolicy = { minBytes: 8 * 1024 * 1024, ratio: 4 };

export async function openEmbeddedStore(options: OpenEmbeddedStoreOptions): Promise<EmbeddedStore> {
  const opDelayMs = options.opDelayMs ?? opDelayFromEnv();
  if (!options.dir) return Object.assign(new EmbeddedStore(options.dbName, null, null, null), { opDelayMs });
  const dir = options.dir;
  await fsp.mkdir(dir, { recursive: true });
  const release = acquireLock(dir);
  let journal: DiskJournal | null = null;
  try {
    const opened = await DiskJournal.open(dir, { ...DEFAULT_POLICY, ...options.compaction }, { onDataLoss: options.onDataLoss ?? 'refuse', log: options.log });
    journal = opened.journal;
    const store = Object.assign(new EmbeddedStore(options.dbName, dir, journal, release), { opDelayMs });
    store.replay(opened.scan.records);
    return store;
  } catch (error) {
    await journal?.close().catch(() => undefined);
    release();
    throw error;
  }
}

interface Replayed {
  docs: Map<string, Doc>;
  sizes: Map<string, number>;
  specs: Map<string, IndexSpec>;
}

export class EmbeddedStore {
  readonly db: EmbeddedDb;
  private readonly collections = new Map<string, CollectionState>();
  private closed = false;
  /** See OpenEmbeddedStoreOptions.opDelayMs. */
  opDelayMs = 0;
  /** Operations answered so far: each is one round trip to a real server (a cursor counts its first batch). */
  roundTrips = 0;
  /**
   * Of those, the ones begun while no other was under way: a caller's round trips one after another, where
   * reads sent together count once (for one caller at a time: on a real server, network latencies in a row).
   */
  waits = 0;
  private underWay = 0;

  constructor(
    readonly dbName: string,
    readonly dir: string | null,
    private readonly journal: DiskJournal | null,
    private readonly release: (() => void) | null,
  ) {
    this.db = new EmbeddedDb(this);
    if (journal) journal.snapshotSource = () => this.snapshot();
  }

  /** Rebuilds collections from journal records; indexes are built once at the end, from the final documents. */
  replay(records: ScanResult['records']): void {
    const replayed = new Map<string, Replayed>();
    const get = (name: string) => {
      let entry = replayed.get(name);
      if (!entry) replayed.set(name, (entry = { docs: new Map(), sizes: new Map(), specs: new Map() }));
      return entry;
    };
    for (const { record, size } of records) {
      switch (record.t) {
        case 'cc':
          get(record.c);
          break;
        case 'dc':
          replayed.delete(record.c);
          break;
        case 'dd':
          replayed.clear();
          break;
        case 'p': {
          const entry = get(record.c);
          const key = keyOf(record.d._id);
          entry.docs.set(key, record.d);
          entry.sizes.set(key, size);
          break;
        }
        case 'd': {
          const entry = get(record.c);
          entry.docs.delete(keyOf(record.i));
          entry.sizes.delete(keyOf(record.i));
          break;
        }
        case 'ix':
          get(record.c).specs.set(String(record.spec.name), record.spec as unknown as IndexSpec);
          break;
        case 'dx':
          get(record.c).specs.delete(record.n);
          break;
      }
    }
    for (const [name, entry] of replayed) {
      const state = new CollectionState(name, `${this.dbName}.${name}`, this.journal);
      for (const [key, doc] of entry.docs) state.docs.set(key, doc);
      for (const spec of entry.specs.values()) {
        try {
          state.indexes.create(spec, state.docs);
        } catch (error) {
          throw new EmbeddedStoreError(`journal replay of ${this.dir}: index ${spec.name} on ${name} cannot be rebuilt (${(error as Error).message})`);
        }
      }
      this.collections.set(name, state);
      for (const [key, size] of entry.sizes) this.journal?.track(name, key, size);
    }
  }

  /** Records that recreate the current state, for compaction. */
  private *snapshot(): Generator<{ record: JournalRecord; id?: string }> {
    for (const [name, state] of this.collections) {
      yield { record: { t: 'cc', c: name } };
      for (const spec of state.indexSpecs()) yield { record: { t: 'ix', c: name, spec: { ...spec } } };
      for (const [id, doc] of state.docs) yield { record: { t: 'p', c: name, d: doc }, id };
    }
  }

  assertOpen(): void {
    if (this.closed) throw new EmbeddedStoreError('the embedded store is closed');
  }

  /** Refuses writes once the journal has failed: memory would run ahead of the disk. */
  assertWritable(): void {
    this.assertOpen();
    if (this.journal?.failure) throw this.journal.failure;
  }

  /**
   * `value`, once every write made so far (which the caller may have observed) is durable. Every
   * operation answers through here exactly once, so this is where round trips are counted and delayed.
   */
  settle<T>(value: T): Promise<T> {
    this.roundTrips += 1;
    if (this.underWay === 0) this.waits += 1;
    this.underWay += 1;
    const barrier = this.journal?.barrier();
    const durable = barrier ? barrier.then(() => value) : Promise.resolve(value);
    const answered = this.opDelayMs > 0 ? durable.then((result) => sleep(this.opDelayMs, result)) : durable;
    return answered.then(
      (result) => {
        this.underWay -= 1;
        return result;
      },
      (error: unknown) => {
        this.underWay -= 1;
        throw error;
      },
    );
  }

  /**
   * Runs one operation's synchronous work with its journal records not awaited: what MongoDB's
   * `writeConcern: { j: false }` promises (acknowledged once applied, journaled a moment later).
   */
  unawaited<R>(run: () => R): R {
    if (!this.journal) return run();
    this.journal.unawaited = true;
    try {
      return run();
    } finally {
      this.journal.unawaited = false;
    }
  }

  state(name: string): CollectionState | undefined {
    return this.collections.get(name);
  }

  /** Collections are created implicitly by their first write, as in MongoDB. */
  ensureState(name: string): CollectionState {
    let state = this.collections.get(name);
    if (!state) {
      const encoded = this.journal?.encode({ t: 'cc', c: name });
      state = new CollectionState(name, `${this.dbName}.${name}`, this.journal);
      this.collections.set(name, state);
      if (encoded) this.journal!.meta(encoded);
    }
    return state;
  }

  /** Documents examined by queries so far, over all collections. */
  docsExamined(): number {
    let examined = 0;
    for (const state of this.collections.values()) examined += state.docsExamined;
    return examined;
  }

  /** Documents written so far, over all collections: what a write-free path must leave unchanged. */
  docsWritten(): number {
    let written = 0;
    for (const state of this.collections.values()) written += state.docsWritten;
    return written;
  }

  collectionNames(): string[] {
    return [...this.collections.keys()];
  }

  /** Copies of a collection's documents, for $lookup and friends. */
  documentsOf(name: string): Doc[] {
    return [...(this.collections.get(name)?.docs.values() ?? [])].map(cloneDoc);
  }

  dropCollection(name: string): boolean {
    if (!this.collections.has(name)) return true;
    const encoded = this.journal?.encode({ t: 'dc', c: name });
    this.collections.delete(name);
    if (encoded) this.journal!.meta(encoded, name);
    return true;
  }

  dropAll(): void {
    const encoded = this.journal?.encode({ t: 'dd' });
    this.collections.clear();
    if (encoded) this.journal!.meta(encoded, 'all');
  }

  /** Rewrites the journal as a snapshot of the live data (also done automatically when it grows too large). */
  async compact(): Promise<void> {
    this.assertWritable();
    await this.journal?.compact();
  }

  stats(): { journalBytes: number; liveBytes: number; collections: number; documents: number } {
    let documents = 0;
    for (const state of this.collections.values()) documents += state.docs.size;
    const disk = this.journal?.stats() ?? { journalBytes: 0, liveBytes: 0 };
    return { ...disk, collections: this.collections.size, documents };
  }

  /** Waits for pending writes, closes the journal and removes the lock. Further calls fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.journal?.close();
    } finally {
      this.release?.();
    }
  }
}
