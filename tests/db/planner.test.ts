// The query planner: indexed lookups examine only their candidates (counted, not timed), and always agree with a scan.
import { openEmbeddedStore, type EmbeddedCollection, type EmbeddedStore } from '../../cloudfunctions/shared/db/embedded';

type Patient = { _id: number; code: string; group: number; tags?: unknown; visits?: Array<{ dept: string }>; nick?: string | null; plain: string };

let store: EmbeddedStore;
let col: EmbeddedCollection<Patient>;

beforeAll(async () => {
  store = await openEmbeddedStore({ dbName: 'planner' });
  col = store.db.collection<Patient>('patients');
  await col.insertMany(Array.from({ length: 1000 }, (_, i) => ({ _id: i, code: `C${i}`, group: i % 10, plain: `C${i}` })));
  await col.createIndex({ code: 1 }, { unique: true });
  await col.createIndex({ group: 1 });
});
afterAll(() => store.close());

/** Runs a query on the indexed collection and on a fresh unindexed copy, and compares. */
async function sameAsScan(filter: Record<string, unknown>): Promise<void> {
  const scanned = store.db.collection<Patient>('scan_copy');
  await scanned.drop();
  await scanned.insertMany(await col.find({}).toArray());
  const expected = (await scanned.find(filter).toArray()).map((doc) => doc._id).sort((a, b) => a - b);
  const actual = (await col.find(filter).toArray()).map((doc) => doc._id).sort((a, b) => a - b);
  expect(actual).toEqual(expected);
}

