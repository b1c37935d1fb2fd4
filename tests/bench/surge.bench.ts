// `npm run bench:surge`: release morning at scale through the local host's HTTP API (X2). 20,000
// distinct patients (cards bound beforehand, not timed) tap 确认预约 once each, first on one session
// of 100 places, then on 200 places spread over 10 doctors of one department. For each scenario it
// prints holds answered per second, latency, the answers by outcome, the places booked in the store
// (must equal the capacity), oversold places (must be 0), errors (must be 0), and the rate as a
// share of the host's no-op endpoint measured in the same run at the same concurrency.
//   BENCH_ATTEMPTS=2000 npm run bench:surge        (or: npm run bench:surge -- --attempts 2000 --concurrency 32)
//   BENCH_WARM_UP=0 npm run bench:surge            (no warm-up: the hold path compiled during the first scenario)
import http from 'node:http';
import { rmSync } from 'node:fs';
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../cloudfunctions/booking';
import { main as userMain } from '../../cloudfunctions/user';
import { DEV_APPID } from '../../cloudfunctions/local/devIdentities';
import { appointmentsOf } from '../../cloudfunctions/shared/booking/appointments';
import { slotsOf } from '../../cloudfunctions/shared/catalog/collections';
import type { EmbeddedDb } from '../../cloudfunctions/shared/db/embedded';
import { setRuntime } from '../../cloudfunctions/shared/runtime';
import { newRequestId, quickPatient, type QuickPatient } from '../support/booking';
import { admin, ADMIN, dayFromToday, seedHospital } from '../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../support/runtime';
import { startHostProcess } from '../support/startProcess';
import { formatCpu, formatLoad, machineLine, post, runLoad, withCpu, type LoadResult } from './httpLoad';

const flag = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const ATTEMPTS = Number(flag('attempts') ?? process.env.BENCH_ATTEMPTS ?? 20_000);
const CONCURRENCY = Number(flag('concurrency') ?? process.env.BENCH_CONCURRENCY ?? 64);
const NOOP_SECONDS = 3;

interface Scenario {
  label: string;
  date: string;
  doctors: number;
  placesPerSlot: number;
  slotIds: string[];
  capacity: number;
}

/** One department whose doctors work every day 08:00-10:00 in four 30-minute slots; the session on `date` is the one tapped. */
async function createScenario(runtime: TestRuntime, label: string, options: { name: string; doctors: number; placesPerSlot: number; date: string }): Promise<Scenario> {
  const { department } = await admin<{ department: { _id: string } }>({ action: 'saveDepartment', name: options.name, locationId: 'opd-3b', common: true });
  const doctorIds: ObjectId[] = [];
  for (let d = 0; d < options.doctors; d++) {
    const { doctor } = await admin<{ doctor: { _id: string } }>({
      action: 'saveDoctor',
      departmentId: String(department._id),
      name: `王医生${d + 1}`,
      title: '主治医师',
      specialty: '常见病',
      intro: '从事临床工作十余年。',
      feeClass: '普通',
      feeFen: 0,
    });
    doctorIds.push(new ObjectId(String(doctor._id)));
    for (let weekday = 1; weekday <= 7; weekday++) {
      await admin({
        action: 'saveTemplate',
        doctorId: String(doctor._id),
        weekday,
        period: 'morning',
        startTime: '08:00',
        endTime: '10:00',
        slotMinutes: 30,
        placesPerSlot: options.placesPerSlot,
        locationId: 'opd-3b',
      });
    }
  }
  await admin({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(13) });
  const slots = await slotsOf(runtime.db).find({ doctorId: { $in: doctorIds }, date: options.date }).sort({ start: 1 }).toArray();
  return { label, date: options.date, doctors: options.doctors, placesPerSlot: options.placesPerSlot, slotIds: slots.map((slot) => slot._id.toHexString()), capacity: slots.reduce((sum, slot) => sum + slot.capacity, 0) };
}

/** Holds by other patients on another clinic before anything is timed (BENCH_WARM_UP=0: a host fresh from its start). */
const WARM_UP = Math.min(Number(process.env.BENCH_WARM_UP ?? 2000), ATTEMPTS);

