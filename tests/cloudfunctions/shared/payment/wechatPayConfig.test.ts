import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalPay } from '../../../../cloudfunctions/local/localPayClient';
import { startWeChatPayStandIn, type WeChatPayStandIn } from '../../../../cloudfunctions/local/wechatPayStandIn';
import { ConfigError } from '../../../../cloudfunctions/shared/config';
import { payClientFromEnv } from '../../../../cloudfunctions/shared/payment/wechatPayClient';
import { WECHAT_PAY_ORIGIN, parsePayConfig } from '../../../../cloudfunctions/shared/payment/wechatPayConfig';

describe('WeChat Pay configuration', () => {
  let standIn: WeChatPayStandIn;
  let env: Record<string, string>;
  let certificatePem = '';

  beforeAll(async () => {
    standIn = await startWeChatPayStandIn();
    env = standIn.config;
    const certificateStandIn = await startWeChatPayStandIn({ mode: 'certificate' });
    certificatePem = certificateStandIn.config.WXPAY_PLATFORM_CERT;
    await certificateStandIn.close();
  });
  afterAll(() => standIn.close());

  function configError(overrides: Record<string, string | undefined>): string {
    try {
      parsePayConfig({ ...env, ...overrides });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  }

  it('is null when no credential is set (the stand-in is used), even with origin or timeout set', () => {
    expect(parsePayConfig({})).toBeNull();
    expect(parsePayConfig({ WXPAY_ORIGIN: 'https://example.org', WXPAY_TIMEOUT_MS: '3000', WXPAY_MCHID: '' })).toBeNull();
    expect(payClientFromEnv({})).toBeNull();
  });

  it('parses the stand-in values with defaults, in public-key mode', () => {
    const { WXPAY_ORIGIN: _origin, WXPAY_TIMEOUT_MS: _timeout, ...credentials } = env;
    const config = parsePayConfig(credentials);
    expect(config).toMatchObject({ mchid: env.WXPAY_MCHID, appid: env.WXPAY_APPID, origin: WECHAT_PAY_ORIGIN, timeoutMs: 5000 });
    expect(config?.publicKey?.id).toBe(env.WXPAY_PUBLIC_KEY_ID);
    expect(payClientFromEnv(env)?.settings).toEqual({ mchid: env.WXPAY_MCHID, appid: env.WXPAY_APPID, origin: standIn.origin, notifyUrl: undefined, mode: 'publicKey' });
  });

  it('reads the compact form (the base64 body alone) of the private key, public key and certificate', () => {
    const compact = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    const full = parsePayConfig(env)!;
    const config = parsePayConfig({ ...env, WXPAY_PRIVATE_KEY: compact(env.WXPAY_PRIVATE_KEY), WXPAY_PUBLIC_KEY: compact(env.WXPAY_PUBLIC_KEY), WXPAY_PLATFORM_CERT: compact(certificatePem) })!;
    expect(config.privateKey.export({ type: 'pkcs8', format: 'pem' })).toEqual(full.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    expect(config.publicKey!.key.export({ type: 'spki', format: 'pem' })).toEqual(full.publicKey!.key.export({ type: 'spki', format: 'pem' }));
    expect(config.platformCertificates[0].fingerprint256).toBe(new X509Certificate(certificatePem).fingerprint256);
    // A compact value of the wrong kind is refused without repeating the key material.
    const message = configError({ WXPAY_PRIVATE_KEY: compact(env.WXPAY_PUBLIC_KEY) });
    expect(message).toBe('Invalid configuration: WXPAY_PRIVATE_KEY is not a readable PEM of the expected kind');
  });

  it('reads keys from files and from one-line PEMs with escaped newlines', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wxpay-'));
    try {
      const keyFile = path.join(dir, 'apiclient_key.pem');
      writeFileSync(keyFile, env.WXPAY_PRIVATE_KEY);
      const config = parsePayConfig({ ...env, WXPAY_PRIVATE_KEY: keyFile, WXPAY_PUBLIC_KEY: env.WXPAY_PUBLIC_KEY.replace(/\n/g, '\\n') });
      expect(config?.privateKey.type).toBe('private');
      expect(config?.publicKey?.key.type).toBe('public');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(configError({ WXPAY_PRIVATE_KEY: '/no/such/key.pem' })).toMatch(/WXPAY_PRIVATE_KEY must be a PEM, its base64 body, or the path of a PEM file/);
  });

  it('names the variable at fault and never repeats a key or the APIv3 key', () => {
    const cases: [Record<string, string | undefined>, RegExp][] = [
      [{ WXPAY_APPID: undefined }, /WXPAY_APPID is required/],
      [{ WXPAY_MCHID: 'abc' }, /WXPAY_MCHID must be the merchant number/],
      [{ WXPAY_APIV3_KEY: 'too-short-secret' }, /WXPAY_APIV3_KEY must be exactly 32 bytes/],
      [{ WXPAY_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----' }, /WXPAY_PRIVATE_KEY is not a readable PEM/],
      [{ WXPAY_PUBLIC_KEY: undefined }, /WXPAY_PUBLIC_KEY/],
      [{ WXPAY_PUBLIC_KEY_ID: 'KEY1' }, /WXPAY_PUBLIC_KEY_ID must look like PUB_KEY_ID_/],
      [{ WXPAY_ORIGIN: 'http://pay.example.org' }, /WXPAY_ORIGIN must use https unless it is a loopback stand-in/],
      [{ WXPAY_ORIGIN: 'https://pay.example.org/v3' }, /WXPAY_ORIGIN must be an origin only/],
      [{ WXPAY_TIMEOUT_MS: '50' }, /WXPAY_TIMEOUT_MS must be a whole number/],
    ];
    for (const [overrides, expected] of cases) {
      const message = configError(overrides);
      expect(message).toMatch(expected);
      expect(message).not.toContain('too-short-secret');
      expect(message).not.toContain('not a key');
      expect(message).not.toContain(env.WXPAY_APIV3_KEY);
    }
  });

  it('accepts certificate mode, and both at once', () => {
    const certificateOnly = { ...env, WXPAY_PUBLIC_KEY_ID: undefined, WXPAY_PUBLIC_KEY: undefined, WXPAY_PLATFORM_CERT: certificatePem };
    expect(parsePayConfig(certificateOnly)?.platformCertificates).toHaveLength(1);
    expect(payClientFromEnv({ ...env, WXPAY_PLATFORM_CERT: certificatePem })?.settings.mode).toBe('publicKey+certificate');
    expect(configError({ WXPAY_PUBLIC_KEY_ID: undefined, WXPAY_PUBLIC_KEY: undefined })).toMatch(/WXPAY_PUBLIC_KEY or WXPAY_PLATFORM_CERT is required/);
  });
});

describe('local WeChat Pay for npm start', () => {
  it('starts the stand-in when WXPAY_* are unset, and uses the real client when they are', async () => {
    const local = await startLocalPay({});
    try {
      expect(local.standIn).toBeDefined();
      expect(local.client.settings).toMatchObject({ origin: local.standIn?.origin });
      await expect(local.client.queryOrder('YY_NOTHING_HERE')).resolves.toBeNull();
      const real = await startLocalPay(local.standIn!.config);
      expect(real.standIn).toBeUndefined();
      expect(real.client.settings.origin).toBe(local.standIn?.origin);
    } finally {
      await local.close();
    }
    await expect(startLocalPay({ WXPAY_MCHID: '1900000109' })).rejects.toBeInstanceOf(ConfigError);
  });
});
