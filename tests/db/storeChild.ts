// Child process for the durability tests: `write <dir>` writes as fast as it can and prints each acknowledged id;
// `open <dir>` tries to open the folder and reports; `hold <dir>` keeps it open until killed.
// COMPACT_MIN_BYTES makes the writer compact very often, so that a kill may land in the middle of a compaction.
import { openEmbeddedStore } from '../../cloudfunctions/shared/db/embedded';

const [mode, dir] = process.argv.slice(2);
const compactMinBytes = Number(process.env.COMPACT_MIN_BYTES ?? 0);
const compaction = compactMinBytes > 0 ? { minBytes: compactMinBytes, ratio: 1.2 } : undefined;

async function write(): Promise<void> {
  const store = await openEmbeddedStore({ dir, dbName: 'durability', compaction });
  const docs = store.db.collection<{ _id: number; worker: number; seq: number; payload: string; at: Date }>('docs');
  const counters = store.db.collection<{ _id: number; value: number }>('counters');
  // Unique on fields apart from _id, so a test can prove this index (not the _id one) was rebuilt.
  await docs.createIndex({ worker: 1, seq: 1 }, { unique: true });
  await counters.insertOne({ _id: 0, value: 0 });
  let next = 0;
  console.log('ready');
  // Several writers at once, so flushes acknowledge groups of writes, as in production.
  const worker = async (id: number) => {
    for (let seq = 0; ; seq++) {
      const n = next++;
      await docs.insertOne({ _id: n, worker: id, seq, payload: `document ${n} `.repeat(4), at: new Date() });
      process.stdout.write(`ack ${n}\n`);
      const counter = await counters.findOneAndUpdate({ _id: 0 }, { $inc: { value: 1 } }, { returnDocument: 'after' });
      process.stdout.write(`counter ${counter!.value}\n`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, (_, i) => worker(i)));
}

async function open(): Promise<void> {
  try {
    const store = await openEmbeddedStore({ dir, dbName: 'durability' });
    console.log('opened');
    await store.close();
  } catch (error) {
    console.log(`error: ${(error as Error).message}`);
    process.exitCode = 3;
  }
}

async function hold(): Promise<void> {
  await openEmbeddedStore({ dir, dbName: 'durability' });
  console.log('ready');
  setInterval(() => undefined, 60_000);
}

const modes: Record<string, () => Promise<void>> = { write, open, hold };
if (!modes[mode] || !dir) {
  console.error('usage: storeChild.ts write|open|hold <dir>');
  process.exit(2);
}
modes[mode]().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