describe('query planner', () => {
  it('uses _id for _id equality and $in', () => {
    expect(col.explain({ _id: 5 })).toEqual({ index: '_id_', docsExamined: 1, nReturned: 1 });
    expect(col.explain({ _id: { $in: [1, 2, 3, 5000] }, group: 1 })).toEqual({ index: '_id_', docsExamined: 3, nReturned: 1 });
  });

  it('touches only the candidates of a single-field index (value, $eq, $in)', () => {
    expect(col.explain({ code: 'C42' })).toEqual({ index: 'code_1', docsExamined: 1, nReturned: 1 });
    expect(col.explain({ code: { $eq: 'C42' } })).toEqual({ index: 'code_1', docsExamined: 1, nReturned: 1 });
    expect(col.explain({ code: { $in: ['C1', 'C2', 'nope'] } })).toEqual({ index: 'code_1', docsExamined: 2, nReturned: 2 });
    expect(col.explain({ group: 3 })).toEqual({ index: 'group_1', docsExamined: 100, nReturned: 100 });
    expect(col.explain({ $and: [{ code: 'C7' }, { group: 7 }] })).toMatchObject({ index: 'code_1', docsExamined: 1 });
  });

  it('prefers the most selective usable index', () => {
    expect(col.explain({ group: 3, code: 'C3' })).toEqual({ index: 'code_1', docsExamined: 1, nReturned: 1 });
  });

  it('scans when no index fixes the fields by equality', () => {
    expect(col.explain({ plain: 'C42' })).toEqual({ index: null, docsExamined: 1000, nReturned: 1 });
    expect(col.explain({ code: { $gt: 'C998' } })).toMatchObject({ index: null, docsExamined: 1000 });
    expect(col.explain({ $or: [{ code: 'C1' }, { code: 'C2' }] })).toMatchObject({ index: null, docsExamined: 1000, nReturned: 2 });
    expect(col.explain({ code: /^C4/ })).toMatchObject({ index: null });
  });

  it('stops a scan at the limit when there is no sort', () => {
    expect(col.explain({ plain: { $exists: true } }, { limit: 5 })).toEqual({ index: null, docsExamined: 5, nReturned: 5 });
  });

  it('keeps indexes in step with updates, deletes and failed writes', async () => {
    await col.updateOne({ _id: 10 }, { $set: { code: 'MOVED' } });
    expect(col.explain({ code: 'C10' })).toMatchObject({ index: 'code_1', docsExamined: 0 });
    expect(col.explain({ code: 'MOVED' })).toMatchObject({ docsExamined: 1, nReturned: 1 });
    await expect(col.updateOne({ _id: 11 }, { $set: { code: 'MOVED' } })).rejects.toMatchObject({ code: 11000 });
    expect(col.explain({ code: 'C11' })).toMatchObject({ docsExamined: 1, nReturned: 1 });
    await col.deleteOne({ code: 'MOVED' });
    expect(col.explain({ code: 'MOVED' })).toMatchObject({ docsExamined: 0 });
    await col.insertOne({ _id: 10, code: 'C10', group: 0, plain: 'C10' });
  });

  it('uses a compound index when the filter fixes all its fields, or a prefix of them', async () => {
    const visits = store.db.collection<{ _id: number; dept: string; day: number }>('visits');
    await visits.insertMany(Array.from({ length: 300 }, (_, i) => ({ _id: i, dept: `D${i % 3}`, day: i % 50 })));
    await visits.createIndex({ dept: 1, day: 1 });
    expect(visits.explain({ dept: 'D1', day: 4 })).toEqual({ index: 'dept_1_day_1', docsExamined: 2, nReturned: 2 });
    expect(visits.explain({ dept: { $in: ['D1', 'D2'] }, day: 4 })).toMatchObject({ index: 'dept_1_day_1', docsExamined: 4 });
    expect(visits.explain({ dept: 'D1' })).toEqual({ index: 'dept_1_day_1', docsExamined: 100, nReturned: 100 });
    expect(visits.explain({ dept: { $in: ['D1', 'D2'] } })).toEqual({ index: 'dept_1_day_1', docsExamined: 200, nReturned: 200 });
    expect(visits.explain({ day: 4 })).toMatchObject({ index: null });
  });

  it('indexes array elements (multikey) and stays correct for arrays inside paths', async () => {
    await col.updateOne({ _id: 1 }, { $set: { tags: ['x', 'y'], visits: [{ dept: 'eye' }, { dept: 'skin' }] } });
    await col.updateOne({ _id: 2 }, { $set: { tags: 'x', visits: [{ dept: 'eye' }] } });
    await col.updateOne({ _id: 3 }, { $set: { tags: [['x']], visits: { dept: 'eye' } as never } });
    await col.createIndex({ tags: 1 });
    await col.createIndex({ 'visits.dept': 1 });
    expect(col.explain({ tags: 'x' })).toEqual({ index: 'tags_1', docsExamined: 2, nReturned: 2 });
    expect(col.explain({ 'visits.dept': 'eye' })).toMatchObject({ index: 'visits.dept_1', nReturned: 3 });
    for (const filter of [{ tags: 'x' }, { tags: ['x'] }, { tags: ['x', 'y'] }, { tags: null }, { 'visits.dept': 'eye' }, { 'visits.dept': 'skin' }, { 'visits.dept': null }]) {
      await sameAsScan(filter);
    }
  });

  it('uses partial and sparse indexes only when they hold every possible match', async () => {
    const users = store.db.collection<{ _id: number; unionid?: string | number | null; nick?: string | null }>('users');
    await users.insertMany([{ _id: 1, unionid: 'u1' }, { _id: 2, unionid: 5 }, { _id: 3 }, { _id: 4, unionid: null, nick: 'n' }, { _id: 5, nick: null }]);
    await users.createIndex({ unionid: 1 }, { unique: true, partialFilterExpression: { unionid: { $type: 'string' } } });
    await users.createIndex({ nick: 1 }, { sparse: true });
    expect(users.explain({ unionid: 'u1' })).toEqual({ index: 'unionid_1', docsExamined: 1, nReturned: 1 });
    expect(users.explain({ unionid: 5 })).toMatchObject({ index: null, nReturned: 1 });
    expect(users.explain({ unionid: null })).toMatchObject({ index: null, nReturned: 3 });
    expect(users.explain({ nick: 'n' })).toEqual({ index: 'nick_1', docsExamined: 1, nReturned: 1 });
    expect(users.explain({ nick: null })).toMatchObject({ index: null, nReturned: 4 });
  });

  it('agrees with a scan on mixed filters', async () => {
    for (const filter of [{ group: 3, code: { $gte: 'C5' } }, { code: { $in: ['C1', 'C999', 'x'] }, group: { $ne: 1 } }, { group: { $in: [1, 2] }, _id: { $lt: 50 } }]) {
      await sameAsScan(filter);
    }
  });
});
