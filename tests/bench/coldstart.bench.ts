// `npm run bench:coldstart`: each function bundle loaded in a fresh Node process, as a cold cloud
// instance would load it, then its first call answered. Prints bundle size, load time and time to
// the first answer. There is no MongoDB here, so the first answer is measured on bundles that keep
// the embedded store (an empty one opens in a few milliseconds) and the deployed bundles' load
// time is printed beside it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildFunctions, listFunctions } from '../../config/buildFunctions';
import { machineLine } from './httpLoad';

const ROOT = path.resolve(__dirname, '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** A cheap first call per function: it opens the runtime, prepares the area and answers (a caller who never logged in is fine). */
const FIRST_CALL: Record<string, Record<string, unknown>> = {
  user: { action: 'login' },
  catalog: { action: 'hospital' },
  patient: { action: 'list' },
  booking: { action: 'list' },
  payment: { action: 'reconciliation', date: '2026-11-30' },
  admin: { action: 'overview' },
};

/** Runs in the child: require the bundle, call main once as a platform caller, print the two timings. */
const CHILD = `
const started = performance.now();
const fn = require(process.argv[1]);
const loaded = performance.now();
process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID';
process.env.WX_OPENID = 'coldstart-caller';
process.env.WX_APPID = 'wx-bench';
Promise.resolve(process.argv[2] === 'load-only' ? null : fn.main(JSON.parse(process.argv[2]), { request_id: 'coldstart' })).then((answer) => {
  const answered = performance.now();
  process.stdout.write(JSON.stringify({ load: loaded - started, first: answered - started, code: answer && (answer.ok ? 'ok' : answer.code) }));
  process.exit(0);
});
`;

interface Timing {
  load: number;
  first: number;
  code: string | null;
}

function runChild(bundle: string, call: string, env: Record<string, string>): Timing {
  const out = execFileSync(process.execPath, ['-e', CHILD, bundle, call], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
  return JSON.parse(out) as Timing;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  console.log(`bench:coldstart on ${machineLine()}`);
  console.log(`command: npm run bench:coldstart  (BENCH_RUNS=${RUNS}; medians of fresh processes)`);
  const deployed = path.join(ROOT, 'build', 'cloudfunctions');
  const local = path.join(ROOT, 'build', 'cloudfunctions-bench');
  await buildFunctions(deployed);
  await buildFunctions(local, { withEmbeddedStore: true });
  console.log(`${'function'.padEnd(10)} ${'deployed'.padStart(10)} ${'load'.padStart(9)}   ${'with store'.padStart(10)} ${'load'.padStart(9)} ${'first answer'.padStart(13)}  answer`);
  try {
    for (const name of listFunctions()) {
      const deployedBundle = path.join(deployed, name, 'index.js');
      const localBundle = path.join(local, name, 'index.js');
      const deployedLoads: number[] = [];
      const localLoads: number[] = [];
      const firsts: number[] = [];
      let code: string | null = null;
      for (let run = 0; run < RUNS; run++) {
        deployedLoads.push(runChild(deployedBundle, 'load-only', {}).load);
        const dataDir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-coldstart-'));
        try {
          const timing = runChild(localBundle, JSON.stringify(FIRST_CALL[name] ?? { action: 'none' }), { DATA_DIR: dataDir, LOG_LEVEL: 'silent', NODE_ENV: 'development' });
          localLoads.push(timing.load);
          firsts.push(timing.first);
          code = timing.code;
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      }
      const kib = (file: string) => `${(statSync(file).size / 1024).toFixed(0)} KiB`;
      console.log(
        `${name.padEnd(10)} ${kib(deployedBundle).padStart(10)} ${median(deployedLoads).toFixed(0).padStart(6)} ms   ${kib(localBundle).padStart(10)} ${median(localLoads).toFixed(0).padStart(6)} ms ${median(firsts).toFixed(0).padStart(10)} ms  ${code}`,
      );
    }
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
