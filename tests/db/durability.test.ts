// Crash safety of the embedded store's data folder: SIGKILL mid-write, the folder lock, compaction, torn and corrupt journals.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoServerError } from 'mongodb';
import { openEmbeddedStore, type EmbeddedStore } from '../../cloudfunctions/shared/db/embedded';

const ROOT = path.resolve(__dirname, '../..');
const CHILD = path.join(__dirname, 'storeChild.ts');
const JOURNAL = 'journal.bson';

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
    const counted = Math.max(...[...out.text().matchAll(/^counter (\d+)$/gm)].map((match) => Number(match[1])));
    expect(readFileSync(path.join(dir, 'LOCK'), 'utf8').trim()).toBe(String(writer.pid));

    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    try {
      const docs = store.db.collection('docs');
      const found = await docs.find({ _id: { $in: acked } }).toArray();
      expect(found).toHaveLength(acked.length);
      expect(found.every((doc) => doc.at instanceof Date && typeof doc.payload === 'string')).toBe(true);
      expect((await store.db.collection('counters').findOne({ _id: 0 }))!.value).toBeGreaterThanOrEqual(counted);
      // The unique index was rebuilt from the journal.
      const some = found[0];
      await expect(docs.insertOne({ worker: some.worker, _id: some._id })).rejects.toBeInstanceOf(MongoServerError);
      expect(readFileSync(path.join(dir, 'LOCK'), 'utf8').trim()).toBe(String(process.pid));
    } finally {
      await store.close();
    }
    expect(existsSync(path.join(dir, 'LOCK'))).toBe(false);
  }, 60_000);

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

  it('refuses to open a journal corrupted in the middle', async () => {
    const dir = tempDir();
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    await writeDocs(store, 30);
    await store.close();
    const file = path.join(dir, JOURNAL);
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0xff;
    writeFileSync(file, bytes);
    await expect(openEmbeddedStore({ dir, dbName: 'durability' })).rejects.toThrow(/is corrupt at byte \d+.*Refusing to open/);
    expect(existsSync(path.join(dir, 'LOCK'))).toBe(false); // a failed open releases the folder
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
