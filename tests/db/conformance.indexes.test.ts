// MongoDB behaviours the project relies on, part two: unique and partial indexes, atomicity under concurrency,
// collections and bulk writes, run against every backend (tests/db/conformanceHarness.ts).
import { ObjectId, type Filter } from 'mongodb';
import { type Doc, ids, rejection, onEveryBackend } from './conformanceHarness';

onEveryBackend((harness) => {
  const { backend, fresh } = harness;
  describe('unique indexes', () => {
    it('single field: 11000 with keyPattern/keyValue, missing counts as null, nothing changes', async () => {
      const col = fresh();
      expect(await col.createIndex({ email: 1 }, { unique: true })).toBe('email_1');
      await col.insertOne({ email: 'a' });
      const dup = await rejection(col.insertOne({ email: 'a', extra: 1 }));
      expect(dup.code).toBe(11000);
      expect(dup.keyPattern).toEqual({ email: 1 });
      expect(dup.keyValue).toEqual({ email: 'a' });
      expect(dup.message).toMatch(/E11000 duplicate key error collection: .*index: email_1 dup key/);
      await col.insertOne({ other: 1 });
      expect((await rejection(col.insertOne({ other: 2 }))).keyValue).toEqual({ email: null });
      await col.insertOne({ email: 'b' });
      expect((await rejection(col.updateOne({ email: 'b' }, { $set: { email: 'a', touched: true } }))).code).toBe(11000);
      expect((await rejection(col.findOneAndUpdate({ email: 'b' }, { $set: { email: 'a' } }))).code).toBe(11000);
      expect((await rejection(col.updateOne({ email: 'new' }, { $set: { other: 3, email: 'a' } }, { upsert: true }))).code).toBe(11000);
      expect(await col.find({}, { projection: { _id: 0 } }).sort({ email: 1 }).toArray()).toEqual([{ other: 1 }, { email: 'a' }, { email: 'b' }]);
      expect(await col.countDocuments({ email: 'a' })).toBe(1);
    });
    it('compound', async () => {
      const col = fresh();
      expect(await col.createIndex({ a: 1, b: -1 }, { unique: true })).toBe('a_1_b_-1');
      await col.insertMany([{ a: 1, b: 1 }, { a: 1, b: 2 }, { a: 2, b: 1 }]);
      const dup = await rejection(col.insertOne({ a: 1, b: 1 }));
      expect(dup.keyPattern).toEqual({ a: 1, b: -1 });
      expect(dup.keyValue).toEqual({ a: 1, b: 1 });
      expect(await col.countDocuments({})).toBe(3);
    });
    it('partial: only documents matching the filter are constrained', async () => {
      const col = fresh();
      await col.createIndex({ code: 1 }, { unique: true, partialFilterExpression: { code: { $type: 'string' } }, name: 'code_unique' });
      await col.insertMany([{}, {}, { code: null }, { code: null }, { code: 5 }, { code: 5 }, { code: 'X' }]);
      const dup = await rejection(col.insertOne({ code: 'X' }));
      expect(dup.code).toBe(11000);
      expect(dup.keyValue).toEqual({ code: 'X' });
      expect(await col.countDocuments({ code: 'X' })).toBe(1);
      await col.updateOne({ code: 5 }, { $set: { code: 'Y' } });
      expect((await rejection(col.updateOne({ code: 5 }, { $set: { code: 'Y' } }))).code).toBe(11000);
    });
    it('sparse: missing fields do not collide, nulls do', async () => {
      const col = fresh();
      await col.createIndex({ nick: 1 }, { unique: true, sparse: true });
      await col.insertMany([{ a: 1 }, { a: 2 }, { nick: null }]);
      expect((await rejection(col.insertOne({ nick: null }))).keyValue).toEqual({ nick: null });
      expect(await col.countDocuments({})).toBe(3);
    });
    it('cannot be created over existing duplicates', async () => {
      const col = fresh();
      await col.insertMany([{ k: 1 }, { k: 1 }]);
      expect((await rejection(col.createIndex({ k: 1 }, { unique: true }))).code).toBe(11000);
      expect((await col.indexes()).map((index) => index.name)).toEqual(['_id_']);
    });
    it('insertMany stops at the first duplicate (ordered), continues when unordered', async () => {
      const col = fresh();
      const error = await rejection(col.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }] as Doc[]));
      expect(error.code).toBe(11000);
      expect((error as unknown as { insertedCount: number }).insertedCount).toBe(2);
      expect(ids(await col.find({}).toArray())).toEqual([1, 2]);
      await rejection(col.insertMany([{ _id: 10 }, { _id: 10 }, { _id: 11 }] as Doc[], { ordered: false }));
      expect(ids(await col.find({ _id: { $gte: 10 } }).toArray())).toEqual([10, 11]);
      expect((await rejection(col.insertOne({ _id: 2 } as Doc))).keyPattern).toEqual({ _id: 1 });
    });
  });

  describe('indexes', () => {
    it('are idempotent, named like MongoDB, listed and dropped', async () => {
      const col = fresh();
      expect(await col.createIndex({ a: 1 })).toBe('a_1');
      expect(await col.createIndex({ a: 1 })).toBe('a_1');
      expect(await col.createIndex({ b: 1, c: -1 })).toBe('b_1_c_-1');
      expect(await col.createIndex({ d: 1 }, { name: 'custom' })).toBe('custom');
      expect(await col.createIndexes([{ key: { e: 1 } }])).toEqual(['e_1']);
      const listed = await col.indexes();
      expect(listed.map((index) => index.name).sort()).toEqual(['_id_', 'a_1', 'b_1_c_-1', 'custom', 'e_1']);
      expect(listed.find((index) => index.name === 'b_1_c_-1')?.key).toEqual({ b: 1, c: -1 });
      await col.dropIndex('a_1');
      expect((await col.listIndexes().toArray()).map((index) => index.name).sort()).toEqual(['_id_', 'b_1_c_-1', 'custom', 'e_1']);
      expect((await rejection(col.createIndex({ z: 1 }, { name: 'custom' }))).code).toBe(86);
    });
    it('partial filters: accept equality, $exists: true, ranges, $type and a top-level $and; refuse the rest (67)', async () => {
      const col = fresh();
      const accepted: Doc[] = [
        { active: true },
        { active: { $eq: true } },
        { 'holders.0': { $exists: true } },
        { n: { $gt: 1, $lte: 9 } },
        { s: { $type: 'string' } },
        { $and: [{ active: true }, { n: { $gte: 1 } }] },
      ];
      // One key per index: servers before 5.0 refuse two indexes on one key that differ only in their filter.
      for (const [i, partialFilterExpression] of accepted.entries()) await col.createIndex({ [`k${i}`]: 1 }, { partialFilterExpression });
      const refused: Doc[] = [
        { n: { $ne: 1 } },
        { n: { $nin: [1] } },
        { n: { $not: { $gt: 1 } } },
        { s: { $regex: '^a' } },
        { s: /^a/ },
        { $nor: [{ n: 1 }] },
        { n: { $exists: false } },
        { list: { $elemMatch: { a: 1 } } },
      ];
      for (const partialFilterExpression of refused) {
        expect((await rejection(col.createIndex({ r: 1 }, { name: 'refused', partialFilterExpression }))).code).toBe(67);
      }
      expect((await col.indexes()).map((index) => index.name)).not.toContain('refused');
    });
    it('give the same answers as a scan, arrays included', async () => {
      const col = fresh();
      await col.insertMany([{ t: 'a', k: 1 }, { t: ['a', 'b'], k: 2 }, { t: 'b', k: 3 }, { k: 4 }, { t: null, k: 5 }, { t: { x: 1 }, k: 6 }]);
      const filters: Array<Filter<Doc>> = [{ t: 'a' }, { t: 'b' }, { t: null }, { t: { $in: ['a', null] } }, { t: { x: 1 } }, { t: ['a', 'b'] }, { t: { $eq: 'b' }, k: { $gt: 2 } }];
      const before = await Promise.all(filters.map((filter) => col.find(filter).toArray()));
      await col.createIndex({ t: 1 });
      const after = await Promise.all(filters.map((filter) => col.find(filter).toArray()));
      expect(after.map((docs) => docs.map((d) => d.k).sort())).toEqual(before.map((docs) => docs.map((d) => d.k).sort()));
      expect(before.map((docs) => docs.length)).toEqual([2, 2, 2, 4, 1, 1, 1]);
    });
  });

  describe('atomicity and isolation', () => {
    it('refuses to change _id (code 66) and leaves the document alone', async () => {
      const col = fresh();
      await col.insertOne({ _id: 1, v: 1 } as Doc);
      expect((await rejection(col.updateOne({ _id: 1 }, { $set: { _id: 2, v: 2 } }))).code).toBe(66);
      expect((await rejection(col.replaceOne({ _id: 1 }, { _id: 2, v: 2 }))).code).toBe(66);
      expect((await rejection(col.findOneAndUpdate({ _id: 1 }, { $set: { _id: 3 } }))).code).toBe(66);
      expect((await col.updateOne({ _id: 1 }, { $set: { _id: 1 } })).matchedCount).toBe(1);
      expect(await col.find({}).toArray()).toEqual([{ _id: 1, v: 1 }]);
    });
    it(`gives exactly ${backend.places} winners to ${backend.racers} concurrent conditional decrements`, async () => {
      const col = fresh<{ _id: string; remaining: number }>();
      await col.insertOne({ _id: 'slot', remaining: backend.places });
      const results = await Promise.all(
        Array.from({ length: backend.racers }, () =>
          col.findOneAndUpdate({ _id: 'slot', remaining: { $gt: 0 } }, { $inc: { remaining: -1 } }, { returnDocument: 'after' }),
        ),
      );
      const winners = results.filter((doc) => doc !== null);
      expect(winners).toHaveLength(backend.places);
      expect(new Set(winners.map((doc) => doc!.remaining)).size).toBe(backend.places);
      expect((await col.findOne({ _id: 'slot' }))?.remaining).toBe(0);
    });
    it('a lease taken by an upsert on _id plus a range: 11000 while held, taken once expired, created when missing', async () => {
      const col = fresh<{ _id: string; owner: string; until: Date }>();
      const now = new Date('2026-12-01T00:00:00Z');
      const take = (owner: string) =>
        col.findOneAndUpdate({ _id: 'patient', until: { $lte: now } }, { $set: { owner, until: new Date(now.getTime() + 5000) } }, { upsert: true, returnDocument: 'after' });
      expect(await take('first')).toEqual({ _id: 'patient', owner: 'first', until: new Date(now.getTime() + 5000) });
      const held = await rejection(take('second'));
      expect(held.code).toBe(11000);
      expect((await col.findOne({ _id: 'patient' }))?.owner).toBe('first');
      await col.updateOne({ _id: 'patient' }, { $set: { until: new Date(0) } });
      expect((await take('second'))?.owner).toBe('second');
      expect(await col.countDocuments({})).toBe(1);
    });
    it('ObjectId arrays: $ne and equality on elements, $all with $size, $push and $pull', async () => {
      const col = fresh<{ _id: string; holders: ObjectId[]; remaining: number }>();
      const [a, b, c] = [new ObjectId(), new ObjectId(), new ObjectId()];
      await col.insertMany([
        { _id: 'ab', holders: [a, b], remaining: 1 },
        { _id: 'b', holders: [b], remaining: 2 },
        { _id: 'none', holders: [], remaining: 3 },
      ]);
      const idsOf = async (filter: Filter<{ _id: string; holders: ObjectId[]; remaining: number }>) => (await col.find(filter).toArray()).map((doc) => doc._id).sort();
      expect(await idsOf({ holders: { $ne: a } })).toEqual(['b', 'none']);
      expect(await idsOf({ holders: { $ne: new ObjectId(a.toHexString()) } })).toEqual(['b', 'none']);
      expect(await idsOf({ holders: b })).toEqual(['ab', 'b']);
      expect(await idsOf({ holders: { $size: 2, $all: [b, a] } })).toEqual(['ab']);
      expect(await idsOf({ 'holders.0': { $exists: true } })).toEqual(['ab', 'b']);
      // A claim refused for an appointment already holding a place, then allowed for a new one.
      expect(await col.findOneAndUpdate({ _id: 'ab', remaining: { $gt: 0 }, holders: { $ne: a } }, { $inc: { remaining: -1 }, $push: { holders: a } })).toBeNull();
      expect((await col.updateOne({ _id: 'ab', remaining: { $gt: 0 }, holders: { $ne: c } }, { $inc: { remaining: -1 }, $push: { holders: c } })).modifiedCount).toBe(1);
      expect((await col.updateOne({ _id: 'ab', holders: a }, { $inc: { remaining: 1 }, $pull: { holders: a } })).modifiedCount).toBe(1);
      expect(await col.findOne({ _id: 'ab' })).toEqual({ _id: 'ab', holders: [b, c], remaining: 1 });
    });
    it('stores copies and returns copies', async () => {
      const col = fresh();
      const input = { _id: 1, nested: { a: 1 }, list: [1], when: new Date(1000) };
      await col.insertOne(input as Doc);
      input.nested.a = 99;
      input.list.push(2);
      input.when.setTime(5);
      const got = (await col.findOne({ _id: 1 }))!;
      expect(got).toEqual({ _id: 1, nested: { a: 1 }, list: [1], when: new Date(1000) });
      got.nested.a = 7;
      got.list.push(3);
      got.when.setTime(9);
      const [fromFind] = await col.find({ _id: 1 }).toArray();
      fromFind.nested.a = 8;
      const updated = (await col.findOneAndUpdate({ _id: 1 }, { $set: { x: 1 } }, { returnDocument: 'after' }))!;
      updated.list.push(4);
      const [aggregated] = await col.aggregate([{ $match: { _id: 1 } }]).toArray();
      aggregated.nested.a = 6;
      const setValue = { deep: { v: 1 } };
      await col.updateOne({ _id: 1 }, { $set: { obj: setValue } });
      setValue.deep.v = 2;
      expect(await col.findOne({ _id: 1 })).toEqual({ _id: 1, nested: { a: 1 }, list: [1], when: new Date(1000), x: 1, obj: { deep: { v: 1 } } });
    });
  });

  describe('collections and bulk writes', () => {
    it('lists, drops and bulk-writes', async () => {
      const col = fresh();
      await col.insertOne({ a: 1 });
      expect((await harness.db().listCollections().toArray()).map((info) => info.name)).toContain(col.collectionName);
      const result = await col.bulkWrite([
        { insertOne: { document: { _id: 'b1', v: 1 } } },
        { updateOne: { filter: { _id: 'b1' }, update: { $inc: { v: 1 } } } },
        { updateMany: { filter: {}, update: { $set: { seen: true } } } },
        { deleteOne: { filter: { a: 1 } } },
      ] as never);
      expect(result).toMatchObject({ insertedCount: 1, matchedCount: 3, modifiedCount: 3, deletedCount: 1 });
      expect(await col.find({}).toArray()).toEqual([{ _id: 'b1', v: 2, seen: true }]);
      expect(await col.drop()).toBe(true);
      expect(await col.countDocuments({})).toBe(0);
      expect((await harness.db().listCollections().toArray()).map((info) => info.name)).not.toContain(col.collectionName);
    });
  });
});