async function prepare(): Promise<{ dataDir: string; crowd: QuickPatient[]; warmCrowd: QuickPatient[]; scenarios: Scenario[]; floor: Scenario; warmUp: Scenario }> {
  const runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  // Different days, so one patient's booking in the first scenario does not count against the second's daily quotas.
  const scenarios = [
    await createScenario(runtime, 'one session, 1 doctor', { name: '皮肤科', doctors: 1, placesPerSlot: 25, date: dayFromToday(2) }),
    await createScenario(runtime, 'one morning, 10 doctors', { name: '普通内科', doctors: 10, placesPerSlot: 5, date: dayFromToday(3) }),
  ];
  // Not released for days: every hold on it is refused from memory, the cheapest answer a hold can get.
  const floor = await createScenario(runtime, 'before the release (the floor)', { name: '口腔科', doctors: 1, placesPerSlot: 1, date: dayFromToday(10) });
  // A clinic of its own, for a crowd of its own: the host's code warmed before anything is timed (see main).
  const warmUp = await createScenario(runtime, 'warm-up', { name: '中医科', doctors: 1, placesPerSlot: 5, date: dayFromToday(2) });
  await profilePaths(runtime);
  const crowd = await seedCrowd(runtime, 'surge', ATTEMPTS);
  const warmCrowd = await seedCrowd(runtime, 'warm', WARM_UP);
  setRuntime(undefined);
  await runtime.close();
  return { dataDir: runtime.dataDir, crowd, warmCrowd, scenarios, floor, warmUp };
}

/** Accounts and cards straight into the store, 100 at a time (the journal groups their syncs). */
async function seedCrowd(runtime: TestRuntime, prefix: string, count: number): Promise<QuickPatient[]> {
  const crowd: QuickPatient[] = [];
  for (let i = 0; i < count; i += 100) {
    const batch = Array.from({ length: Math.min(100, count - i) }, (_, k) => quickPatient(runtime, `${prefix}-${i + k}`, { appid: DEV_APPID }));
    crowd.push(...(await Promise.all(batch)));
  }
  return crowd;
}

/**
 * Where the time goes, path by path: store round trips (each a network hop on MongoDB) and documents
 * written (each waits for a journal sync), counted in-process on a one-place clinic, rate limits on.
 */
async function profilePaths(runtime: TestRuntime): Promise<void> {
  const probe = await createScenario(runtime, 'probe', { name: '眼科', doctors: 1, placesPerSlot: 1, date: dayFromToday(2) });
  const [later] = (await createScenario(runtime, 'probe later', { name: '耳鼻喉科', doctors: 1, placesPerSlot: 1, date: dayFromToday(10) })).slotIds;
  const db = runtime.db as unknown as EmbeddedDb;
  const measure = async (label: string, openid: string, slotId: string) => {
    const who = await quickPatient(runtime, openid);
    const [trips, waits, written] = [db.roundTrips, db.waits, db.docsWritten];
    const answer = await callAs(bookingMain, openid, { action: 'hold', slotId, patientId: who.patientId, requestId: newRequestId() });
    const outcome = answer.ok ? (answer.data as { outcome: string }).outcome : answer.code;
    console.log(`  ${label.padEnd(44)} ${outcome.padEnd(16)} ${String(db.roundTrips - trips).padStart(3)} round trips (${String(db.waits - waits).padStart(2)} in a row)  ${String(db.docsWritten - written).padStart(3)} documents written`);
  };
  // The function's first call prepares its indexes: not part of any hold.
  await quickPatient(runtime, 'probe-warm');
  await callAs(bookingMain, 'probe-warm', { action: 'list' });
  console.log('where the time goes (per hold, in-process, rate limits on):');
  await measure('booked (normal path, leases)', 'probe-booked', probe.slotIds[0]);
  await measure('full, decided by the store (claim refused)', 'probe-full-store', probe.slotIds[0]);
  await measure('full, from the slot read a moment ago', 'probe-full-fast', probe.slotIds[0]);
  await measure('not yet released, first tap (slot read)', 'probe-early-1', later);
  await measure('not yet released, from memory', 'probe-early-2', later);
}

