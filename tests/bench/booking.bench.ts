// `npm run bench:booking`: release morning through the local host. Thousands of patients, each with
// their own card, tap 确认预约 on the same doctor's day at once; the bench prints holds answered per
// second, latency, and checks that exactly the capacity was booked (never more).
import http from 'node:http';
import { rmSync } from 'node:fs';
import { main as catalogMain } from '../../cloudfunctions/catalog';
import { main as userMain } from '../../cloudfunctions/user';
import { DEV_APPID } from '../../cloudfunctions/local/devIdentities';
import { appointmentsOf } from '../../cloudfunctions/shared/booking/appointments';
import { setRuntime } from '../../cloudfunctions/shared/runtime';
import { newRequestId, quickPatient, type QuickPatient } from '../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../support/catalog';
import { callAs, dataOf, openTestRuntime } from '../support/runtime';
import { startHostProcess } from '../support/startProcess';
import { machineLine, post } from './httpLoad';

const PATIENTS = Number(process.env.BENCH_PATIENTS ?? 4000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const PLACES_PER_SLOT = 25;

async function prepare(): Promise<{ dataDir: string; crowd: QuickPatient[]; slotIds: string[]; capacity: number }> {
  const runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  const clinic = await createClinic({ places: PLACES_PER_SLOT, feeFen: 0 });
  const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string; capacity: number }[] }[] }[] }>(
    await callAs(catalogMain, ADMIN, { action: 'schedules', doctorId: clinic.doctorId }),
  );
  const slots = days.find((day) => day.date === dayFromToday(2))!.periods.flatMap((period) => period.slots);
  const crowd: QuickPatient[] = [];
  for (let i = 0; i < PATIENTS; i++) crowd.push(await quickPatient(runtime, `bench-${i}`, { appid: DEV_APPID }));
  setRuntime(undefined);
  await runtime.close();
  return { dataDir: runtime.dataDir, crowd, slotIds: slots.map((slot) => slot.id), capacity: slots.reduce((sum, slot) => sum + slot.capacity, 0) };
}

async function main() {
  console.log(`bench:booking on ${machineLine()}`);
  console.log(`command: npm run bench:booking  (BENCH_PATIENTS=${PATIENTS} BENCH_CONCURRENCY=${CONCURRENCY}; host and load generator share this machine)`);
  const { dataDir, crowd, slotIds, capacity } = await prepare();
  const host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ['--no-build', '--no-seed']);
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const url = new URL(`${host.url}/api/booking`);
    const outcomes: Record<string, number> = {};
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < crowd.length) {
          const who = crowd[next];
          const slotId = slotIds[next % slotIds.length];
          next += 1;
          const t0 = performance.now();
          const body = JSON.stringify({ action: 'hold', slotId, patientId: who.patientId, requestId: newRequestId() });
          const { text } = await post(agent, url, body, { 'x-dev-openid': who.openid });
          latencies.push(performance.now() - t0);
          const answer = JSON.parse(text) as { ok: boolean; code?: string; data?: { outcome: string } };
          const key = answer.ok ? answer.data!.outcome : answer.code!;
          outcomes[key] = (outcomes[key] ?? 0) + 1;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    latencies.sort((a, b) => a - b);
    const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
    console.log(`\n${crowd.length} holds on ${slotIds.length} slots of one session (${capacity} places), ${CONCURRENCY} at a time`);
    console.log(`answered ${(crowd.length / seconds).toFixed(0)} holds/s   p50 ${at(0.5).toFixed(1)} ms   p95 ${at(0.95).toFixed(1)} ms   p99 ${at(0.99).toFixed(1)} ms   total ${seconds.toFixed(1)} s`);
    console.log(`answers: ${JSON.stringify(outcomes)}`);
  } finally {
    await host.stop();
  }
  const check = await openTestRuntime({ dataDir });
  const booked = await appointmentsOf(check.db).countDocuments({ status: 'booked' });
  console.log(`booked in the store: ${booked} of ${capacity} places${booked === capacity ? ' (exactly the capacity)' : ' (MISMATCH)'}`);
  setRuntime(undefined);
  await check.close();
  rmSync(check.dataDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  if (booked !== capacity) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
