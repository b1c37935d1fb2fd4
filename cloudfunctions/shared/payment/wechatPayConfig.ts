// WeChat Pay credentials from the environment, parsed once with zod; a bad value stops start-up with one line that never repeats a key.
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, describeSecretSettingIssue, emptyToUndefined } from '../config';

export const WECHAT_PAY_ORIGIN = 'https://api.mch.weixin.qq.com';
/** One WeChat Pay call's timeout unless WXPAY_TIMEOUT_MS says otherwise. */
export const WXPAY_DEFAULT_TIMEOUT_MS = 5000;

/** The variables that say "WeChat Pay is configured"; when none is set the local stand-in is used instead. */
const REQUIRED_KEYS = ['WXPAY_MCHID', 'WXPAY_APPID', 'WXPAY_SERIAL_NO', 'WXPAY_PRIVATE_KEY', 'WXPAY_APIV3_KEY'] as const;
const SECRET_KEYS = new Set(['WXPAY_PRIVATE_KEY', 'WXPAY_APIV3_KEY']);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const zPemOrPath = z.string().min(1, 'must not be empty');

const payEnvSchema = z
  .object({
    WXPAY_MCHID: z.string().regex(/^\d{1,32}$/, 'must be the merchant number (digits)'),
    WXPAY_APPID: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be the mini program AppID such as wx1234567890abcdef'),
    WXPAY_SERIAL_NO: z.string().regex(/^[0-9A-Fa-f]{1,64}$/, "must be the merchant API certificate's serial number (hex)"),
    WXPAY_PRIVATE_KEY: zPemOrPath,
    WXPAY_APIV3_KEY: z.string().refine((value) => Buffer.byteLength(value, 'utf8') === 32, 'must be exactly 32 bytes'),
    WXPAY_PUBLIC_KEY_ID: z.string().regex(/^PUB_KEY_ID_[0-9A-Za-z]{1,64}$/, 'must look like PUB_KEY_ID_0112345678...').optional(),
    WXPAY_PUBLIC_KEY: zPemOrPath.optional(),
    WXPAY_PLATFORM_CERT: zPemOrPath.optional(),
    WXPAY_ORIGIN: z
      .url({ protocol: /^https?$/, error: 'must be an origin such as https://api.mch.weixin.qq.com' })
      .refine((value) => isBareOrigin(value), 'must be an origin only (scheme, host, port), without a path')
      .refine((value) => value.startsWith('https:') || LOOPBACK_HOSTS.has(new URL(value).hostname), 'must use https unless it is a loopback stand-in')
      .default(WECHAT_PAY_ORIGIN),
    WXPAY_TIMEOUT_MS: z.coerce
      .number({ error: 'must be a whole number of milliseconds between 100 and 60000' })
      .int('must be a whole number of milliseconds between 100 and 60000')
      .min(100, 'must be a whole number of milliseconds between 100 and 60000')
      .max(60000, 'must be a whole number of milliseconds between 100 and 60000')
      .default(WXPAY_DEFAULT_TIMEOUT_MS),
  })
  .superRefine((value, context) => {
    if ((value.WXPAY_PUBLIC_KEY_ID === undefined) !== (value.WXPAY_PUBLIC_KEY === undefined)) {
      const missing = value.WXPAY_PUBLIC_KEY_ID === undefined ? 'WXPAY_PUBLIC_KEY_ID' : 'WXPAY_PUBLIC_KEY';
      context.addIssue({ code: 'custom', path: [missing], message: 'is required with its partner (WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY go together)' });
    }
    if (value.WXPAY_PUBLIC_KEY === undefined && value.WXPAY_PLATFORM_CERT === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['WXPAY_PUBLIC_KEY'],
        message: 'or WXPAY_PLATFORM_CERT is required: the WeChat Pay public key (with WXPAY_PUBLIC_KEY_ID) or a platform certificate',
      });
    }
  });

