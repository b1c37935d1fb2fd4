// Embedded store throughput on this machine, on a temporary data folder (so every acknowledged write includes fdatasync).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openEmbeddedStore, type EmbeddedStore } from '../../cloudfunctions/shared/db/embedded';

interface Slot {
  _id: string;
  remaining: number;
}

const RACERS = 20_000;
const PLACES = 100;
const SUSTAINED_OPS = 300_000;
const SUSTAINED_CONCURRENCY = 1_000;
const LOOKUP_DOCS = 20_000;
const INDEXED_LOOKUPS = 300_000;
const UNINDEXED_LOOKUPS = 1_000;

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString('en-US');
const now = () => performance.now();

async function race(store: EmbeddedStore, round: number): Promise<{ winners: number; ms: number }> {
  const slots = store.db.collection<Slot>('slots');
  const _id = `slot-${round}`;
  await slots.insertOne({ _id, remaining: PLACES });
  const start = now();
  const results = await Promise.all(
    Array.from({ length: RACERS }, () => slots.findOneAndUpdate({ _id, remaining: { $gt: 0 } }, { $inc: { remaining: -1 } })),
  );
  const ms = now() - start;
  const winners = results.filter((doc) => doc !== null).length;
  const left = (await slots.findOne({ _id }))?.remaining;
  if (winners !== PLACES || left !== 0) throw new Error(`expected exactly ${PLACES} winners and 0 left, got ${winners} winners and ${left} left`);
  return { winners, ms };
}

async function sustained(store: EmbeddedStore): Promise<number> {
  const slots = store.db.collection<Slot>('slots');
  await slots.insertOne({ _id: 'big', remaining: 1e12 });
  let issued = 0;
  const start = now();
  const worker = async () => {
    while (issued < SUSTAINED_OPS) {
      issued++;
      const doc = await slots.findOneAndUpdate({ _id: 'big', remaining: { $gt: 0 } }, { $inc: { remaining: -1 } });
      if (!doc) throw new Error('sustained decrement unexpectedly failed');
    }
  };
  await Promise.all(Array.from({ length: SUSTAINED_CONCURRENCY }, worker));
  const ms = now() - start;
  const left = (await slots.findOne({ _id: 'big' }))!.remaining;
  if (left !== 1e12 - SUSTAINED_OPS) throw new Error(`lost decrements: ${1e12 - left} applied, ${SUSTAINED_OPS} expected`);
  return ms;
}

async function lookups(store: EmbeddedStore): Promise<{ indexedMs: number; unindexedMs: number; concurrentMs: number }> {
  const patients = store.db.collection<{ code: string; plain: string; n: number }>('patients');
  await patients.createIndex({ code: 1 });
  for (let i = 0; i < LOOKUP_DOCS; i += 1000) {
    await patients.insertMany(Array.from({ length: 1000 }, (_, j) => ({ code: `C${i + j}`, plain: `C${i + j}`, n: i + j })));
  }
  const pick = (i: number) => `C${(i * 7919) % LOOKUP_DOCS}`;
  let start = now();
  for (let i = 0; i < INDEXED_LOOKUPS; i++) {
    const doc = await patients.findOne({ code: pick(i) });
    if (!doc) throw new Error('indexed lookup missed');
  }
  const indexedMs = now() - start;
  start = now();
  for (let i = 0; i < INDEXED_LOOKUPS; i += 1000) {
    await Promise.all(Array.from({ length: 1000 }, (_, j) => patients.findOne({ code: pick(i + j) })));
  }
  const concurrentMs = now() - start;
  start = now();
  for (let i = 0; i < UNINDEXED_LOOKUPS; i++) {
    const doc = await patients.findOne({ plain: pick(i) });
    if (!doc) throw new Error('unindexed lookup missed');
  }
  const unindexedMs = now() - start;
  const plan = patients.explain({ code: pick(1) });
  if (plan.index !== 'code_1' || plan.docsExamined !== 1) throw new Error(`index not used: ${JSON.stringify(plan)}`);
  return { indexedMs, unindexedMs, concurrentMs };
}

async function main(): Promise<void> {
  const cpus = os.cpus();
  console.log(`machine: ${cpus[0]?.model ?? 'unknown cpu'}, ${cpus.length} cores, node ${process.version}, ${os.platform()} ${os.release()}`);
  console.log('command: npm run bench:store   (tsx tests/bench/store.bench.ts)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-bench-'));
  console.log(`data folder: ${dir} (journal with group commit, fdatasync before each acknowledgement)\n`);
  const store = await openEmbeddedStore({ dir, dbName: 'bench' });
  try {
    const rounds = [];
    for (let round = 0; round < 5; round++) rounds.push(await race(store, round));
    const best = Math.min(...rounds.map((r) => r.ms));
    const median = rounds.map((r) => r.ms).sort((a, b) => a - b)[2];
    console.log(`(a) ${RACERS.toLocaleString('en-US')} concurrent findOneAndUpdate racers on ${PLACES} places, 5 rounds: exactly ${PLACES} winners every round`);
    console.log(`    conditional decrements: ${rate(RACERS, median)}/s median (${median.toFixed(1)} ms a round), best ${rate(RACERS, best)}/s`);
    const sustainedMs = await sustained(store);
    console.log(`    sustained: ${SUSTAINED_OPS.toLocaleString('en-US')} acknowledged decrements of one document by ${SUSTAINED_CONCURRENCY} concurrent callers: ${rate(SUSTAINED_OPS, sustainedMs)}/s (${(sustainedMs / 1000).toFixed(2)} s)`);
    const { indexedMs, unindexedMs, concurrentMs } = await lookups(store);
    console.log(`(b) lookups among ${LOOKUP_DOCS.toLocaleString('en-US')} documents with findOne:`);
    console.log(`    indexed field, one at a time:    ${rate(INDEXED_LOOKUPS, indexedMs)}/s`);
    console.log(`    indexed field, 1000 concurrent:  ${rate(INDEXED_LOOKUPS, concurrentMs)}/s`);
    console.log(`    unindexed field (full scan):     ${rate(UNINDEXED_LOOKUPS, unindexedMs)}/s`);
    const stats = store.stats();
    console.log(`\njournal: ${(stats.journalBytes / 1e6).toFixed(1)} MB for ${(stats.liveBytes / 1e6).toFixed(1)} MB of live documents`);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
