// The embedded store's stand-in for the network: every operation counts as a round trip and, with
// STORE_OP_DELAY_MS, waits like one, so one-read-per-item patterns show in tests and benches.
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
