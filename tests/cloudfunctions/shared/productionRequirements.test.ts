import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { productionReadiness } from '../../../cloudfunctions/shared/productionRequirements';
import { setRuntime } from '../../../cloudfunctions/shared/runtime';
import { callAs } from '../../support/runtime';

const READY: Record<string, string> = {
  MONGODB_URI: 'mongodb://db.internal:27017',
  PII_ENCRYPTION_KEY: 'a',
  PII_HASH_KEY: 'b',
  PII_KEY_ID: 'k1',
  HIS_BASE_URL: 'https://his.example.org/api',
  HIS_APP_ID: 'yiyue',
  HIS_SECRET: 's',
  WXPAY_MCHID: '1900000109',
  WXPAY_APPID: 'wx0000000000000000',
  WXPAY_SERIAL_NO: 'ABC',
  WXPAY_PRIVATE_KEY: 'pem',
  WXPAY_APIV3_KEY: 'k',
  WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_1',
  WXPAY_PUBLIC_KEY: 'pem',
  PAY_NOTIFY_BASE: 'https://example.com/http/payment/notify',
  SMS_SECRET_ID: 'AKIDexample',
  SMS_SECRET_KEY: 'secret',
  SMS_SDK_APP_ID: '1400000000',
  SMS_SIGN_NAME: '某某医院',
  SMS_TEMPLATE_ID: '100000',
  MESSAGE_TEMPLATES: '{}',
};
const without = (...names: string[]) => Object.fromEntries(Object.entries(READY).filter(([key]) => !names.includes(key)));

describe('what production requires', () => {
  it.each<[string, Record<string, string | undefined>, string[] | undefined, string | undefined]>([
    ['everything set', READY, undefined, undefined],
    ['a platform certificate instead of the public key', { ...without('WXPAY_PUBLIC_KEY_ID', 'WXPAY_PUBLIC_KEY'), WXPAY_PLATFORM_CERT: 'pem' }, undefined, undefined],
    ['nothing set', {}, undefined, 'missing MONGODB_URI, PII_ENCRYPTION_KEY, PII_HASH_KEY, PII_KEY_ID, HIS_BASE_URL, HIS_APP_ID, HIS_SECRET, WXPAY_MCHID, WXPAY_APPID, WXPAY_SERIAL_NO, WXPAY_PRIVATE_KEY, WXPAY_APIV3_KEY, WXPAY_PUBLIC_KEY_ID+WXPAY_PUBLIC_KEY or WXPAY_PLATFORM_CERT, SMS_SECRET_ID, SMS_SECRET_KEY, SMS_SDK_APP_ID, SMS_SIGN_NAME, SMS_TEMPLATE_ID, PAY_NOTIFY_BASE, MESSAGE_TEMPLATES'],
    ['an empty or blank value', { ...READY, HIS_SECRET: '', MONGODB_URI: '  ' }, undefined, 'missing MONGODB_URI, HIS_SECRET'],
    ['no way to check WeChat Pay signatures', without('WXPAY_PUBLIC_KEY_ID', 'WXPAY_PUBLIC_KEY'), undefined, 'missing WXPAY_PUBLIC_KEY_ID+WXPAY_PUBLIC_KEY or WXPAY_PLATFORM_CERT'],
    ['rate limits off', { ...READY, RATE_LIMITS: 'off' }, undefined, 'not allowed: RATE_LIMITS=off'],
    ['a notification address WeChat Pay will not call', { ...READY, PAY_NOTIFY_BASE: 'http://example.com/notify', RATE_LIMITS: 'off' }, undefined, 'not allowed: PAY_NOTIFY_BASE without https, RATE_LIMITS=off'],
    ['missing keys and rate limits off', { ...without('PII_KEY_ID'), RATE_LIMITS: 'off' }, undefined, 'missing PII_KEY_ID; not allowed: RATE_LIMITS=off'],
    ['the catalog function, which never calls the HIS or WeChat Pay', without('HIS_BASE_URL', 'WXPAY_MCHID', 'PAY_NOTIFY_BASE'), ['catalog'], undefined],
    ['the catalog function without the database', without('MONGODB_URI'), ['catalog'], 'missing MONGODB_URI'],
    ['the patient function (binds through the HIS) without it', without('HIS_SECRET', 'WXPAY_MCHID'), ['patient'], 'missing HIS_SECRET'],
    ['the patient function (sends proof codes) without SMS', without('SMS_SECRET_KEY', 'WXPAY_MCHID'), ['patient'], 'missing SMS_SECRET_KEY'],
    ['the booking function, which sends no SMS', without('SMS_SECRET_ID', 'SMS_SECRET_KEY'), ['booking'], undefined],
    ['the booking function (refunds a cancelled paid booking) without WeChat Pay', without('WXPAY_APIV3_KEY', 'PAY_NOTIFY_BASE'), ['booking'], 'missing WXPAY_APIV3_KEY, PAY_NOTIFY_BASE'],
  ])('%s', (_label, env, functions, problems) => {
    const line = productionReadiness(env, functions);
    if (problems === undefined) return expect(line).toBeUndefined();
    expect(line).toBe(`Invalid configuration for production: ${problems} (see "Production checklist" in the README)`);
  });
});

describe('a deployed function in production without its settings', () => {
  const saved = { ...process.env };
  let stderr: string[];
  beforeEach(() => {
    setRuntime(undefined);
    for (const key of Object.keys(process.env)) if (/^(WXPAY_|HIS_|PII_|MONGODB_|PAY_NOTIFY_BASE$|RATE_LIMITS$)/.test(key)) delete process.env[key];
    Object.assign(process.env, { NODE_ENV: 'production', ...without('HIS_APP_ID', 'WXPAY_PRIVATE_KEY'), DATA_DIR: '/nonexistent/yiyue' });
    stderr = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    setRuntime(undefined);
  });

  it('fails every call, each logging one line that names what this function is missing', async () => {
    for (let i = 0; i < 3; i++) {
      expect(await callAs(paymentMain, 'patient-a', { action: 'prepay', appointmentId: 'x' })).toMatchObject({ ok: false, code: 'INTERNAL' });
    }
    expect(stderr).toHaveLength(3);
    for (const line of stderr) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      expect(entry).toMatchObject({ level: 'error', message: 'runtime unavailable', area: 'payment' });
      expect(entry.detail).toMatch(/^Invalid configuration for production: missing HIS_APP_ID, WXPAY_PRIVATE_KEY /);
      expect(entry.stack).toBeUndefined();
    }
  });

  it("names only what that function needs: the catalog never calls the HIS", async () => {
    delete process.env.MONGODB_URI;
    expect(await callAs(catalogMain, 'patient-a', { action: 'departments' })).toMatchObject({ ok: false, code: 'INTERNAL' });
    expect(JSON.parse(stderr[0]).detail).toMatch(/^Invalid configuration for production: missing MONGODB_URI \(/);
  });
});
