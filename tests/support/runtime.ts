// Test runtimes on the embedded store in a fresh temporary data folder, and calls made as a given caller.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createControlledClock, type ControlledClock } from '../../cloudfunctions/shared/clock';
import { parseServerConfig, type ServerConfig } from '../../cloudfunctions/shared/config';
import type { InvocationContext } from '../../cloudfunctions/shared/createMain';
import type { Result } from '../../cloudfunctions/shared/errors';
import type { HisClient } from '../../cloudfunctions/shared/his/his';
import { withPlatformIdentity, type WxIdentity } from '../../cloudfunctions/shared/identity';
import { createLogger } from '../../cloudfunctions/shared/log';
import type { PayClient } from '../../cloudfunctions/shared/payment/wechatPay';
import { openRuntime, setRuntime, type Runtime, type RuntimeServices } from '../../cloudfunctions/shared/runtime';
import type { SmsStandIn } from '../../cloudfunctions/local/smsStandIn';
import { startTestSms } from './phoneProof';

export interface TestRuntime extends Runtime {
  /** Runs with real time from the start unless the test passed a frozen clock; set or advance it to move the calendar. */
  clock: ControlledClock;
  dataDir: string;
  /** Where the codes sent through this runtime's SMS can be read (started here when no `sms` was given). */
  smsStandIn?: SmsStandIn;
  dispose(): Promise<void>;
}

let active: TestRuntime | undefined;

/** The runtime `main` currently uses, for fixtures that read the codes a test's person received. */
export function activeTestRuntime(): TestRuntime & { smsStandIn: SmsStandIn } {
  if (!active?.smsStandIn) throw new Error('no test runtime, or one given an SMS client without its stand-in (pass smsStandIn)');
  return active as TestRuntime & { smsStandIn: SmsStandIn };
}

export function tempDir(prefix = 'yiyue-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Opens a runtime on a fresh data folder and installs it as the process runtime used by `main`. */
export async function openTestRuntime(
  overrides: Partial<ServerConfig> = {},
  /** `sms: null`: SMS not configured (the production adapter without settings). */
  services: {
    his?: HisClient;
    pay?: PayClient;
    sms?: RuntimeServices['sms'] | null;
    smsStandIn?: SmsStandIn;
    wxPhone?: RuntimeServices['wxPhone'];
    messages?: RuntimeServices['messages'];
    clock?: ControlledClock;
  } = {},
): Promise<TestRuntime> {
  // Binding a card by ID needs a code by SMS, so every runtime has an SMS stand-in unless the test brings its own.
  const clock = services.clock ?? createControlledClock({ running: true });
  const ownSms = services.sms === undefined ? await startTestSms(clock) : undefined;
  const sms = services.sms ?? ownSms?.client;
  const smsStandIn = services.smsStandIn ?? ownSms?.standIn;
  const dataDir = tempDir();
  const config: ServerConfig = {
    ...parseServerConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    ...overrides,
  };
  const runtime = await openRuntime(config, { log: createLogger('silent'), env: {}, clock, his: services.his, pay: services.pay, sms, wxPhone: services.wxPhone, messages: services.messages });
  setRuntime(runtime);
  // Closing the runtime also stops the SMS stand-in it started, so a test that closes without disposing
  // (to hand its data folder to a host process) leaves nothing listening that would keep jest alive.
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await runtime.close();
      await ownSms?.standIn.close();
    })());
  const testRuntime: TestRuntime = {
    ...runtime,
    clock,
    close,
    dataDir,
    smsStandIn,
    async dispose() {
      setRuntime(undefined);
      if (active === testRuntime) active = undefined;
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  active = testRuntime;
  return testRuntime;
}

type Main = (event: unknown, context?: InvocationContext) => Promise<Result<unknown>>;

/** Invokes a function's `main` the way the platform does for a caller with this openid. */
export function callAs(main: Main, caller: string | WxIdentity | null, event: unknown): Promise<Result<unknown>> {
  const identity = typeof caller === 'string' ? { openid: caller, appid: 'wx-test-app' } : caller;
  return withPlatformIdentity(identity, () => main(event));
}

/** The data of an ok result, failing the test with the coded error otherwise. */
export function dataOf<T>(result: Result<unknown>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`);
  return result.data as T;
}
