// MongoDB behaviours the project relies on, part one: queries, updates, upserts, findOneAnd*, cursors and
// aggregation, run against every backend (tests/db/conformanceHarness.ts): the embedded store must match a server.
import { ObjectId, type Filter, type Document, type Collection } from 'mongodb';
import { type Doc, ids, rejection, onEveryBackend } from './conformanceHarness';

onEveryBackend((harness) => {
  const { fresh } = harness;
  describe('queries', () => {
    let people: Collection<Doc>;
    beforeAll(async () => {
      people = fresh();
      await people.insertMany([
        { _id: 1, name: 'Ann', age: 30, tags: ['a', 'b'], address: { city: 'Beijing', zip: '100000' }, scores: [{ s: 80, k: 'x' }, { s: 95, k: 'y' }], nick: null },
        { _id: 2, name: 'Bob', age: 25, tags: ['b'], address: { city: 'Shanghai' }, scores: [{ s: 60, k: 'x' }] },
        { _id: 3, name: 'carl', age: 35, tags: [], address: { city: 'Beijing' }, scores: [] },
        { _id: 4, name: 'Dana', age: 40, tags: ['a', 'c'], scores: [{ s: 99, k: 'z' }], nick: 'D' },
        { _id: 5, name: 'Eve', age: 25, tags: ['c', 'b'] },
      ] as Doc[]);
    });
    const cases: Array<[string, Filter<Doc>, number[]]> = [
      ['equality', { age: 25 }, [2, 5]],
      ['$eq', { age: { $eq: 30 } }, [1]],
      ['$ne', { age: { $ne: 25 } }, [1, 3, 4]],
      ['$gt', { age: { $gt: 30 } }, [3, 4]],
      ['$gte', { age: { $gte: 30 } }, [1, 3, 4]],
      ['$lt', { age: { $lt: 30 } }, [2, 5]],
      ['$lte', { age: { $lte: 30 } }, [1, 2, 5]],
      ['range', { age: { $gt: 25, $lt: 40 } }, [1, 3]],
      ['$in', { age: { $in: [25, 40] } }, [2, 4, 5]],
      ['$nin', { age: { $nin: [25, 40] } }, [1, 3]],
      ['$exists true (null counts)', { nick: { $exists: true } }, [1, 4]],
      ['$exists false', { nick: { $exists: false } }, [2, 3, 5]],
      ['null matches null and missing', { nick: null }, [1, 2, 3, 5]],
      ['$ne null', { nick: { $ne: null } }, [4]],
      ['$and', { $and: [{ age: { $gte: 25 } }, { tags: 'b' }] }, [1, 2, 5]],
      ['$or', { $or: [{ age: 40 }, { name: 'Bob' }] }, [2, 4]],
      ['$or beside a field', { age: 25, $or: [{ name: 'Eve' }, { name: 'Ann' }] }, [5]],
      ['$or with a branch of several fields', { $or: [{ age: 25, name: 'Bob' }, { age: { $gte: 40 } }] }, [2, 4]],
      ['$or on null and missing', { $or: [{ nick: null }, { age: 40 }] }, [1, 2, 3, 4, 5]],
      ['$or with $in and $exists', { $or: [{ name: { $in: ['carl', 'Dana'] } }, { 'address.zip': { $exists: true } }] }, [1, 3, 4]],
      ['$or reaching into arrays', { $or: [{ tags: 'c' }, { 'scores.k': 'x' }] }, [1, 2, 4, 5]],
      ['$or nested in $and', { $and: [{ age: { $lt: 40 } }, { $or: [{ tags: 'a' }, { name: 'carl' }] }] }, [1, 3]],
      ['two $or in $and', { $and: [{ $or: [{ age: 25 }, { age: 30 }] }, { $or: [{ name: 'Ann' }, { name: 'Eve' }] }] }, [1, 5]],
      ['$or of an empty branch', { $or: [{}, { age: 99 }] }, [1, 2, 3, 4, 5]],
      ['$nor', { $nor: [{ age: 25 }, { tags: 'a' }] }, [3]],
      ['$not', { age: { $not: { $gt: 30 } } }, [1, 2, 5]],
      ['$regex with options', { name: { $regex: '^[a-c]', $options: 'i' } }, [1, 2, 3]],
      ['RegExp value', { name: /^D/ }, [4]],
      ['$elemMatch', { scores: { $elemMatch: { s: { $gt: 90 }, k: 'y' } } }, [1]],
      ['$elemMatch one field', { scores: { $elemMatch: { s: { $gt: 90 } } } }, [1, 4]],
      ['$size', { tags: { $size: 2 } }, [1, 4, 5]],
      ['$size 0', { tags: { $size: 0 } }, [3]],
      ['dotted path', { 'address.city': 'Beijing' }, [1, 3]],
      ['dotted path into array of documents', { 'scores.s': { $gte: 95 } }, [1, 4]],
      ['dotted path equality in array', { 'scores.k': 'x' }, [1, 2]],
      ['dotted $exists', { 'address.zip': { $exists: true } }, [1]],
      ['array contains', { tags: 'c' }, [4, 5]],
      ['array $in', { tags: { $in: ['c', 'zzz'] } }, [4, 5]],
      ['array exact equality', { tags: ['a', 'b'] }, [1]],
      ['array equality is ordered', { tags: ['b', 'a'] }, []],
      ['empty array equality', { tags: [] }, [3]],
      ['$gt on arrays (any element)', { 'scores.s': { $gt: 98 } }, [4]],
      ['$gt on a top-level array (any element)', { tags: { $gt: 'b' } }, [4, 5]],
      ['$lte on a top-level array (any element)', { tags: { $lte: 'a' } }, [1, 4]],
      ['$ne on an array: no element equals (an empty array has none)', { tags: { $ne: 'b' } }, [3, 4]],
      ['$nin on an array: no element in the list', { tags: { $nin: ['a', 'b'] } }, [3]],
      ['null does not match an array without null', { tags: null }, []],
      ['$ne null matches every array, empty too', { tags: { $ne: null } }, [1, 2, 3, 4, 5]],
      ['$eq on an array beside a scalar field', { tags: { $eq: 'b' }, age: 25 }, [2, 5]],
      ['$or of array conditions', { $or: [{ tags: { $ne: 'b' } }, { tags: 'b', age: 30 }] }, [1, 3, 4]],
      ['_id $in', { _id: { $in: [1, 3, 99] } }, [1, 3]],
      ['embedded document equality', { address: { city: 'Shanghai' } }, [2]],
    ];
    it.each(cases)('%s', async (_title, filter, expected) => {
      expect(ids(await people.find(filter).toArray())).toEqual(expected);
      expect(await people.countDocuments(filter)).toBe(expected.length);
    });

    it('compares ObjectId and Date values', async () => {
      const events = fresh();
      const ref = new ObjectId();
      const t0 = new Date('2026-01-01T00:00:00Z');
      const inserted = await events.insertOne({ ref, at: t0, n: 1 });
      await events.insertOne({ ref: new ObjectId(), at: new Date(t0.getTime() + 3_600_000), n: 2 });
      expect(inserted.insertedId).toBeInstanceOf(ObjectId);
      const found = await events.findOne({ ref: new ObjectId(ref.toHexString()) });
      expect(found?._id).toEqual(inserted.insertedId);
      expect(found?.ref).toBeInstanceOf(ObjectId);
      expect(found?.at).toBeInstanceOf(Date);
      expect(found?.at.getTime()).toBe(t0.getTime());
      expect(await events.countDocuments({ at: { $gte: t0, $lt: new Date(t0.getTime() + 1_800_000) } })).toBe(1);
      expect(await events.countDocuments({ at: { $gt: t0 } })).toBe(1);
      expect(await events.countDocuments({ _id: inserted.insertedId })).toBe(1);
      expect(await events.countDocuments({ ref: { $in: [ref, new ObjectId()] } })).toBe(1);
      // An array of ids, as a slot's holders: a place is claimed only by an appointment not already holding it.
      const holder = new ObjectId();
      await events.updateOne({ _id: inserted.insertedId }, { $set: { holders: [new ObjectId(), holder] } });
      expect(await events.countDocuments({ holders: new ObjectId(holder.toHexString()) })).toBe(1);
      expect(await events.countDocuments({ _id: inserted.insertedId, holders: { $ne: holder } })).toBe(0);
      expect(await events.countDocuments({ _id: inserted.insertedId, holders: { $ne: new ObjectId() } })).toBe(1);
      expect(await events.countDocuments({ holders: { $nin: [holder] } })).toBe(1);
    });

    it('round-trips nested documents, arrays, null and numbers', async () => {
      const things = fresh();
      const doc = { _id: 'x', a: { b: { c: [1, 2.5, -3] } }, n: null, list: [{ k: 1 }, [2, 3]], big: 2 ** 40, neg: -0.25, flag: false, s: '' };
      await things.insertOne(doc);
      expect(await things.findOne({ _id: 'x' })).toEqual(doc);
    });
  });

  describe('update operators', () => {
    let col: Collection<Doc>;
    const current = () => col.findOne({ _id: 1 });
    beforeAll(async () => {
      col = fresh();
      await col.insertOne({ _id: 1, a: 1, b: { c: 2 }, arr: [1, 2, 3], n: 5, s: 'x', tags: ['a'], scores: [{ k: 'x', v: 1 }, { k: 'y', v: 2 }], e: 'old' } as Doc);
    });
    const update = async (modifier: Document, modified = 1) => {
      const result = await col.updateOne({ _id: 1 }, modifier);
      expect(result.matchedCount).toBe(1);
      expect(result.modifiedCount).toBe(modified);
      return current();
    };

    it('$set on nested paths creates missing levels', async () => {
      const doc = await update({ $set: { 'b.d': 3, e2: 'new', 'x.y.z': 1 } });
      expect(doc).toMatchObject({ b: { c: 2, d: 3 }, e2: 'new', x: { y: { z: 1 } } });
      await update({ $set: { a: 1 } }, 0);
    });
    it('$unset', async () => {
      const doc = await update({ $unset: { s: '', 'b.d': '' } });
      expect(doc).not.toHaveProperty('s');
      expect(doc?.b).toEqual({ c: 2 });
      await update({ $unset: { missing: '' } }, 0);
    });
    it('$inc and $mul, creating missing fields', async () => {
      expect(await update({ $inc: { n: 2, 'b.c': -1, fresh: 1 } })).toMatchObject({ n: 7, b: { c: 1 }, fresh: 1 });
      expect(await update({ $mul: { n: 2, m: 3 } })).toMatchObject({ n: 14, m: 0 });
    });
    it('$min and $max', async () => {
      expect((await update({ $min: { n: 10 } }))?.n).toBe(10);
      await update({ $min: { n: 20 } }, 0);
      expect((await update({ $max: { n: 50 } }))?.n).toBe(50);
      await update({ $max: { n: 1 } }, 0);
    });
    it('$push with $each, $position and $slice', async () => {
      expect((await update({ $push: { arr: 4 } }))?.arr).toEqual([1, 2, 3, 4]);
      expect((await update({ $push: { arr: { $each: [5, 6], $slice: -3 } } }))?.arr).toEqual([4, 5, 6]);
      expect((await update({ $push: { arr: { $each: [0], $position: 0 } } }))?.arr).toEqual([0, 4, 5, 6]);
      expect((await update({ $push: { newList: 'first' } }))?.newList).toEqual(['first']);
    });
    it('$addToSet with $each', async () => {
      await update({ $addToSet: { tags: 'a' } }, 0);
      expect((await update({ $addToSet: { tags: { $each: ['b', 'a', 'c', 'b'] } } }))?.tags).toEqual(['a', 'b', 'c']);
    });
    it('$pull by value, by condition and by document query', async () => {
      expect((await update({ $pull: { arr: 5 } }))?.arr).toEqual([0, 4, 6]);
      expect((await update({ $pull: { arr: { $gte: 6 } } }))?.arr).toEqual([0, 4]);
      expect((await update({ $pull: { scores: { k: 'x' } } }))?.scores).toEqual([{ k: 'y', v: 2 }]);
      await update({ $pull: { arr: 99 } }, 0);
    });
    it('$pop', async () => {
      expect((await update({ $pop: { tags: 1 } }))?.tags).toEqual(['a', 'b']);
      expect((await update({ $pop: { tags: -1 } }))?.tags).toEqual(['b']);
    });
    it('$rename', async () => {
      const doc = await update({ $rename: { e: 'renamed' } });
      expect(doc).not.toHaveProperty('e');
      expect(doc?.renamed).toBe('old');
    });
    it('$currentDate', async () => {
      const before = Date.now();
      const doc = await update({ $currentDate: { touched: true } });
      expect(doc?.touched).toBeInstanceOf(Date);
      expect(doc?.touched.getTime()).toBeGreaterThanOrEqual(before - 1000);
    });
    it('$setOnInsert does nothing on an existing document', async () => {
      await update({ $setOnInsert: { inserted: true } }, 0);
      expect(await current()).not.toHaveProperty('inserted');
    });
    it('updateMany counts matched and modified documents', async () => {
      const many = fresh();
      await many.insertMany([{ g: 1, v: 0 }, { g: 1, v: 1 }, { g: 2, v: 0 }]);
      const result = await many.updateMany({ g: 1 }, { $set: { v: 1 } });
      expect(result).toMatchObject({ matchedCount: 2, modifiedCount: 1, upsertedCount: 0, upsertedId: null });
      expect(await many.countDocuments({ v: 1 })).toBe(2);
    });
    it('rejects conflicting paths and non-numeric increments', async () => {
      expect((await rejection(col.updateOne({ _id: 1 }, { $set: { a: 1 }, $inc: { a: 1 } }))).code).toBe(40);
      expect((await rejection(col.updateOne({ _id: 1 }, { $inc: { renamed: 1 } }))).code).toBe(14);
      expect((await rejection(col.updateOne({ _id: 1 }, { $push: { renamed: 1 } } as Document))).code).toBe(2);
    });
  });

  describe('upserts', () => {
    it('copies filter equality fields and applies $setOnInsert only on insert', async () => {
      const col = fresh();
      const filter = { code: 'A1', 'meta.kind': 'slot', level: { $eq: 3 }, age: { $gt: 5 }, $and: [{ p: 1 }] };
      const first = await col.updateOne(filter, { $setOnInsert: { created: 1 }, $set: { seen: true } }, { upsert: true });
      expect(first).toMatchObject({ matchedCount: 0, modifiedCount: 0, upsertedCount: 1 });
      expect(first.upsertedId).toBeInstanceOf(ObjectId);
      const doc = await col.findOne({ _id: first.upsertedId! });
      expect(doc).toEqual({ _id: first.upsertedId, code: 'A1', meta: { kind: 'slot' }, level: 3, p: 1, created: 1, seen: true });
      const second = await col.updateOne({ code: 'A1' }, { $setOnInsert: { created: 2 }, $set: { seen: true } }, { upsert: true });
      expect(second).toMatchObject({ matchedCount: 1, modifiedCount: 0, upsertedCount: 0, upsertedId: null });
      expect((await col.findOne({ code: 'A1' }))?.created).toBe(1);
    });
    it('uses the filter _id, also for replacements', async () => {
      const col = fresh();
      expect((await col.updateOne({ _id: 'fixed' } as Doc, { $set: { v: 1 } }, { upsert: true })).upsertedId).toBe('fixed');
      expect((await col.replaceOne({ _id: 'r1' } as Doc, { v: 2 }, { upsert: true })).upsertedId).toBe('r1');
      expect(await col.findOne({ _id: 'r1' } as Doc)).toEqual({ _id: 'r1', v: 2 });
      const replaced = await col.replaceOne({ _id: 'r1' } as Doc, { w: 3 });
      expect(replaced).toMatchObject({ matchedCount: 1, modifiedCount: 1 });
      expect(await col.findOne({ _id: 'r1' } as Doc)).toEqual({ _id: 'r1', w: 3 });
    });
    it('creates an empty array from $addToSet with an empty $each', async () => {
      const col = fresh();
      await col.updateOne({ _id: 'u' } as Doc, { $addToSet: { roles: { $each: [] } } }, { upsert: true });
      expect(await col.findOne({ _id: 'u' } as Doc)).toEqual({ _id: 'u', roles: [] });
    });
  });

  describe('findOneAnd*', () => {
    it('returns the document before or after, null when nothing matches, with projection and sort', async () => {
      const col = fresh();
      await col.insertMany([{ _id: 1, n: 1 }, { _id: 2, n: 10, group: 'g' }, { _id: 3, n: 20, group: 'g' }] as Doc[]);
      expect(await col.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } })).toEqual({ _id: 1, n: 1 });
      expect(await col.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { returnDocument: 'after' })).toEqual({ _id: 1, n: 3 });
      expect(await col.findOneAndUpdate({ _id: 99 }, { $inc: { n: 1 } })).toBeNull();
      expect(await col.findOneAndUpdate({ _id: 1 }, { $set: { x: 1 } }, { returnDocument: 'after', projection: { n: 1, _id: 0 } })).toEqual({ n: 3 });
      expect(await col.findOneAndUpdate({ group: 'g' }, { $set: { picked: true } }, { sort: { n: -1 }, returnDocument: 'after' })).toMatchObject({ _id: 3, picked: true });
      expect(await col.findOneAndUpdate({ _id: 4 }, { $set: { n: 9 } }, { upsert: true })).toBeNull();
      expect(await col.findOneAndUpdate({ _id: 5 }, { $set: { n: 9 } }, { upsert: true, returnDocument: 'after' })).toEqual({ _id: 5, n: 9 });
    });
    it('reports metadata when asked', async () => {
      const col = fresh();
      await col.insertOne({ _id: 1, n: 1 } as Doc);
      const updated = await col.findOneAndUpdate({ _id: 1 }, { $inc: { n: 1 } }, { includeResultMetadata: true, returnDocument: 'after' });
      expect(updated.ok).toBe(1);
      expect(updated.value).toEqual({ _id: 1, n: 2 });
      expect(updated.lastErrorObject).toMatchObject({ n: 1, updatedExisting: true });
      const upserted = await col.findOneAndUpdate({ _id: 2 }, { $set: { n: 1 } }, { includeResultMetadata: true, upsert: true });
      expect(upserted.value).toBeNull();
      expect(upserted.lastErrorObject).toMatchObject({ n: 1, updatedExisting: false, upserted: 2 });
    });
    it('findOneAndDelete and findOneAndReplace', async () => {
      const col = fresh();
      await col.insertMany([{ _id: 1, v: 1 }, { _id: 2, v: 2 }] as Doc[]);
      expect(await col.findOneAndReplace({ _id: 1 }, { w: 1 }, { returnDocument: 'after' })).toEqual({ _id: 1, w: 1 });
      expect(await col.findOneAndDelete({ v: 2 })).toEqual({ _id: 2, v: 2 });
      expect(await col.findOneAndDelete({ v: 2 })).toBeNull();
      expect(await col.deleteMany({})).toMatchObject({ deletedCount: 1 });
    });
  });

  describe('sort, skip, limit, projection, counting', () => {
    let col: Collection<Doc>;
    beforeAll(async () => {
      col = fresh();
      await col.insertMany(Array.from({ length: 10 }, (_, i) => ({ _id: i, n: i % 3, name: `p${i}`, nested: { a: i, b: 'x' }, tags: [`t${i % 2}`] })) as Doc[]);
    });
    it('sorts on several keys and pages', async () => {
      expect(ids(await col.find({ n: 0 }).toArray())).toEqual([0, 3, 6, 9]);
      expect((await col.find({}).sort({ n: 1, _id: -1 }).toArray()).map((d) => d._id)).toEqual([9, 6, 3, 0, 7, 4, 1, 8, 5, 2]);
      expect((await col.find({}, { sort: { _id: 1 }, skip: 2, limit: 3 }).toArray()).map((d) => d._id)).toEqual([2, 3, 4]);
      expect((await col.find({}).sort({ _id: -1 }).skip(1).limit(2).toArray()).map((d) => d._id)).toEqual([8, 7]);
      expect((await col.findOne({ n: 1 }, { sort: { _id: -1 } }))?._id).toBe(7);
    });
    it('projects by inclusion and exclusion, dotted paths included', async () => {
      expect(await col.findOne({ _id: 4 }, { projection: { name: 1 } })).toEqual({ _id: 4, name: 'p4' });
      expect(await col.findOne({ _id: 4 }, { projection: { name: 1, _id: 0 } })).toEqual({ name: 'p4' });
      expect(await col.findOne({ _id: 4 }, { projection: { 'nested.a': 1 } })).toEqual({ _id: 4, nested: { a: 4 } });
      expect(await col.findOne({ _id: 4 }, { projection: { nested: 0, name: 0, tags: 0 } })).toEqual({ _id: 4, n: 1 });
      expect(await col.findOne({ _id: 4 }, { projection: { 'nested.b': 0, tags: 0 } })).toEqual({ _id: 4, n: 1, name: 'p4', nested: { a: 4 } });
      expect(await col.find({ _id: { $lt: 2 } }).sort({ _id: 1 }).project({ _id: 0, n: 1 }).toArray()).toEqual([{ n: 0 }, { n: 1 }]);
    });
    it('counts and lists distinct values', async () => {
      expect(await col.countDocuments({ n: 1 })).toBe(3);
      expect(await col.countDocuments({}, { limit: 2 })).toBe(2);
      expect(await col.countDocuments({}, { skip: 8 })).toBe(2);
      expect(await col.estimatedDocumentCount()).toBe(10);
      expect((await col.distinct('n')).sort()).toEqual([0, 1, 2]);
      expect((await col.distinct('tags', { n: 0 })).sort()).toEqual(['t0', 't1']);
      expect(await col.distinct('nested.b')).toEqual(['x']);
    });
    it('iterates with next() and for await', async () => {
      const cursor = col.find({ n: 2 }).sort({ _id: 1 });
      expect((await cursor.next())?._id).toBe(2);
      const rest: unknown[] = [];
      for await (const doc of cursor) rest.push(doc._id);
      expect(rest).toEqual([5, 8]);
      expect(await cursor.next()).toBeNull();
    });
  });

  describe('aggregation', () => {
    let orders: Collection<Doc>;
    beforeAll(async () => {
      orders = fresh();
      await orders.insertMany([
        { _id: 1, dept: 'A', amount: 10, items: ['x', 'y'] },
        { _id: 2, dept: 'B', amount: 5, items: ['x'] },
        { _id: 3, dept: 'A', amount: 7, items: [] },
        { _id: 4, dept: 'B', amount: 0, items: ['y', 'z'] },
      ] as Doc[]);
    });
    it('$match, $group, $sort', async () => {
      const result = await orders.aggregate([{ $match: { amount: { $gt: 0 } } }, { $group: { _id: '$dept', total: { $sum: '$amount' }, n: { $sum: 1 } } }, { $sort: { _id: 1 } }]).toArray();
      expect(result).toEqual([{ _id: 'A', total: 17, n: 2 }, { _id: 'B', total: 5, n: 1 }]);
    });
    it('$unwind, $project, $limit, $skip, $count', async () => {
      const unwound = await orders.aggregate([{ $unwind: '$items' }, { $group: { _id: '$items', c: { $sum: 1 } } }, { $sort: { c: -1, _id: 1 } }]).toArray();
      expect(unwound).toEqual([{ _id: 'x', c: 2 }, { _id: 'y', c: 2 }, { _id: 'z', c: 1 }]);
      const projected = await orders.aggregate([{ $project: { _id: 0, dept: 1, double: { $multiply: ['$amount', 2] } } }, { $sort: { double: 1 } }, { $skip: 1 }, { $limit: 2 }]).toArray();
      expect(projected).toEqual([{ dept: 'B', double: 10 }, { dept: 'A', double: 14 }]);
      expect(await orders.aggregate([{ $match: { dept: 'A' } }, { $count: 'howMany' }]).toArray()).toEqual([{ howMany: 2 }]);
    });
    it('$lookup', async () => {
      const depts = harness.db().collection<Doc>(`${orders.collectionName}_depts`);
      await depts.insertMany([{ _id: 'A', label: 'Cardiology' }, { _id: 'B', label: 'Dermatology' }] as Doc[]);
      const joined = await orders.aggregate([{ $match: { _id: 2 } }, { $lookup: { from: depts.collectionName, localField: 'dept', foreignField: '_id', as: 'dept' } }]).toArray();
      expect(joined[0].dept).toEqual([{ _id: 'B', label: 'Dermatology' }]);
    });
  });

});
