// `npm run bench:sweep`: what the minute booking sweep and a doctor's schedule read cost once every
// store operation is a network round trip. The embedded store waits STORE_OP_DELAY_MS (default here
// 1 ms, a hop inside one data centre) per operation and counts operations, so a pattern that costs one
// round trip per held slot shows in numbers. A doctor gets years of past sessions, as in a hospital
// that has run for a while; the sweep and the read must not walk them.
import { rmSync } from 'node:fs';
import { ObjectId } from 'mongodb';
import { main as userMain } from '../../cloudfunctions/user';
import { sweepBookings } from '../../cloudfunctions/shared/booking/sweeper';
import { slotsOf } from '../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_RELEASE_RULES } from '../../cloudfunctions/shared/catalog/model';
import { loadDoctorSchedules } from '../../cloudfunctions/shared/catalog/scheduleCache';
import type { EmbeddedDb } from '../../cloudfunctions/shared/db/embedded';
import { addDays } from '../../cloudfunctions/shared/domain/releaseRules';
import { setRuntime } from '../../cloudfunctions/shared/runtime';
import { hold, quickPatient } from '../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../support/runtime';
import { machineLine } from './httpLoad';

const DELAY_MS = process.env.STORE_OP_DELAY_MS ?? '1';
const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 200);
const HISTORY_WEEKS = Number(process.env.BENCH_HISTORY_WEEKS ?? 156);
const SWEEPS = 10;
const READS = 200;

/** One doctor's next two weeks, PATIENTS holds spread over them, and HISTORY_WEEKS of past held slots. */
async function prepare(runtime: TestRuntime): Promise<{ doctorId: ObjectId; heldSlots: number; historySlots: number }> {
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime, { releaseRules: { ...DEFAULT_RELEASE_RULES, daysAhead: 14 } });
  const clinic = await createClinic({ places: 10, feeFen: 0 });
  const doctorId = new ObjectId(clinic.doctorId);
  const upcoming = await slotsOf(runtime.db).find({ doctorId, date: { $gte: dayFromToday(1) } }).toArray();
  for (let i = 0; i < PATIENTS; i++) {
    const who = await quickPatient(runtime, `sweep-bench-${i}`);
    await hold(who, upcoming[i % upcoming.length]._id.toHexString());
  }
  const history = [];
  for (let week = 1; week <= HISTORY_WEEKS; week++) {
    for (const slot of upcoming.slice(0, 14)) {
      const back = week * 14;
      history.push({
        ...slot,
        _id: new ObjectId(),
        scheduleId: new ObjectId(),
        date: addDays(slot.date, -back),
        start: new Date(slot.start.getTime() - back * 86_400_000),
        end: new Date(slot.end.getTime() - back * 86_400_000),
        holders: [new ObjectId()],
        remaining: slot.capacity - 1,
      });
    }
  }
  await slotsOf(runtime.db).insertMany(history);
  const heldSlots = await slotsOf(runtime.db).countDocuments({ doctorId, 'holders.0': { $exists: true }, date: { $gte: dayFromToday(0) } });
  return { doctorId, heldSlots, historySlots: history.length };
}

async function measure<T>(db: EmbeddedDb, times: number, run: () => Promise<T>): Promise<{ roundTrips: number; examined: number; ms: number }> {
  for (let i = 0; i < 3; i++) await run(); // warm up: the first calls pay for compilation and caches
  const [trips, examined] = [db.roundTrips, db.docsExamined];
  const started = performance.now();
  for (let i = 0; i < times; i++) await run();
  return { roundTrips: (db.roundTrips - trips) / times, examined: (db.docsExamined - examined) / times, ms: (performance.now() - started) / times };
}

const line = (label: string, result: { roundTrips: number; examined: number; ms: number }) =>
  `${label.padEnd(36)} ${result.roundTrips.toFixed(0).padStart(5)} round trips/call ${result.examined.toFixed(0).padStart(7)} docs examined/call ${result.ms.toFixed(1).padStart(8)} ms/call`;

async function main() {
  console.log(`bench:sweep on ${machineLine()}`);
  console.log(`command: npm run bench:sweep  (STORE_OP_DELAY_MS=${DELAY_MS} BENCH_PATIENTS=${PATIENTS} BENCH_HISTORY_WEEKS=${HISTORY_WEEKS})`);
  const seeding = await openTestRuntime({ adminOpenids: [ADMIN] });
  const { doctorId, heldSlots, historySlots } = await prepare(seeding);
  setRuntime(undefined);
  await seeding.close();

  // Reopen the same data folder with the per-operation delay.
  process.env.STORE_OP_DELAY_MS = DELAY_MS;
  const runtime = await openTestRuntime({ dataDir: seeding.dataDir });
  const db = runtime.db as unknown as EmbeddedDb;
  try {
    const sweep = await measure(db, SWEEPS, () => sweepBookings({ ...runtime, now: new Date() }));
    const read = await measure(db, READS, () => loadDoctorSchedules(runtime.db, doctorId, dayFromToday(0), dayFromToday(13)));
    console.log(`\n${PATIENTS} holds on ${heldSlots} held slots of the next two weeks; ${historySlots} past held slots of the same doctor`);
    console.log(line('booking sweep (nothing to repair)', sweep));
    console.log(line("doctor's two-week schedule read", read));
  } finally {
    await runtime.dispose();
    rmSync(seeding.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
