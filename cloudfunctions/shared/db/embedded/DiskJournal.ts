// The journal file on disk: opening (a torn tail cut off, a damaged one kept aside or refused), group-commit appends, compaction.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { EmbeddedStoreError } from './errors';
import { encodeRecord, FILE_MAGIC, scanJournal, type JournalDamage, type JournalRecord, type ScanResult } from './journal';
import { JournalWriter } from './JournalWriter';

const JOURNAL = 'journal.bson';
const COMPACT_TMP = 'journal.compact.tmp';

export interface CompactionPolicy {
  /** Compact automatically when the journal exceeds this many bytes... (default 8 MB) */
  minBytes: number;
  /** ...and is this many times larger than the live data (default 4). */
  ratio: number;
}

/** Produces the records that recreate the current state (collections, index definitions, documents). */
export type SnapshotSource = () => Iterable<{ record: JournalRecord; id?: string }>;

async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeSynced(file: string, chunks: Buffer[]): Promise<void> {
  const handle = await fsp.open(file, 'w');
  try {
    for (const chunk of chunks) await handle.write(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes a complete file under a temporary name, syncs it, renames it into place and syncs the folder. */
async function writeFileDurably(dir: string, name: string, chunks: Buffer[]): Promise<void> {
  const tmp = path.join(dir, COMPACT_TMP);
  await writeSynced(tmp, chunks);
  await fsp.rename(tmp, path.join(dir, name));
  await fsyncDir(dir);
}

/** What the store may log while it opens (a subset of the project's Logger). */
export interface StoreLog {
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface JournalRecovery {
  /**
   * What to do when the journal is damaged so that writes after the damage are lost: 'refuse' to open (the files stay
   * as they are, for a restore from backup), or 'accept' the loss: keep the valid prefix, the rest copied aside.
   */
  onDataLoss: 'refuse' | 'accept';
  log?: StoreLog;
}

/** Copies the dropped bytes beside the journal for inspection (journal.damaged-<time>), or refuses to open. */
async function keepDamagedBytes(dir: string, file: string, bytes: Buffer, validEnd: number, damage: JournalDamage, recovery: JournalRecovery): Promise<void> {
  const facts = { file, atByte: damage.at, droppedRecords: damage.records, droppedBytes: damage.bytes, keptBytes: validEnd, acknowledged: damage.acknowledged };
  const what =
    `${file} is damaged at byte ${damage.at} of ${bytes.length}: ${damage.records} intact record(s) after byte ${validEnd} ` +
    `(${damage.bytes} bytes${damage.acknowledged ? ', including acknowledged writes' : ''}) cannot be replayed`;
  if (recovery.onDataLoss === 'refuse') {
    recovery.log?.error('embedded store: journal damaged, refusing to open', facts);
    throw new EmbeddedStoreError(
      `${what}. Refusing to open: restore the data folder from a backup, or set STORE_ACCEPT_DATA_LOSS=true to open with the ` +
        'writes before the damage (the dropped bytes are kept beside the journal).',
    );
  }
  const kept = path.join(dir, `${JOURNAL}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  await writeSynced(kept, [bytes.subarray(validEnd)]);
  await fsyncDir(dir);
  recovery.log?.error('embedded store: journal damaged, data after the damage is LOST; the dropped bytes are kept for inspection', { ...facts, damagedCopy: kept });
}

export class DiskJournal {
  /** Encoded size of each live document's latest record, per collection: what a snapshot would hold. */
  private readonly sizes = new Map<string, Map<string, number>>();
  private liveBytes = 0;
  private compacting: Promise<void> | null = null;
  snapshotSource: SnapshotSource = () => [];


  private constructor(
    readonly dir: string,
    private readonly writer: JournalWriter,
    private readonly policy: CompactionPolicy,
  ) {
    writer.onFlushed = () => this.maybeCompact();
  }

  static async open(dir: string, policy: CompactionPolicy, recovery: JournalRecovery): Promise<{ journal: DiskJournal; scan: ScanResult }> {
    const file = path.join(dir, JOURNAL);
    await fsp.rm(path.join(dir, COMPACT_TMP), { force: true }); // an interrupted compaction; the journal is intact
    if (!fs.existsSync(file)) await writeFileDurably(dir, JOURNAL, [FILE_MAGIC]);
    const bytes = await fsp.readFile(file);
    const scan = scanJournal(bytes, file);
    if (scan.damage) await keepDamagedBytes(dir, file, bytes, scan.validEnd, scan.damage, recovery);
    else if (scan.tornBytes > 0) {
      // The last flush never completed (it was never acknowledged): normal after a crash or SIGKILL.
      recovery.log?.warn('embedded store: cut off an unfinished write at the end of the journal', { file, bytes: scan.tornBytes });
    }
    const handle = await fsp.open(file, 'r+');
    try {
      const { size } = await handle.stat();
      if (scan.validEnd < size) {
        // Cut the tail off so appends start clean (a damaged tail was copied aside first).
        await handle.truncate(scan.validEnd);
        await handle.sync();
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    const journal = new DiskJournal(dir, new JournalWriter(handle, scan.validEnd), policy);
    return { journal, scan };
  }

  get failure(): EmbeddedStoreError | null {
    return this.writer.failure;
  }

  /** Encodes before anything changes in memory, so a record that cannot be encoded fails the write cleanly. */
  encode(record: JournalRecord): Buffer {
    return encodeRecord(record);
  }

  /** While true (EmbeddedStore.unawaited), records are written without their writer waiting for the disk. */
  unawaited = false;

  put(collection: string, id: string, encoded: Buffer): void {
    this.track(collection, id, encoded.length);
    this.writer.append(encoded, !this.unawaited);
  }

  /** Accounts for a document's latest record without writing anything (replay, snapshot). */
  track(collection: string, id: string, size: number): void {
    let sizes = this.sizes.get(collection);
    if (!sizes) this.sizes.set(collection, (sizes = new Map()));
    this.liveBytes += size - (sizes.get(id) ?? 0);
    sizes.set(id, size);
  }

  delete(collection: string, id: string, encoded: Buffer): void {
    const sizes = this.sizes.get(collection);
    this.liveBytes -= sizes?.get(id) ?? 0;
    sizes?.delete(id);
    this.writer.append(encoded, !this.unawaited);
  }

  meta(encoded: Buffer, droppedCollection?: string | 'all'): void {
    if (droppedCollection === 'all') this.forgetAll();
    else if (droppedCollection !== undefined) this.forget(droppedCollection);
    this.writer.append(encoded);
  }

  private forget(collection: string): void {
    for (const size of this.sizes.get(collection)?.values() ?? []) this.liveBytes -= size;
    this.sizes.delete(collection);
  }

  private forgetAll(): void {
    this.sizes.clear();
    this.liveBytes = 0;
  }

  barrier(): Promise<void> | null {
    return this.writer.barrier();
  }

  stats(): { journalBytes: number; liveBytes: number } {
    return { journalBytes: this.writer.size, liveBytes: this.liveBytes };
  }

  private maybeCompact(): void {
    const { minBytes, ratio } = this.policy;
    if (this.compacting || this.writer.size < minBytes || this.writer.size < ratio * this.liveBytes) return;
    this.compact().catch(() => undefined); // a failed compaction leaves the old journal in use; the next flush retries
  }

  /**
   * Rewrites the journal as a snapshot of the live state. Writes queued meanwhile wait and go to the new file;
   * writes queued before the snapshot are part of it and are acknowledged when it is in place. A crash at any point
   * leaves either the old journal or the complete new one, both holding every acknowledged write.
   */
  compact(): Promise<void> {
    this.compacting ??= this.runCompaction().finally(() => (this.compacting = null));
    return this.compacting;
  }

  private async runCompaction(): Promise<void> {
    const taken = await this.writer.pause();
    if (this.writer.failure) {
      this.writer.resume(undefined, taken);
      throw this.writer.failure;
    }
    let next: { file: fsp.FileHandle; size: number } | undefined;
    try {
      const chunks: Buffer[] = [FILE_MAGIC];
      const sizes = new Map<string, Map<string, number>>();
      let liveBytes = 0;
      for (const { record, id } of this.snapshotSource()) {
        const encoded = encodeRecord(record);
        chunks.push(encoded);
        if (record.t === 'p' && id !== undefined) {
          let perCollection = sizes.get(record.c);
          if (!perCollection) sizes.set(record.c, (perCollection = new Map()));
          perCollection.set(id, encoded.length);
          liveBytes += encoded.length;
        }
      }
      chunks.push(encodeRecord({ t: 'c', s: FILE_MAGIC.length }));
      const size = chunks.reduce((total, chunk) => total + chunk.length, 0);
      const tmp = path.join(this.dir, COMPACT_TMP);
      await writeSynced(tmp, chunks);
      await fsp.rename(tmp, path.join(this.dir, JOURNAL));
      // From here the old file is unlinked: appending to it would lose writes, so there is no way back.
      try {
        await fsyncDir(this.dir);
        next = { file: await fsp.open(path.join(this.dir, JOURNAL), 'r+'), size };
      } catch (error) {
        this.writer.poison(error);
        taken.batch?.reject(this.writer.failure);
        this.writer.resume();
        throw error;
      }
      const old = this.writer.currentFile;
      // Sizes of writes made during the compaction are re-counted by their next put; close enough for a trigger.
      this.sizes.clear();
      for (const [name, perCollection] of sizes) this.sizes.set(name, perCollection);
      this.liveBytes = liveBytes;
      this.writer.resume(next);
      taken.batch?.resolve();
      await old.close();
    } catch (error) {
      if (!next && !this.writer.failure) this.writer.resume(undefined, taken);
      throw error;
    }
  }

  async close(): Promise<void> {
    while (this.compacting) await this.compacting.catch(() => undefined);
    await this.writer.drained()?.catch(() => undefined); // a failed flush was already reported to its writers
    await this.writer.pause();
    await this.writer.currentFile.close();
  }
}
