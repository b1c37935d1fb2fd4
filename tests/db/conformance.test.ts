// One set of MongoDB behaviours the project relies on, run against every backend: the embedded store must match a server.
import { MongoServerError, ObjectId, type Collection, type Db, type Document, type Filter } from 'mongodb';
import { embeddedInMemory, embeddedOnDisk, mongoBackend, type Backend } from './backends';

/** Documents with ids of any type (the driver's default typing assumes ObjectId ids). */
type Doc = Document & { _id?: number | string | ObjectId };

const byId = (a: unknown, b: unknown) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b)));
const ids = (docs: Doc[]) => docs.map((doc) => doc._id).sort(byId);

async function rejection(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MongoServerError);
    return error as MongoServerError;
  }
  throw new Error('expected the operation to fail');
}

function conformance(backend: Backend): void {
  describe(backend.name, () => {
    let db: Db;
    let close: () => Promise<void>;
    let counter = 0;
    const fresh = <T extends Doc = Doc>(): Collection<T> => db.collection<T>(`c${++counter}`);

    beforeAll(async () => {
      ({ db, close } = await backend.open());
    });
    afterAll(() => close());

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
        const depts = db.collection<Doc>(`${orders.collectionName}_depts`);
        await depts.insertMany([{ _id: 'A', label: 'Cardiology' }, { _id: 'B', label: 'Dermatology' }] as Doc[]);
        const joined = await orders.aggregate([{ $match: { _id: 2 } }, { $lookup: { from: depts.collectionName, localField: 'dept', foreignField: '_id', as: 'dept' } }]).toArray();
        expect(joined[0].dept).toEqual([{ _id: 'B', label: 'Dermatology' }]);
      });
    });

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
        expect((await db.listCollections().toArray()).map((info) => info.name)).toContain(col.collectionName);
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
        expect((await db.listCollections().toArray()).map((info) => info.name)).not.toContain(col.collectionName);
      });
    });
  });
}

conformance(embeddedInMemory);
conformance(embeddedOnDisk);
const uri = process.env.MONGODB_URI;
if (uri) conformance(mongoBackend(uri));
else {
  describe.skip('MongoDB (skipped: set MONGODB_URI, e.g. mongodb://127.0.0.1:27017, to run this same suite against a real server)', () => {
    it('runs every case above against the server', () => undefined);
  });
}
