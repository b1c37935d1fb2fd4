// Where the personal-data keys come from: the environment in production, a generated local file otherwise.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, emptyToUndefined } from '../config';
import type { Logger } from '../log';
import {
  createPersonalDataCipher,
  KEY_BYTES,
  KEY_ID_PATTERN,
  PersonalDataError,
  type PersonalDataDecryptionKey,
  type PersonalDataKeys,
} from './personalData';
import { writeFileAtomic } from './writeFileAtomic';

export interface LoadedPersonalDataKeys extends PersonalDataKeys {
  source: 'env' | 'local-file';
  /** The key file, when the keys came from one. */
  file?: string;
}

const KEY_HINT = `base64 of exactly ${KEY_BYTES} random bytes (generate one with: openssl rand -base64 32)`;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const KEY_ID_RULE = 'must be 1-32 letters, digits, _ or - (it is written into every sealed value)';

/** Decodes a base64 key, or says in a few words what is wrong with it without echoing the secret. */
function decodeKey(text: string): Buffer | string {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed)) return `must be ${KEY_HINT}; it contains characters that are not base64`;
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== KEY_BYTES) return `must be ${KEY_HINT}; it decodes to ${bytes.length} bytes`;
  return bytes;
}

const secretKey = z.string().transform((text, ctx) => {
  const decoded = decodeKey(text);
  if (typeof decoded === 'string') {
    ctx.addIssue({ code: 'custom', message: decoded });
    return z.NEVER;
  }
  return decoded;
});

// "k1:<base64>,k0:<base64>": retired keys that still have to open values sealed before a rotation.
const previousKeys = z.string().transform((text, ctx) => {
  const keys: PersonalDataDecryptionKey[] = [];
  for (const entry of text.split(',').map((item) => item.trim()).filter(Boolean)) {
    const colon = entry.indexOf(':');
    const keyId = colon > 0 ? entry.slice(0, colon) : '';
    if (!KEY_ID_PATTERN.test(keyId)) {
      ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of <keyId>:<base64 key>' });
      return z.NEVER;
    }
    const decoded = decodeKey(entry.slice(colon + 1));
    if (typeof decoded === 'string') {
      ctx.addIssue({ code: 'custom', message: `entry "${keyId}" ${decoded}` });
      return z.NEVER;
    }
    keys.push({ keyId, encryptionKey: decoded });
  }
  return keys;
});

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  PII_ENCRYPTION_KEY: secretKey.optional(),
  PII_HASH_KEY: secretKey.optional(),
  PII_KEY_ID: z.string().regex(KEY_ID_PATTERN, KEY_ID_RULE).optional(),
  PII_PREVIOUS_KEYS: previousKeys.optional(),
});

const keyFileSchema = z.object({
  version: z.literal(1),
  keyId: z.string().regex(KEY_ID_PATTERN),
  encryptionKey: z.string(),
  hashKey: z.string(),
  createdAt: z.string(),
});

export function loadPersonalDataKeys(options: {
  env?: Record<string, string | undefined>;
  dataDir: string;
  log: Logger;
}): LoadedPersonalDataKeys {
  const env = emptyToUndefined(options.env ?? process.env);
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0] ?? '');
    // Keys are secrets, so unlike describeConfigIssue this never repeats the value it got.
    const got = key === 'PII_KEY_ID' ? ` (got "${env[key]}")` : '';
    throw new ConfigError(`Invalid configuration: ${key} ${issue.message}${got}`);
  }
  const value = parsed.data;
  const previous = value.PII_PREVIOUS_KEYS ?? [];
  const required = ['PII_ENCRYPTION_KEY', 'PII_HASH_KEY', 'PII_KEY_ID'] as const;
  const missing = required.filter((name) => value[name] === undefined);

  let keys: LoadedPersonalDataKeys;
  if (missing.length === 0) {
    keys = {
      encryptionKey: value.PII_ENCRYPTION_KEY!,
      hashKey: value.PII_HASH_KEY!,
      keyId: value.PII_KEY_ID!,
      previousKeys: previous,
      source: 'env',
    };
  } else if (missing.length < required.length) {
    // Half a configuration is a mistake, never a request for the local key.
    throw new ConfigError(
      `Invalid configuration: ${missing.join(' and ')} missing; set PII_ENCRYPTION_KEY, PII_HASH_KEY and PII_KEY_ID together`,
    );
  } else if (value.NODE_ENV === 'production') {
    throw new ConfigError(
      `Invalid configuration: PII_ENCRYPTION_KEY, PII_HASH_KEY and PII_KEY_ID are required in production (each key ${KEY_HINT})`,
    );
  } else {
    keys = { ...localKeys(options.dataDir, options.log), previousKeys: previous };
  }

  try {
    createPersonalDataCipher(keys); // the same checks the cipher makes, reported as configuration
  } catch (error) {
    if (!(error instanceof PersonalDataError)) throw error;
    throw new ConfigError(`Invalid configuration: personal-data keys: ${error.message}`);
  }
  return keys;
}

/** The development key: generated on first use, then reused so local data stays readable across restarts. */
function localKeys(dataDir: string, log: Logger): LoadedPersonalDataKeys {
  const dir = path.join(dataDir, 'keys');
  const file = path.join(dir, 'personal-data.json');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fresh = {
      version: 1,
      keyId: `local-${randomBytes(4).toString('hex')}`,
      encryptionKey: randomBytes(KEY_BYTES).toString('base64'),
      hashKey: randomBytes(KEY_BYTES).toString('base64'),
      createdAt: new Date().toISOString(),
    };
    // Never replace a key file another process created meanwhile: data may already be sealed with it.
    if (writeFileAtomic(file, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, overwrite: false })) {
      log.warn(
        `generated a local personal-data key in ${file}; set PII_ENCRYPTION_KEY, PII_HASH_KEY and PII_KEY_ID in production`,
      );
    }
  }
  return readKeyFile(file, log);
}

function readKeyFile(file: string, log: Logger): LoadedPersonalDataKeys {
  const unreadable = (why: string) =>
    new ConfigError(
      `Invalid configuration: the local personal-data key file ${file} ${why}; restore it from a backup (without it stored ID and phone numbers cannot be read)`,
    );
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw unreadable(`cannot be read (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) throw unreadable(`is not a valid key file (${parsed.error.issues[0].path.join('.') || 'root'})`);
  const encryptionKey = decodeKey(parsed.data.encryptionKey);
  const hashKey = decodeKey(parsed.data.hashKey);
  if (typeof encryptionKey === 'string') throw unreadable(`has an encryptionKey that ${encryptionKey}`);
  if (typeof hashKey === 'string') throw unreadable(`has a hashKey that ${hashKey}`);

  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    log.warn(`the local personal-data key file ${file} is readable by other users; run: chmod 600 ${file}`);
  }
  log.debug('using the local personal-data key', { file, keyId: parsed.data.keyId });
  return { encryptionKey, hashKey, keyId: parsed.data.keyId, source: 'local-file', file };
}
