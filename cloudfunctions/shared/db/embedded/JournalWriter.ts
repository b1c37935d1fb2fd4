// Group commit: records queue up while a flush is running; one write + fdatasync then acknowledges all of them.
import type { FileHandle } from 'node:fs/promises';
import { EmbeddedStoreError } from './errors';
import { encodeRecord } from './journal';

interface Batch {
  promise: Promise<void>;
  settled: boolean;
  resolve(): void;
  reject(error: unknown): void;
}

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  promise.catch(() => undefined); // rejections are delivered to the writers awaiting it
  const batch: Batch = {
    promise,
    settled: false,
    resolve: () => {
      batch.settled = true;
      resolve();
    },
    reject: (error) => {
      batch.settled = true;
      reject(error);
    },
  };
  return batch;
}

export interface TakenBatch {
  batch: Batch | null;
  buffers: Buffer[];
}

async function writeAll(file: FileHandle, data: Buffer, position: number): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset, position + offset);
    offset += bytesWritten;
  }
}

export class JournalWriter {
  private pending: Buffer[] = [];
  private collecting: Batch | null = null;
  /** The newest batch, and the newest holding a record whose writer waits for the disk (see append). */
  private newest: Batch | null = null;
  private lastAwaited: Batch | null = null;
  private loop: Promise<void> | null = null;
  private scheduled = false;
  private paused = 0;
  failure: EmbeddedStoreError | null = null;
  /** Called after each successful flush (compaction checks its thresholds there). */
  onFlushed: (() => void) | null = null;

  constructor(
    private file: FileHandle,
    /** Bytes in the journal file, i.e. where the next flush is written. */
    public size: number,
  ) {}

  /**
   * Queues a record for the next flush. `awaited: false` (a write with `writeConcern: { j: false }`): its
   * writer does not wait for the disk, and barrier() does not make later operations wait for it either; it is
   * still written by the same flush, a few milliseconds later, and lost only if the process dies before that.
   */
  append(record: Buffer, awaited = true): void {
    this.pending.push(record);
    if (!this.collecting) this.collecting = this.newest = newBatch();
    if (awaited) this.lastAwaited = this.collecting;
    if (!this.scheduled && !this.loop && !this.paused) {
      this.scheduled = true;
      // Let the writes of the current tick join this flush before it starts.
      setImmediate(() => {
        this.scheduled = false;
        this.start();
      });
    }
  }

  /** Settles once every awaited record appended so far is on disk; null if it already is. */
  barrier(): Promise<void> | null {
    if (this.failure) return Promise.reject(this.failure);
    // Batches settle in order, so the newest one with an awaited record stands for all of them.
    const batch = this.lastAwaited;
    return batch && !batch.settled ? batch.promise : null;
  }

  /** Settles once every record appended so far, awaited or not, is on disk; null if it already is. */
  drained(): Promise<void> | null {
    if (this.failure) return Promise.reject(this.failure);
    const batch = this.newest;
    return batch && !batch.settled ? batch.promise : null;
  }

  private start(): void {
    if (this.loop || this.paused || !this.collecting || this.failure) return;
    this.loop = this.run().finally(() => {
      this.loop = null;
      if (this.collecting && !this.paused && !this.failure) this.start();
    });
  }

  private async run(): Promise<void> {
    while (this.collecting && !this.paused && !this.failure) {
      const batch = this.collecting;
      const buffers = this.pending;
      this.collecting = null;
      this.pending = [];
      try {
        buffers.push(encodeRecord({ t: 'c', s: this.size }));
        const data = Buffer.concat(buffers);
        await writeAll(this.file, data, this.size);
        await this.file.datasync();
        this.size += data.length;
      } catch (error) {
        this.fail(error, batch);
        return;
      }
      batch.resolve();
      this.onFlushed?.();
    }
  }

  /** Refuses all further writes (the journal file can no longer be trusted to receive them). */
  poison(error: unknown): void {
    this.failure ??= new EmbeddedStoreError(`journal unusable (${(error as Error).message}); writes are refused until the store is reopened`);
    this.collecting?.reject(this.failure);
    this.collecting = null;
    this.pending = [];
  }

  private fail(error: unknown, batch: Batch): void {
    // After a failed write or fsync the file's content is unknown (and the kernel may have dropped dirty pages):
    // the in-memory state is ahead of the disk, so every further write is refused until the store is reopened.
    this.failure = new EmbeddedStoreError(
      `journal write failed (${(error as Error).message}); writes are refused until the store is reopened`,
    );
    batch.reject(this.failure);
    this.collecting?.reject(this.failure);
    this.collecting = null;
    this.pending = [];
  }

  /** Stops flushing (waiting for a running flush) and hands over what was queued but not yet written. */
  async pause(): Promise<TakenBatch> {
    this.paused++;
    while (this.loop) await this.loop;
    const taken = { batch: this.collecting, buffers: this.pending };
    this.collecting = null;
    this.pending = [];
    return taken;
  }

  /** Resumes on `file` (a compacted journal) or puts back what pause() took when compaction failed. */
  resume(next?: { file: FileHandle; size: number }, putBack?: TakenBatch): void {
    if (next) {
      this.file = next.file;
      this.size = next.size;
    }
    if (putBack && putBack.batch) {
      this.pending = [...putBack.buffers, ...this.pending];
      if (this.collecting) {
        const merged = this.collecting;
        merged.promise.then(putBack.batch.resolve, putBack.batch.reject);
      } else this.collecting = putBack.batch;
    }
    this.paused--;
    if (this.paused === 0 && this.collecting) this.start();
  }

  get currentFile(): FileHandle {
    return this.file;
  }
}
