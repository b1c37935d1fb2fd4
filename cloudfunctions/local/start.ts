// `npm start`: build the H5 app if it is missing or stale, then run every function behind one local host.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createControlledClock, systemClock, type Clock } from '../shared/clock';
import { ConfigError } from '../shared/config';
import { startHisStandIn } from '../shared/his/hisStandIn';
import { createHttpHisClient } from '../shared/his/httpHisClient';
import { createLogger } from '../shared/log';
import { productionReadiness } from '../shared/productionRequirements';
import { openRuntime, setRuntime } from '../shared/runtime';
import { HOSTED_FUNCTIONS } from './functions';
import { startLocalPay } from './localPayClient';
import { createHost } from './host';
import { parseHostConfig, type HostConfig } from './hostConfig';
import { seedDemo } from './seedDemo';
import { startLocalMessages } from './localMessages';
import { startLocalSms, startLocalWxPhone } from './localPhoneProof';
import { parseMessageSettings } from '../shared/messages/messageSettings';
import { startTimers } from './timers';

const ROOT = path.resolve(__dirname, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function ensureH5Build(config: HostConfig): void {
  let builtAt = 0;
  try {
    builtAt = statSync(path.join(config.h5Dir, 'index.html')).mtimeMs;
  } catch {
    // not built yet
  }
  if (builtAt > newestMtime(path.join(ROOT, 'src'))) return;
  console.log('Building the H5 app (about half a minute, only when src/ changed)...');
  const build = spawnSync('npm', ['run', 'build:h5', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the H5 build failed; see the output above');
}

/** Without HIS_BASE_URL the host starts the HIS stand-in, keeping its patients in DATA_DIR. */
async function startLocalHis(config: HostConfig, clock: Clock) {
  if (process.env.HIS_BASE_URL) return undefined;
  const secret = randomBytes(24).toString('base64url');
  const appId = 'yiyue-local';
  const standIn = await startHisStandIn({ secret, appId, stateFile: path.join(config.server.dataDir, 'his-stand-in.json'), clock });
  const client = createHttpHisClient({ baseUrl: standIn.url, appId, secret, timeoutMs: 5000 });
  return { standIn, client };
}

async function main(): Promise<void> {
  // This one process plays every cloud instance: each /api call sets and clears the platform's per-call
  // variables (withPlatformCall). Node's own process.env goes to the C library on every set, read and delete
  // (~6 µs a call, measured); a plain copy reads the same to this process and is still what child processes
  // inherit. The variables keep their meaning, so the bundled functions read identity as on WeChat cloud.
  process.env = { ...process.env };
  let config: HostConfig;
  try {
    config = parseHostConfig();
    // Before anything starts: production never runs a stand-in, seeds the demo hospital or half-works.
    const unready = config.server.nodeEnv === 'production' ? productionReadiness(process.env, HOSTED_FUNCTIONS.map((fn) => fn.name)) : undefined;
    if (unready) throw new ConfigError(unready);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  if (!process.argv.includes('--no-build')) ensureH5Build(config);

  const log = createLogger(config.server.logLevel);
  // Locally the calendar can be moved through /dev/clock; production reads the system clock and has no such route.
  // The stand-ins share it, so moving it moves bill dates, payment and refund times and sent-message times together.
  // DEV_CLOCK=frozen (npm run bench:fairness): business time moves only when /dev/clock is told, so a simulated release runs at any speed.
  const controlled = config.devLogin ? createControlledClock({ running: process.env.DEV_CLOCK !== 'frozen' }) : undefined;
  const clock = controlled ?? systemClock;
  const his = await startLocalHis(config, clock);
  const pay = await startLocalPay(process.env, { log, standIn: { clock } });
  const sms = await startLocalSms(process.env, { log, clock });
  const wxPhone = await startLocalWxPhone(process.env);
  const messageSettings = parseMessageSettings({ NODE_ENV: config.server.nodeEnv, ...process.env });
  const messages = await startLocalMessages(process.env, messageSettings.templates, clock);
  const runtime = await openRuntime(config.server, {
    log,
    clock,
    his: his?.client,
    pay: pay.client,
    sms: sms.client,
    wxPhone: wxPhone.client,
    messages: messages.client,
    messageSettings,
  });
  setRuntime(runtime);
  // The demo hospital is for trying the app; a hospital's own catalog is never mixed with it.
  if (config.server.nodeEnv !== 'production' && !process.argv.includes('--no-seed')) console.log(await seedDemo(runtime));
  const timers = startTimers(HOSTED_FUNCTIONS, log);
  const runTimers = controlled ? (name: string) => timers.runNow(name) : undefined;
  const server = createHost({ config, functions: HOSTED_FUNCTIONS, log, payStandIn: pay.standIn, smsStandIn: sms.standIn, messageStandIn: messages.standIn, clock: controlled, runTimers });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const store = config.server.mongodbUri ? 'MongoDB' : `embedded store in ${config.server.dataDir}`;
  // WeChat Pay notifications come back to this host's HTTP access unless PAY_NOTIFY_BASE says otherwise.
  if (!process.env.PAY_NOTIFY_BASE) runtime.config.payNotifyBase = `http://127.0.0.1:${port}/http/payment/notify`;
  if (pay.standIn) console.log(`WeChat Pay stand-in at ${pay.standIn.origin} (the H5 app's 模拟支付 page pays through it)`);
  if (his) console.log(`HIS stand-in at ${his.standIn.url} (POST /__control {"mode":"refuse"|"fail"|"slow"|"normal"} to change how it answers)`);
  if (sms.standIn) console.log(`SMS stand-in at ${sms.standIn.url} (codes sent to phones: GET /dev/sms on this host)`);
  if (messages.standIn) console.log(`WeChat subscription-message stand-in at ${messages.standIn.url} (notices a patient would get: GET /dev/messages on this host)`);
  if (wxPhone.standIn) console.log(`WeChat phone-number stand-in at ${wxPhone.standIn.url} (POST /__control/code {"phone"} issues a button code)`);
  console.log(`Yiyue is running at http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}/ (${store})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close();
    server.closeAllConnections();
    await timers.stop();
    await his?.standIn.close();
    await pay.close();
    await sms.standIn?.close();
    await wxPhone.standIn?.close();
    await messages.standIn?.close();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Yiyue could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