interface Run {
  seconds: number;
  latencies: number[];
  outcomes: Record<string, number>;
  errors: number;
}

/** Every patient taps once, CONCURRENCY at a time, spread evenly over the scenario's slots. */
async function surge(hostUrl: string, crowd: QuickPatient[], scenario: Scenario, refusal?: string): Promise<Run> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const url = new URL(`${hostUrl}/api/booking`);
  const run: Run = { seconds: 0, latencies: [], outcomes: {}, errors: 0 };
  // Each tap's request is made before the clock starts, as the no-op's body is: the load generator only sends.
  const bodies = crowd.map((who, i) => JSON.stringify({ action: 'hold', slotId: scenario.slotIds[i % scenario.slotIds.length], patientId: who.patientId, requestId: newRequestId() }));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < crowd.length) {
        const who = crowd[next];
        const body = bodies[next];
        next += 1;
        const t0 = performance.now();
        let key: string;
        try {
          const { text } = await post(agent, url, body, { 'x-dev-openid': who.openid });
          const answer = JSON.parse(text) as { ok: boolean; code?: string; data?: { outcome: string; message: string; alternative?: unknown } };
          key = answer.ok ? answer.data!.outcome : answer.code!;
          // A "full" the store decided (a claim refused under the leases) says the place was "just" taken.
          if (key === 'full' && answer.data!.message.startsWith('这个时段的号刚刚被约满了')) key = 'full (decided by the store)';
          if (answer.ok ? answer.data!.outcome === 'full' && answer.data!.alternative === undefined : answer.code !== refusal) run.errors += 1;
        } catch {
          key = 'transport error';
          run.errors += 1;
        }
        run.latencies.push(performance.now() - t0);
        run.outcomes[key] = (run.outcomes[key] ?? 0) + 1;
      }
    }),
  );
  run.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  run.latencies.sort((a, b) => a - b);
  return run;
}

