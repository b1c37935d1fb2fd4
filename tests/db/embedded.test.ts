// Embedded-store specifics: fast matcher vs mingo, loud refusals of unsupported features, the factory, cursors, the journal codec.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoInvalidArgumentError, MongoServerError, ObjectId } from 'mongodb';
import { connectDb } from '../../cloudfunctions/shared/db/connect';
import { EmbeddedStoreError, EmbeddedUnsupportedError, openEmbeddedStore, type EmbeddedStore } from '../../cloudfunctions/shared/db/embedded';
import { encodeRecord, FILE_MAGIC, scanJournal } from '../../cloudfunctions/shared/db/embedded/journal';
import { compileFilter, mingoMatcher } from '../../cloudfunctions/shared/db/embedded/matcher';

let store: EmbeddedStore;
beforeAll(async () => {
  store = await openEmbeddedStore({ dbName: 'unit' });
});
afterAll(() => store.close());

describe('fast matcher', () => {
  const oidA = new ObjectId('65f000000000000000000001');
  const oidB = new ObjectId('65f000000000000000000002');
  const MISSING = Symbol('missing');
  const docValues: unknown[] = [MISSING, null, 0, 1, -1, 2.5, 'a', 'b', '', true, false, new Date(0), new Date(1000), oidA, oidB, { x: 1 }, [1, 2], ['a'], []];
  const args: unknown[] = [null, 0, 1, 2.5, 'a', 'b', true, false, new Date(0), new Date(1000), oidA];
  const docs = docValues.flatMap((value) =>
    value === MISSING ? [{ _id: 1 }, { _id: 2, g: {} }] : [{ _id: 1, f: value }, { _id: 2, g: { h: value } }, { _id: 3, g: 5 }],
  );
  const filters: Array<Record<string, unknown>> = [];
  for (const field of ['f', 'g.h']) {
    for (const arg of args) {
      filters.push({ [field]: arg }, { [field]: { $eq: arg } }, { [field]: { $ne: arg } }, { [field]: { $in: [arg, 'b'] } }, { [field]: { $nin: [arg, 1] } });
      if (arg !== null) for (const op of ['$gt', '$gte', '$lt', '$lte']) filters.push({ [field]: { [op]: arg } });
    }
    filters.push({ [field]: { $exists: true } }, { [field]: { $exists: false } }, { [field]: { $gt: 0, $lt: 2 } });
  }

  it('agrees with mingo on every scalar comparison it handles', () => {
    const disagreements: string[] = [];
    for (const filter of filters) {
      const fast = compileFilter(filter);
      const slow = mingoMatcher(filter);
      for (const doc of docs) if (fast(doc) !== slow(doc)) disagreements.push(`${JSON.stringify(filter)} on ${JSON.stringify(doc)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('treats undefined in a filter as null, like the driver', async () => {
    const col = store.db.collection('undef');
    const doc: Record<string, unknown> = { a: undefined, b: 1 };
    await col.insertOne(doc);
    expect(doc._id).toBeInstanceOf(ObjectId); // the caller's document gets its _id, as with the driver
    expect(await col.findOne({ b: 1 }, { projection: { _id: 0 } })).toEqual({ a: null, b: 1 });
    expect(await col.countDocuments({ a: undefined })).toBe(1);
  });
});

describe('refusing what it does not implement', () => {
  const col = () => store.db.collection('refusals');
  beforeAll(() => col().insertOne({ _id: 1, list: [{ a: 1 }], n: 1 } as never));

  it.each([
    ['$where', () => col().findOne({ $where: 'this.n === 1' })],
    ['positional update', () => col().updateOne({ 'list.a': 1 }, { $set: { 'list.$.a': 2 } })],
    ['all-positional update', () => col().updateOne({ _id: 1 } as never, { $set: { 'list.$[].a': 2 } })],
    ['arrayFilters', () => col().updateOne({ _id: 1 } as never, { $set: { n: 2 } }, { arrayFilters: [{ x: 1 }] })],
    ['collation', () => col().findOne({ n: 1 }, { collation: { locale: 'en' } } as never)],
    ['pipeline update', () => col().updateOne({ _id: 1 } as never, [{ $set: { n: 2 } }] as never)],
    ['$bit', () => col().updateOne({ _id: 1 } as never, { $bit: { n: { and: 1 } } } as never)],
    ['$out', () => col().aggregate([{ $out: 'elsewhere' }]).toArray()],
    ['text index', () => col().createIndex({ n: 'text' })],
  ])('%s', async (_name, run) => {
    await expect(run()).rejects.toBeInstanceOf(EmbeddedUnsupportedError);
    expect(await col().findOne({ _id: 1 } as never)).toEqual({ _id: 1, list: [{ a: 1 }], n: 1 });
  });

  it('rejects malformed updates like the driver and server', async () => {
    await expect(col().updateOne({ _id: 1 } as never, { n: 2 })).rejects.toBeInstanceOf(MongoInvalidArgumentError);
    await expect(col().replaceOne({ _id: 1 } as never, { $set: { n: 2 } })).rejects.toBeInstanceOf(MongoInvalidArgumentError);
    await expect(col().updateOne({ _id: 1 } as never, { $frobnicate: { n: 2 } } as never)).rejects.toMatchObject({ code: 9 });
    await expect(col().updateOne({ _id: 1 } as never, { $set: 5 } as never)).rejects.toMatchObject({ code: 9 });
    await expect(col().updateOne({ _id: 1 } as never, { $set: { 'n.x': 1 } })).rejects.toMatchObject({ code: 28 });
    await expect(col().findOne({ n: { $frobnicate: 1 } })).rejects.toThrow();
    await expect(col().insertOne({ _id: [1] } as never)).rejects.toMatchObject({ code: 53 });
    expect(await col().findOne({ _id: 1 } as never)).toEqual({ _id: 1, list: [{ a: 1 }], n: 1 });
  });
});

describe('cursors and copies', () => {
  it('reads a consistent snapshot at the first fetch, untouched by later writes', async () => {
    const col = store.db.collection<{ _id: number; v: number }>('snap');
    await col.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i, v: 0 })));
    const cursor = col.find({}).sort({ _id: 1 });
    expect((await cursor.next())?.v).toBe(0);
    await col.updateMany({}, { $set: { v: 1 } });
    await col.deleteOne({ _id: 4 });
    expect((await cursor.toArray()).map((doc) => [doc._id, doc.v])).toEqual([[1, 0], [2, 0], [3, 0], [4, 0]]);
    expect(() => cursor.sort({ v: 1 })).toThrow();
    expect((await col.find({}).map((doc) => doc._id * 10).toArray()).sort((a, b) => a - b)).toEqual([0, 10, 20, 30]);
  });

  it('fails every call once closed', async () => {
    const temp = await openEmbeddedStore({ dbName: 'closing' });
    await temp.db.collection('x').insertOne({ a: 1 });
    await temp.close();
    await expect(temp.db.collection('x').findOne({})).rejects.toBeInstanceOf(EmbeddedStoreError);
    await expect(temp.db.collection('x').insertOne({ a: 2 })).rejects.toThrow('closed');
  });
});

describe('connectDb', () => {
  it('opens the embedded store in <dataDir>/store when no MongoDB URI is given, and holds the folder', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-connect-'));
    try {
      const handle = await connectDb({ dbName: 'yiyue', dataDir });
      expect(handle.kind).toBe('embedded');
      await handle.db.collection('users').insertOne({ name: 'a' });
      expect(existsSync(path.join(dataDir, 'store', 'journal.bson'))).toBe(true);
      await expect(connectDb({ dbName: 'yiyue', dataDir })).rejects.toThrow(/in use by process/);
      await handle.close();
      const again = await connectDb({ dbName: 'yiyue', dataDir });
      expect(await again.db.collection('users').countDocuments({ name: 'a' })).toBe(1);
      await again.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('raises the driver error class on duplicates through the Db type', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-connect-'));
    const handle = await connectDb({ dbName: 'yiyue', dataDir });
    try {
      await handle.db.collection('ids').insertOne({ _id: 'x' } as never);
      const error = await handle.db
        .collection('ids')
        .insertOne({ _id: 'x' } as never)
        .catch((caught: unknown) => caught);
      expect(error instanceof MongoServerError && error.code === 11000).toBe(true);
    } finally {
      await handle.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('journal format', () => {
  const records = [encodeRecord({ t: 'cc', c: 'a' }), encodeRecord({ t: 'p', c: 'a', d: { _id: 1, when: new Date(5), ref: new ObjectId() } })];
  const commit = (start: number) => encodeRecord({ t: 'c', s: start });

  it('replays complete flushes and keeps BSON types', () => {
    const file = Buffer.concat([FILE_MAGIC, ...records, commit(FILE_MAGIC.length)]);
    const scan = scanJournal(file, 'test');
    expect(scan.validEnd).toBe(file.length);
    const put = scan.records[1].record as unknown as { d: { when: Date; ref: ObjectId } };
    expect(put.d.when).toBeInstanceOf(Date);
    expect(put.d.ref).toBeInstanceOf(ObjectId);
  });

  it('drops records after the last commit marker and any torn bytes', () => {
    const committed = Buffer.concat([FILE_MAGIC, records[0], commit(FILE_MAGIC.length)]);
    const torn = Buffer.concat([committed, records[1], records[1].subarray(0, 9)]);
    const scan = scanJournal(torn, 'test');
    expect(scan.records).toHaveLength(1);
    expect(scan.validEnd).toBe(committed.length);
    expect(scan).toMatchObject({ tornBytes: torn.length - committed.length, damage: null });
  });

  it('reports damage followed by a later committed flush (what is lost, and that it was acknowledged), and refuses files that are not journals', () => {
    const first = Buffer.concat([records[0], commit(FILE_MAGIC.length)]);
    const secondStart = FILE_MAGIC.length + first.length;
    const file = Buffer.concat([FILE_MAGIC, first, records[1], commit(secondStart)]);
    file[FILE_MAGIC.length + 20] ^= 0x55;
    const scan = scanJournal(file, 'test');
    expect(scan.records).toEqual([]);
    expect(scan).toMatchObject({ validEnd: FILE_MAGIC.length, tornBytes: 0, damage: { at: FILE_MAGIC.length, records: 1, bytes: file.length - FILE_MAGIC.length, acknowledged: true } });
    expect(() => scanJournal(Buffer.from('not a journal at all'), 'test')).toThrow(EmbeddedStoreError);
  });
});