export interface PayConfig {
  mchid: string;
  appid: string;
  /** The merchant API certificate's serial number, upper-case hex. */
  serialNo: string;
  /** The merchant API private key (apiclient_key.pem). */
  privateKey: KeyObject;
  /** 32 bytes, the AES-256-GCM key of notifications and downloaded certificates. */
  apiV3Key: string;
  /** WeChat Pay public key mode: responses and notifications carry Wechatpay-Serial = this id. */
  publicKey?: { id: string; key: KeyObject };
  /** Platform certificate mode: the certificate(s) known at start; newer ones are downloaded when a serial is unknown. */
  platformCertificates: X509Certificate[];
  /** Without a trailing slash. */
  origin: string;
  timeoutMs: number;
}

/** null when no WXPAY_* credential is set (use the stand-in); a ConfigError when they are set but incomplete or wrong. */
export function parsePayConfig(env: Record<string, string | undefined> = process.env): PayConfig | null {
  const values = emptyToUndefined(env);
  if (REQUIRED_KEYS.every((key) => values[key] === undefined)) return null;
  const parsed = payEnvSchema.safeParse(values);
  if (!parsed.success) throw new ConfigError(describeSecretSettingIssue(parsed.error, values, (key, value) => SECRET_KEYS.has(key) || value.includes('-----BEGIN')));
  const value = parsed.data;
  return {
    mchid: value.WXPAY_MCHID,
    appid: value.WXPAY_APPID,
    serialNo: value.WXPAY_SERIAL_NO.toUpperCase(),
    privateKey: loadKey('WXPAY_PRIVATE_KEY', value.WXPAY_PRIVATE_KEY, (pem) => createPrivateKey(pem), 'PRIVATE KEY'),
    apiV3Key: value.WXPAY_APIV3_KEY,
    publicKey:
      value.WXPAY_PUBLIC_KEY_ID && value.WXPAY_PUBLIC_KEY
        ? { id: value.WXPAY_PUBLIC_KEY_ID, key: loadKey('WXPAY_PUBLIC_KEY', value.WXPAY_PUBLIC_KEY, (pem) => createPublicKey(pem), 'PUBLIC KEY') }
        : undefined,
    platformCertificates: value.WXPAY_PLATFORM_CERT
      ? [loadKey('WXPAY_PLATFORM_CERT', value.WXPAY_PLATFORM_CERT, (pem) => new X509Certificate(pem), 'CERTIFICATE')]
      : [],
    origin: value.WXPAY_ORIGIN.replace(/\/+$/, ''),
    timeoutMs: value.WXPAY_TIMEOUT_MS,
  };
}

/**
 * A PEM given inline (with literal or escaped newlines, as some consoles store it), its compact form
 * (the base64 body alone, no armour or line breaks: ~110 bytes less of the 4 KB WeChat cloud allows a
 * function's environment), or the path of a PEM file.
 */
function loadKey<T>(name: string, value: string, parse: (pem: string) => T, label: PemLabel): T {
  let pem = value;
  if (COMPACT_PEM.test(value)) {
    pem = `-----BEGIN ${label}-----\n${value.replace(/\s+/g, '').replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
  } else if (!value.includes('-----BEGIN')) {
    if (!existsSync(value)) throw new ConfigError(`Invalid configuration: ${name} must be a PEM, its base64 body, or the path of a PEM file (no such file)`);
    pem = readFileSync(value, 'utf8');
  }
  try {
    return parse(pem.replace(/\\n/g, '\n'));
  } catch {
    // The parser's message may quote the key material: say only which variable is wrong.
    throw new ConfigError(`Invalid configuration: ${name} is not a readable PEM of the expected kind`);
  }
}

type PemLabel = 'PRIVATE KEY' | 'PUBLIC KEY' | 'CERTIFICATE';
/** A long run of base64 and nothing else: no path or PEM looks like this. */
const COMPACT_PEM = /^[A-Za-z0-9+/]{200,}={0,2}$/;

function isBareOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.pathname === '/' || url.pathname === '') && !url.search && !url.hash && !url.username;
  } catch {
    return false;
  }
}
