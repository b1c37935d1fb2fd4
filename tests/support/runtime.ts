// Test runtimes on the embedded store in a fresh temporary data folder, and calls made as a given caller.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseServerConfig, type ServerConfig } from '../../cloudfunctions/shared/config';
import type { InvocationContext } from '../../cloudfunctions/shared/createMain';
import type { Result } from '../../cloudfunctions/shared/errors';
import type { HisClient } from '../../cloudfunctions/shared/his/his';
import { withPlatformIdentity, type WxIdentity } from '../../cloudfunctions/shared/identity';
import { createLogger } from '../../cloudfunctions/shared/log';
import type { PayClient } from '../../cloudfunctions/shared/payment/wechatPay';
import { openRuntime, setRuntime, type Runtime, type RuntimeServices } from '../../cloudfunctions/shared/runtime';

export interface TestRuntime extends Runtime {
  dataDir: string;
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'yiyue-test-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Opens a runtime on a fresh data folder and installs it as the process runtime used by `main`. */
export async function openTestRuntime(
  overrides: Partial<ServerConfig> = {},
  services: { his?: HisClient; pay?: PayClient; sms?: RuntimeServices['sms']; wxPhone?: RuntimeServices['wxPhone'] } = {},
): Promise<TestRuntime> {
  const dataDir = tempDir();
  const config: ServerConfig = {
    ...parseServerConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    ...overrides,
  };
  const runtime = await openRuntime(config, { log: createLogger('silent'), env: {}, his: services.his, pay: services.pay, sms: services.sms, wxPhone: services.wxPhone });
  setRuntime(runtime);
  return {
    ...runtime,
    dataDir,
    async dispose() {
      setRuntime(undefined);
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