async function main() {
  console.log(`bench:surge on ${machineLine()}`);
  console.log(`command: npm run bench:surge  (BENCH_ATTEMPTS=${ATTEMPTS} BENCH_CONCURRENCY=${CONCURRENCY}; host and load generator share this machine)`);
  const seedStarted = performance.now();
  const { dataDir, crowd, warmCrowd, scenarios, floor, warmUp } = await prepare();
  console.log(`seeded ${crowd.length} patients with their cards in ${((performance.now() - seedStarted) / 1000).toFixed(0)} s (not timed below)`);
  const host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ['--no-build', '--no-seed']);
  const results: { scenario: Scenario; run: Run; noopPerSecond: number }[] = [];
  // Each run's CPU, host and load generator apart (Linux): shows which of the two set the pace.
  const noopLoad = () => withCpu(host.child.pid, (result: LoadResult) => result.requests, () => runLoad({ url: `${host.url}/dev/noop`, body: () => '{"action":"hold"}', concurrency: CONCURRENCY, seconds: NOOP_SECONDS }));
  const holds = (scenario: Scenario, refusal?: string) => withCpu(host.child.pid, () => crowd.length, () => surge(host.url, crowd, scenario, refusal));
  try {
    // A host that has served the morning's pages has its hot code compiled; a fresh process compiles it during
    // the first thousands of calls. Other patients hold on another clinic first, untimed (and no caller below
    // is known to the host from it).
    if (warmCrowd.length > 0) {
      const warmed = await surge(host.url, warmCrowd, warmUp);
      console.log(`\nwarm-up (not timed): ${warmCrowd.length} holds by other patients on another clinic, answers ${JSON.stringify(warmed.outcomes)}`);
    }
    for (const scenario of scenarios) {
      // The no-op rate just before and just after the surge, averaged: others may share this machine.
      const before = await noopLoad();
      const { result: run, cpu } = await holds(scenario);
      const after = await noopLoad();
      const noopPerSecond = (before.result.perSecond + after.result.perSecond) / 2;
      results.push({ scenario, run, noopPerSecond });
      const at = (q: number) => run.latencies[Math.min(run.latencies.length - 1, Math.floor(q * run.latencies.length))];
      const perSecond = crowd.length / run.seconds;
      console.log(`\n== ${scenario.label}: ${crowd.length} holds by ${crowd.length} patients on ${scenario.slotIds.length} slots (${scenario.capacity} places), ${CONCURRENCY} at a time`);
      console.log(formatLoad('no-op POST /dev/noop, before', before.result) + formatCpu(before.cpu));
      console.log(formatLoad('no-op POST /dev/noop, after', after.result) + formatCpu(after.cpu));
      console.log(`answered ${perSecond.toFixed(0)} holds/s   p50 ${at(0.5).toFixed(1)} ms   p95 ${at(0.95).toFixed(1)} ms   p99 ${at(0.99).toFixed(1)} ms   total ${run.seconds.toFixed(1)} s${formatCpu(cpu)}`);
      console.log(`answers: ${JSON.stringify(run.outcomes)}   errors: ${run.errors}`);
      console.log(`ratio holds / no-op (mean of before and after): ${((perSecond / noopPerSecond) * 100).toFixed(0)}%  (target >= 50%; p99 target < 100 ms)`);
    }
    // The same crowd on a session not yet released: the function's own cost (HTTP, identity, the account, the
    // slot from memory) with no store work for the hold, i.e. the most any hold answer can approach.
    const before = await noopLoad();
    const { result: run, cpu } = await holds(floor, 'NOT_RELEASED');
    const at = (q: number) => run.latencies[Math.min(run.latencies.length - 1, Math.floor(q * run.latencies.length))];
    const perSecond = crowd.length / run.seconds;
    console.log(`\n== ${floor.label}: ${crowd.length} holds refused NOT_RELEASED from memory, ${CONCURRENCY} at a time`);
    console.log(formatLoad('no-op POST /dev/noop, before', before.result) + formatCpu(before.cpu));
    console.log(`answered ${perSecond.toFixed(0)} holds/s   p50 ${at(0.5).toFixed(1)} ms   p95 ${at(0.95).toFixed(1)} ms   p99 ${at(0.99).toFixed(1)} ms   errors: ${run.errors}${formatCpu(cpu)}`);
    console.log(`ratio floor / no-op: ${((perSecond / before.result.perSecond) * 100).toFixed(0)}%; the surges above as a share of this floor: ${results.map(({ run: surged }) => `${((crowd.length / surged.seconds / perSecond) * 100).toFixed(0)}%`).join(', ')}`);
    if (run.errors !== 0) process.exitCode = 1;
  } finally {
    await host.stop();
  }
  // The store after the host stopped: what was really booked, slot by slot.
  const check = await openTestRuntime({ dataDir });
  let failed = false;
  for (const { scenario, run } of results) {
    const slotIds = scenario.slotIds.map((id) => new ObjectId(id));
    const booked = await appointmentsOf(check.db).countDocuments({ slotId: { $in: slotIds }, status: { $in: ['booked', 'pending_payment'] } });
    const slots = await slotsOf(check.db).find({ _id: { $in: slotIds } }).toArray();
    const oversold = slots.reduce((sum, slot) => sum + Math.max(0, slot.holders.length - slot.capacity) + Math.max(0, -slot.remaining), 0) + Math.max(0, booked - scenario.capacity);
    const answeredBooked = (run.outcomes.booked ?? 0) + (run.outcomes.pending_payment ?? 0);
    console.log(
      `\n${scenario.label}: booked in the store ${booked} of ${scenario.capacity} places${booked === scenario.capacity ? ' (exactly the capacity)' : ' (MISMATCH)'}   ` +
        `answered booked ${answeredBooked}   oversold ${oversold}   errors ${run.errors}`,
    );
    if (booked !== scenario.capacity || oversold !== 0 || run.errors !== 0 || answeredBooked !== booked) failed = true;
  }
  setRuntime(undefined);
  await check.close();
  rmSync(check.dataDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  if (failed) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
