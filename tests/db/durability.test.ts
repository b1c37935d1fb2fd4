// Crash safety of the embedded store's data folder: SIGKILL mid-write, the folder lock, compaction, torn and corrupt journals.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseServerConfig } from '../../cloudfunctions/shared/config';
import { connectDb } from '../../cloudfunctions/shared/db/connect';
import { openEmbeddedStore, type EmbeddedStore } from '../../cloudfunctions/shared/db/embedded';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'storeChild.ts');
const JOURNAL = 'journal.bson';
/** Every journal record starts with these bytes (0x52594a31, little-endian). */
const RECORD_SIGNATURE = Buffer.from([0x31, 0x4a, 0x59, 0x52]);

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-durability-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function child(mode: 'write' | 'open' | 'hold', dir: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CHILD, mode, dir], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(proc: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve({ code: proc.exitCode, signal: proc.signalCode });
  return new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
}

function output(proc: ChildProcess): { text: () => string; waitFor: (test: (text: string) => boolean) => Promise<void> } {
  let text = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  proc.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    waiters.forEach((wake) => wake());
  });
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return {
    text: () => text,
    waitFor: (test) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (test(text)) resolve();
          else if (proc.exitCode !== null) reject(new Error(`child exited early (${proc.exitCode}): ${stderr}`));
        };
        waiters.push(check);
        proc.once('exit', check);
        check();
      }),
  };
}

async function writeDocs(store: EmbeddedStore, count: number, prefix = 'd'): Promise<void> {
  const col = store.db.collection<{ _id: string; n: number }>('docs');
  for (let i = 0; i < count; i++) await col.insertOne({ _id: `${prefix}${i}`, n: i }); // one flush each
}

