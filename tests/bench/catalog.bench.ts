// `npm run bench:catalog`: schedule reads per second for one hot doctor through the local host,
// next to a no-op endpoint on the same server, with the schedule cache on (500 ms TTL) and off.
import { rmSync } from 'node:fs';
import { tempDir } from '../support/runtime';
import { startHostProcess } from '../support/startProcess';
import { formatLoad, machineLine, runLoad } from './httpLoad';

const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 64);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const HEADERS = { 'x-dev-openid': 'demo-patient' };

async function call<T>(url: string, fn: string, body: object): Promise<T> {
  const response = await fetch(`${url}/api/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json', ...HEADERS }, body: JSON.stringify(body) });
  const result = (await response.json()) as { ok: boolean; data: T; code?: string };
  if (!result.ok) throw new Error(`${fn} failed: ${result.code}`);
  return result.data;
}

async function measure(ttl: string) {
  const dataDir = tempDir('yiyue-bench-');
  // One account reading as fast as it can measures the read path; the per-account schedule limit would answer instead.
  const host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn', SCHEDULE_CACHE_TTL_MS: ttl, RATE_LIMITS: 'off' });
  try {
    const { departments } = await call<{ departments: { id: string; name: string }[] }>(host.url, 'catalog', { action: 'departments', keyword: '皮肤科' });
    const { doctors } = await call<{ doctors: { id: string; name: string }[] }>(host.url, 'catalog', { action: 'doctors', departmentId: departments[0].id });
    const doctor = doctors[0];
    const days = (await call<{ days: unknown[] }>(host.url, 'catalog', { action: 'schedules', doctorId: doctor.id })).days.length;
    const schedulesBody = JSON.stringify({ action: 'schedules', doctorId: doctor.id });
    const common = { concurrency: CONCURRENCY, seconds: SECONDS, headers: HEADERS };
    await runLoad({ ...common, seconds: 1, url: `${host.url}/api/catalog`, body: () => schedulesBody }); // warm-up
    const noop = await runLoad({ ...common, url: `${host.url}/dev/noop`, body: () => schedulesBody });
    const reads = await runLoad({ ...common, url: `${host.url}/api/catalog`, body: () => schedulesBody });
    return { doctor: `${doctor.name} (${days} days of schedules)`, noop, reads };
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  console.log(`bench:catalog on ${machineLine()}`);
  console.log(`command: npm run bench:catalog  (BENCH_CONCURRENCY=${CONCURRENCY} BENCH_SECONDS=${SECONDS}; host and load generator share this machine)`);
  for (const [label, ttl] of [['cache on (TTL 500 ms)', '500'], ['cache off (TTL 0)', '0']] as const) {
    const { doctor, noop, reads } = await measure(ttl);
    console.log(`\n${label}; hot doctor ${doctor}`);
    console.log(formatLoad('no-op endpoint POST /dev/noop', noop));
    console.log(formatLoad('catalog.schedules (one doctor)', reads));
    console.log(`ratio schedules / no-op: ${((reads.perSecond / noop.perSecond) * 100).toFixed(0)}%`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
