// The embedded store's stand-in for the network: every operation counts as a round trip and, with
// STORE_OP_DELAY_MS, waits like one, so one-read-per-item patterns show in tests and benches; the ones in a
// row (none other under way) are the network latencies a caller sits through.
import { EmbeddedStoreError, openEmbeddedStore } from '../../cloudfunctions/shared/db/embedded';

it('counts one round trip per operation and per cursor, whatever the number of documents', async () => {
  const store = await openEmbeddedStore({ dbName: 'trips' });
  const col = store.db.collection<{ _id: number }>('c');
  const before = store.db.roundTrips;
  await col.insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i })));
  await col.find({ _id: { $in: [1, 2, 3] } }).toArray();
  await col.updateMany({}, { $set: { seen: true } });
  expect(store.db.roundTrips - before).toBe(3);
  for (let i = 0; i < 5; i++) await col.findOne({ _id: i });
  expect(store.db.roundTrips - before).toBe(8);
  await store.close();
});

it('counts round trips in a row: reads sent together wait once, reads one after another each wait', async () => {
  const store = await openEmbeddedStore({ dbName: 'waits' });
  const col = store.db.collection<{ _id: number }>('c');
  await col.insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i })));
  const [trips, waits] = [store.db.roundTrips, store.db.waits];
  await Promise.all([col.findOne({ _id: 1 }), col.find({}).toArray(), col.countDocuments({})]);
  expect([store.db.roundTrips - trips, store.db.waits - waits]).toEqual([3, 1]);
  for (let i = 0; i < 3; i++) await col.findOne({ _id: i });
  expect([store.db.roundTrips - trips, store.db.waits - waits]).toEqual([6, 4]);
  // A failed operation is answered too: the next one waits on its own.
  await expect(col.insertOne({ _id: 1 })).rejects.toThrow();
  await col.findOne({ _id: 4 });
  expect([store.db.roundTrips - trips, store.db.waits - waits]).toEqual([8, 6]);
  await store.close();
});

it('waits the configured delay per operation, as a network hop would', async () => {
  const store = await openEmbeddedStore({ dbName: 'slow', opDelayMs: 20 });
  const col = store.db.collection('c');
  const started = performance.now();
  await col.insertOne({ a: 1 });
  await col.findOne({ a: 1 });
  await col.find({}).toArray();
  expect(performance.now() - started).toBeGreaterThanOrEqual(59);
  await store.close();
});

it('takes the delay from STORE_OP_DELAY_MS and refuses a value that is not a delay', async () => {
  const saved = process.env.STORE_OP_DELAY_MS;
  try {
    process.env.STORE_OP_DELAY_MS = '15';
    const store = await openEmbeddedStore({ dbName: 'env' });
    expect(store.opDelayMs).toBe(15);
    await store.close();
    for (const bad of ['-1', 'fast', '5000']) {
      process.env.STORE_OP_DELAY_MS = bad;
      await expect(openEmbeddedStore({ dbName: 'env' })).rejects.toThrow(EmbeddedStoreError);
    }
  } finally {
    if (saved === undefined) delete process.env.STORE_OP_DELAY_MS;
    else process.env.STORE_OP_DELAY_MS = saved;
  }
});