describe('embedded store durability', () => {
  it.each([
    ['', {}],
    [' while it compacts continuously', { COMPACT_MIN_BYTES: '16384' }],
  ])('keeps every acknowledged write when the writer is killed with SIGKILL%s, and takes over its stale lock', async (_title, env) => {
    const dir = tempDir();
    const writer = child('write', dir, env);
    const out = output(writer);
    await out.waitFor((text) => (text.match(/^ack /gm) ?? []).length >= 600);
    writer.kill('SIGKILL');
    expect((await exited(writer)).signal).toBe('SIGKILL');
    const acked = [...out.text().matchAll(/^ack (\d+)$/gm)].map((match) => Number(match[1]));
    expect(out.text()).toMatch(/^counter \d+$/m);
    const counted = Math.max(...[...out.text().matchAll(/^counter (\d+)$/gm)].map((match) => Number(match[1])));
    expect(readFileSync(path.join(dir, 'LOCK'), 'utf8').trim()).toBe(String(writer.pid));

    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    try {
      const docs = store.db.collection('docs');
      const found = await docs.find({ _id: { $in: acked } }).toArray();
      expect(found).toHaveLength(acked.length);
      expect(found.length).toBeGreaterThanOrEqual(600);
      expect(found.every((doc) => doc.at instanceof Date && typeof doc.payload === 'string')).toBe(true);
      expect((await store.db.collection('counters').findOne({ _id: 0 }))!.value).toBeGreaterThanOrEqual(counted);
      // The unique index on { worker, seq } was rebuilt from the journal: a fresh _id with a taken
      // (worker, seq) pair is refused by that index, while the same _id with a free pair is accepted.
      const some = found[0];
      await expect(docs.insertOne({ _id: -1, worker: some.worker, seq: some.seq })).rejects.toMatchObject({ code: 11000, message: expect.stringContaining('index: worker_1_seq_1 ') });
      await docs.insertOne({ _id: -1, worker: some.worker, seq: -1 });
      expect(readFileSync(path.join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await store.close();
    }
    expect(existsSync(path.join(dir, 'LOCK'))).toBe(false);
  }, 60_000);

  it('answers a write made without waiting for the journal at once, and still has it after closing and reopening', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    const counters = store.db.collection<{ _id: string; count: number }>('rateLimits');
    await counters.insertOne({ _id: 'normal', count: 1 });
    await Promise.all(Array.from({ length: 20 }, () => counters.findOneAndUpdate({ _id: 'hold.user:a' }, { $inc: { count: 1 } }, { upsert: true, writeConcern: { w: 1, j: false } })));
    expect(await counters.findOne({ _id: 'hold.user:a' })).toEqual({ _id: 'hold.user:a', count: 20 });
    await store.close(); // the last records were not waited for: closing writes them
    const reopened = await openEmbeddedStore({ dir, dbName: 'durability' });
    try {
      expect(await reopened.db.collection('rateLimits').find({}).sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'hold.user:a', count: 20 },
        { _id: 'normal', count: 1 },
      ]);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a second process while the folder is in use', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    const refused = child('open', dir);
    const out = output(refused);
    expect((await exited(refused)).code).toBe(3);
    expect(out.text()).toContain(`data folder ${dir} in use by process ${process.pid}`);
    await expect(openEmbeddedStore({ dir, dbName: 'durability' })).rejects.toThrow(`in use by process ${process.pid}`);
    await store.close();
    const allowed = child('open', dir);
    const after = output(allowed);
    expect((await exited(allowed)).code).toBe(0);
    expect(after.text()).toContain('opened');
  }, 30_000);

  it('refuses this process while another live process holds the folder', async () => {
    const dir = tempDir();
    const holder = child('hold', dir);
    await output(holder).waitFor((text) => text.includes('ready'));
    try {
      await expect(openEmbeddedStore({ dir, dbName: 'durability' })).rejects.toThrow(`data folder ${dir} in use by process ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
      await exited(holder);
    }
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await store.close();
  }, 30_000);

  it('compacts (automatically and on request) without losing documents, indexes or concurrent writes', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability', compaction: { minBytes: 64 * 1024, ratio: 2 } });
    const col = store.db.collection<{ _id: number; v: number; tag: string }>('docs');
    await col.createIndex({ tag: 1 }, { unique: true });
    await col.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i, v: 0, tag: `t${i}` })));
    for (let round = 1; round <= 40; round++) await Promise.all(Array.from({ length: 50 }, (_, i) => col.updateOne({ _id: i }, { $set: { v: round } })));
    const { journalBytes, liveBytes } = store.stats();
    expect(journalBytes).toBeLessThan(64 * 1024 + 3 * liveBytes); // it was ~40x the live data without compaction
    const during = [store.compact(), col.updateOne({ _id: 0 }, { $set: { v: -1 } }), col.insertOne({ _id: 100, v: 100, tag: 'late' }), col.deleteOne({ _id: 1 })];
    await Promise.all(during);
    await store.compact();
    await col.updateOne({ _id: 2 }, { $set: { v: -2 } });
    await store.close();

    const reopened = await openEmbeddedStore({ dir, dbName: 'durability' });
    try {
      const again = reopened.db.collection<{ _id: number; v: number; tag: string }>('docs');
      expect(await again.countDocuments({})).toBe(50);
      expect(await again.findOne({ _id: 0 })).toEqual({ _id: 0, v: -1, tag: 't0' });
      expect(await again.findOne({ _id: 1 })).toBeNull();
      expect((await again.findOne({ _id: 2 }))?.v).toBe(-2);
      expect(await again.countDocuments({ v: 40 })).toBe(47);
      expect((await again.indexes()).map((index) => index.name)).toEqual(['_id_', 'tag_1']);
      await expect(again.insertOne({ _id: 200, v: 0, tag: 'late' })).rejects.toMatchObject({ code: 11000 });
    } finally {
      await reopened.close();
    }
  });

  it('tolerates a torn tail (garbage after the last flush) and keeps appending after it', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await writeDocs(store, 20);
    await store.close();
    const file = path.join(dir, JOURNAL);
    const validSize = statSync(file).size;
    appendFileSync(file, Buffer.from('garbage from a write that never completed'));
    appendFileSync(file, Buffer.alloc(4096));

    const reopened = await openEmbeddedStore({ dir, dbName: 'durability' });
    expect(statSync(file).size).toBe(validSize);
    expect(await reopened.db.collection('docs').countDocuments({})).toBe(20);
    await writeDocs(reopened, 5, 'e');
    await reopened.close();
    const last = await openEmbeddedStore({ dir, dbName: 'durability' });
    expect(await last.db.collection('docs').countDocuments({})).toBe(25);
    await last.close();
  });

  it('drops a half-written last flush but keeps everything acknowledged before it', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await writeDocs(store, 10);
    await store.close();
    const file = path.join(dir, JOURNAL);
    const full = readFileSync(file);
    writeFileSync(file, full.subarray(0, full.length - 7)); // the last flush loses its commit marker and a few bytes
    const reopened = await openEmbeddedStore({ dir, dbName: 'durability' });
    const ids = (await reopened.db.collection('docs').find({}).toArray()).map((doc) => doc._id);
    expect(ids).toEqual(['d0', 'd1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8']);
    await reopened.close();
  });

  /** A store of 30 documents (one flush each) whose journal has one byte flipped in the middle: where the lost part begins. */
  async function damagedJournal(): Promise<{ dir: string; file: string; bytes: Buffer; flipped: number }> {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await writeDocs(store, 30);
    await store.close();
    const file = path.join(dir, JOURNAL);
    const bytes = readFileSync(file);
    const flipped = Math.floor(bytes.length / 2);
    bytes[flipped] ^= 0xff;
    writeFileSync(file, bytes);
    return { dir, file, bytes, flipped };
  }

  function recordingLog() {
    const lines: Array<{ level: 'warn' | 'error'; message: string; fields?: Record<string, unknown> }> = [];
    return {
      lines,
      warn: (message: string, fields?: Record<string, unknown>) => lines.push({ level: 'warn', message, fields }),
      error: (message: string, fields?: Record<string, unknown>) => lines.push({ level: 'error', message, fields }),
    };
  }

  it('refuses to open a journal damaged in the middle, saying what would be lost, and leaves the files alone', async () => {
    const { dir, file, bytes } = await damagedJournal();
    const log = recordingLog();
    await expect(openEmbeddedStore({ dir, dbName: 'durability', log })).rejects.toThrow(
      /is damaged at byte \d+ of \d+: \d+ intact record\(s\) after byte \d+ \(\d+ bytes, including acknowledged writes\) cannot be replayed\. Refusing to open.*STORE_ACCEPT_DATA_LOSS=true/,
    );
    expect(log.lines).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ acknowledged: true }) })]);
    expect(readFileSync(file)).toEqual(bytes);
    expect(readdirSync(dir).filter((name) => name.includes('damaged'))).toEqual([]);
    expect(existsSync(path.join(dir, 'LOCK'))).toBe(false); // a failed open releases the folder
  });

  it('when told to accept the loss, keeps the valid prefix, logs the counts and keeps the dropped bytes beside the journal', async () => {
    const { dir, file, bytes, flipped } = await damagedJournal();
    const log = recordingLog();
    const store = await openEmbeddedStore({ dir, dbName: 'durability', onDataLoss: 'accept', log });
    const ids = (await store.db.collection('docs').find({}).toArray()).map((doc) => doc._id as string);
    // Exactly the documents flushed before the damaged one, in order.
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.length).toBeLessThan(30);
    expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => `d${i}`));
    const kept = statSync(file).size;
    expect(kept).toBeLessThanOrEqual(flipped);

    expect(log.lines).toHaveLength(1);
    const [line] = log.lines;
    expect(line.level).toBe('error');
    expect(line.message).toContain('LOST');
    // Every later document (one record each) is counted; the damaged record itself cannot be.
    expect(line.fields).toMatchObject({ droppedBytes: bytes.length - kept, keptBytes: kept, acknowledged: true });
    expect(line.fields?.droppedRecords).toBeGreaterThanOrEqual(30 - ids.length - 1);
    expect(line.fields?.droppedRecords).toBeLessThanOrEqual(30 - ids.length);
    const copies = readdirSync(dir).filter((name) => name.startsWith(`${JOURNAL}.damaged-`));
    expect(copies).toHaveLength(1);
    expect(line.fields?.damagedCopy).toBe(path.join(dir, copies[0]));
    expect(readFileSync(path.join(dir, copies[0]))).toEqual(bytes.subarray(kept));

    // The store goes on from the valid prefix, and opens quietly next time.
    await writeDocs(store, 2, 'after');
    await store.close();
    const quiet = recordingLog();
    const reopened = await openEmbeddedStore({ dir, dbName: 'durability', log: quiet });
    expect(await reopened.db.collection('docs').countDocuments({})).toBe(ids.length + 2);
    expect(quiet.lines).toEqual([]);
    await reopened.close();
  });

  it.each([
    ['refuses in production', { NODE_ENV: 'production' }, 'refused'],
    ['opens in production when STORE_ACCEPT_DATA_LOSS=true', { NODE_ENV: 'production', STORE_ACCEPT_DATA_LOSS: 'true' }, 'opened'],
    ['opens in development, where losing local test data is better than not starting', { NODE_ENV: 'development' }, 'opened'],
    ['refuses in development when STORE_ACCEPT_DATA_LOSS=false', { NODE_ENV: 'development', STORE_ACCEPT_DATA_LOSS: 'false' }, 'refused'],
  ])('a damaged journal at start-up through the configuration: %s', async (_title, env, expected) => {
    const { dir } = await damagedJournal();
    // connectDb opens <DATA_DIR>/store: make the damaged folder that.
    const dataDir = tempDir();
    renameSync(dir, path.join(dataDir, 'store'));
    const config = parseServerConfig({ ...env, DATA_DIR: dataDir });
    const log = recordingLog();
    const opening = connectDb({ dbName: 'durability', dataDir: config.dataDir, acceptDataLoss: config.acceptDataLoss, log });
    if (expected === 'refused') {
      await expect(opening).rejects.toThrow(/Refusing to open/);
      expect(existsSync(path.join(dataDir, 'store', 'LOCK'))).toBe(false);
    } else {
      const handle = await opening;
      expect(await handle.db.collection('docs').countDocuments({})).toBeGreaterThan(5);
      await handle.close();
    }
    expect(log.lines.map((line) => line.level)).toEqual(['error']);
  });

  it('counts garbage written over the last flush, with intact records after it, as damage rather than a torn tail', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await writeDocs(store, 3);
    await store.db.collection('docs').insertMany([{ _id: 'x1' }, { _id: 'x2' }, { _id: 'x3' }]); // one flush, three records
    await store.close();
    const file = path.join(dir, JOURNAL);
    const bytes = readFileSync(file);
    // Overwrite the header of the flush's first record: x2, x3 and the commit marker stay intact after it.
    const start = bytes.lastIndexOf(RECORD_SIGNATURE, bytes.indexOf(Buffer.from('x1')));
    bytes.fill(0x55, start, start + 12);
    writeFileSync(file, bytes);
    const log = recordingLog();
    await expect(openEmbeddedStore({ dir, dbName: 'durability', log })).rejects.toThrow(/2 intact record\(s\).*Refusing to open/);
    expect(log.lines[0].fields).toMatchObject({ droppedRecords: 2, acknowledged: false });
  });

  it('cuts off a torn tail with a warning only: no damaged copy, nothing refused', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await writeDocs(store, 4);
    await store.close();
    const file = path.join(dir, JOURNAL);
    const full = readFileSync(file);
    writeFileSync(file, full.subarray(0, full.length - 30));
    const log = recordingLog();
    const reopened = await openEmbeddedStore({ dir, dbName: 'durability', log });
    expect(await reopened.db.collection('docs').countDocuments({})).toBe(3);
    await reopened.close();
    expect(log.lines).toEqual([expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ bytes: expect.any(Number) }) })]);
    expect(readdirSync(dir).filter((name) => name.includes('damaged'))).toEqual([]);
  });

  it('ignores a compaction interrupted before its rename, and takes over a lock left by a dead process', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await writeDocs(store, 3);
    await store.close();
    writeFileSync(path.join(dir, 'journal.compact.tmp'), 'half a snapshot');
    const dead = spawn(process.execPath, ['-e', '0']);
    await exited(dead);
    writeFileSync(path.join(dir, 'LOCK'), `${dead.pid}\n`);
    const reopened = await openEmbeddedStore({ dir, dbName: 'durability' });
    expect(await reopened.db.collection('docs').countDocuments({})).toBe(3);
    expect(existsSync(path.join(dir, 'journal.compact.tmp'))).toBe(false);
    await reopened.close();
  });
});
