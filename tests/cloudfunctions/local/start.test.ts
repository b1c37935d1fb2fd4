import { DEMO_TEMPLATES } from '../../../cloudfunctions/shared/messages/templates';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../support/runtime';
import { runToExit, spawnStart, startHostProcess } from '../../support/startProcess';

describe('npm start', () => {
  it.each([
    [{ PORT: 'eighty' }, /^Invalid configuration: PORT .*"eighty"/],
    [{ MONGODB_URI: 'localhost:27017' }, /^Invalid configuration: MONGODB_URI/],
  ])('stops with one clear line and a non-zero code on bad configuration %j', async (env, line) => {
    const { code, stderr, stdout } = await runToExit(spawnStart(env));
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(line);
  });

  // Whatever the machine running the tests has set, these start empty (an empty variable counts as unset).
  const unset = Object.fromEntries(
    Object.keys(process.env)
      .filter((key) => /^(WXPAY_|HIS_|PII_|MONGODB_URI$|PAY_NOTIFY_BASE$|RATE_LIMITS$)/.test(key))
      .map((key) => [key, '']),
  );

  it('refuses to start in production without its settings: one line naming them all, no stand-in, nothing seeded', async () => {
    const dataDir = tempDir();
    try {
      const { code, stdout, stderr } = await runToExit(spawnStart({ ...unset, NODE_ENV: 'production', DATA_DIR: dataDir, PORT: '0' }));
      expect(code).toBe(2);
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      for (const name of ['MONGODB_URI', 'PII_ENCRYPTION_KEY', 'PII_HASH_KEY', 'PII_KEY_ID', 'HIS_BASE_URL', 'HIS_APP_ID', 'HIS_SECRET', 'WXPAY_MCHID', 'WXPAY_APPID', 'WXPAY_SERIAL_NO', 'WXPAY_PRIVATE_KEY', 'WXPAY_APIV3_KEY', 'WXPAY_PUBLIC_KEY', 'PAY_NOTIFY_BASE', 'SMS_SECRET_ID', 'SMS_TEMPLATE_ID']) {
        expect(lines[0]).toContain(name);
      }
      expect(lines[0]).not.toMatch(/stand-in|running at/);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses RATE_LIMITS=off in production even when everything else is set', async () => {
    const dataDir = tempDir();
    const configured = {
      MESSAGE_TEMPLATES: JSON.stringify(DEMO_TEMPLATES),
      MONGODB_URI: 'mongodb://127.0.0.1:1',
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      PII_HASH_KEY: Buffer.alloc(32, 2).toString('base64'),
      PII_KEY_ID: 'k1',
      HIS_BASE_URL: 'https://his.example.org/api',
      HIS_APP_ID: 'yiyue',
      HIS_SECRET: 'a-secret-of-sixteen-chars',
      WXPAY_MCHID: '1900000109',
      WXPAY_APPID: 'wx0000000000000000',
      WXPAY_SERIAL_NO: 'ABC123',
      WXPAY_PRIVATE_KEY: '/nonexistent/apiclient_key.pem',
      WXPAY_APIV3_KEY: 'x'.repeat(32),
      WXPAY_PLATFORM_CERT: '/nonexistent/platform.pem',
      PAY_NOTIFY_BASE: 'https://example.com/http/payment/notify',
      SMS_SECRET_ID: 'AKIDexample',
      SMS_SECRET_KEY: 'secret',
      SMS_SDK_APP_ID: '1400000000',
      SMS_SIGN_NAME: '某某医院',
      SMS_TEMPLATE_ID: '100000',
    };
    try {
      const { code, stdout, stderr } = await runToExit(spawnStart({ ...unset, ...configured, NODE_ENV: 'production', RATE_LIMITS: 'off', DATA_DIR: dataDir, PORT: '0' }));
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim()).toMatch(/^Invalid configuration for production: not allowed: RATE_LIMITS=off /);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('prints the URL, serves the functions, keeps data across restarts and releases its lock on SIGTERM', async () => {
    const dataDir = tempDir();
    try {
      const login = async (url: string) => {
        const response = await fetch(`${url}/api/user`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-dev-openid': 'demo-patient' },
          body: JSON.stringify({ action: 'login' }),
        });
        return ((await response.json()) as { data: { user: { id: string } } }).data.user.id;
      };
      const first = await startHostProcess({ DATA_DIR: dataDir });
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const id = await login(first.url);
      expect(await first.stop()).toBe(0);

      const second = await startHostProcess({ DATA_DIR: dataDir });
      expect(await login(second.url)).toBe(id);
      expect(second.output()).not.toMatch(/demo-patient/);
      expect(await second.stop()).toBe(0);
      expect(existsSync(path.join(dataDir, 'store', 'LOCK'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Two host starts (each a cold tsx load of every function): ~27 s on a loaded 2-core machine.
  }, 120_000);
});
