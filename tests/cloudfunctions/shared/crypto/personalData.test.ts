import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../../../cloudfunctions/shared/config';
import { createLogger } from '../../../../cloudfunctions/shared/log';
import {
  createPersonalDataCipher,
  PersonalDataError,
  type PersonalDataKeys,
} from '../../../../cloudfunctions/shared/crypto/personalData';
import { loadPersonalDataKeys } from '../../../../cloudfunctions/shared/crypto/personalDataKeys';

const ID_NUMBER = '11010519491231002X';
const PHONE = '13812345678';

function newKeys(keyId = 'k1'): PersonalDataKeys {
  return { encryptionKey: randomBytes(32), hashKey: randomBytes(32), keyId };
}

/** Replaces one base64url part of a sealed value with a different value of the same length. */
function alter(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[index], 'base64url');
  bytes[0] ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join('.');
}

describe('personal data cipher', () => {
  const cipher = createPersonalDataCipher(newKeys());

  it.each([ID_NUMBER, PHONE, '张三丰', '北京市海淀区复兴路28号 · 🏥', ''])('round-trips %j', (plain) => {
    const sealed = cipher.encrypt(plain);
    expect(sealed).toMatch(/^v1\.k1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
    expect(cipher.decrypt(sealed)).toBe(plain);
  });

  it('never shows the plain value and uses a fresh IV every time', () => {
    const sealed = Array.from({ length: 20 }, () => cipher.encrypt(ID_NUMBER));
    expect(new Set(sealed).size).toBe(20);
    expect(new Set(sealed.map((value) => value.split('.')[2])).size).toBe(20);
    for (const value of sealed) expect(value).not.toContain(ID_NUMBER);
  });

  it.each([
    ['iv', 2],
    ['ciphertext', 3],
    ['tag', 4],
  ])('refuses a value whose %s was altered', (_part, index) => {
    const tampered = alter(cipher.encrypt(ID_NUMBER), index);
    expect(() => cipher.decrypt(tampered)).toThrow(PersonalDataError);
    expect(() => cipher.decrypt(tampered)).toThrow(/integrity check/);
  });

  it('refuses a value relabelled with another known key id', () => {
    const two = createPersonalDataCipher({ ...newKeys('k2'), previousKeys: [{ keyId: 'k1', encryptionKey: randomBytes(32) }] });
    const relabelled = two.encrypt(PHONE).replace(/^v1\.k2\./, 'v1.k1.');
    expect(() => two.decrypt(relabelled)).toThrow(/integrity check/);
  });

  it.each([
    ['not sealed', 'hello'],
    ['too few parts', 'v1.k1.abc.def'],
    ['bad characters', 'v1.k1.a+b.c.d'],
    ['short iv', 'v1.k1.AAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
    ['unknown version', 'v9.k1.AAAAAAAAAAAAAAAA.AAAA.AAAAAAAAAAAAAAAAAAAAAA'],
  ])('refuses a malformed value (%s)', (_why, sealed) => {
    expect(() => cipher.decrypt(sealed)).toThrow(PersonalDataError);
  });

  it('refuses a value sealed with a different key under the same id', () => {
    const other = createPersonalDataCipher(newKeys());
    expect(() => other.decrypt(cipher.encrypt(ID_NUMBER))).toThrow(/integrity check/);
  });

  it('names the missing key id when a value was sealed with a key it does not have', () => {
    const other = createPersonalDataCipher(newKeys('k2'));
    expect(() => other.decrypt(cipher.encrypt(ID_NUMBER))).toThrow(/unknown key id "k1"/);
  });

  it('rotates: the new key seals, the old key still opens old values', () => {
    const old = newKeys('2024a');
    const before = createPersonalDataCipher(old).encrypt(ID_NUMBER);
    const rotated = createPersonalDataCipher({
      ...newKeys('2025a'),
      hashKey: old.hashKey,
      previousKeys: [{ keyId: old.keyId, encryptionKey: old.encryptionKey }],
    });
    expect(rotated.decrypt(before)).toBe(ID_NUMBER);
    const after = rotated.encrypt(ID_NUMBER);
    expect(after.startsWith('v1.2025a.')).toBe(true);
    expect(rotated.decrypt(after)).toBe(ID_NUMBER);
    expect(() => createPersonalDataCipher(old).decrypt(after)).toThrow(/unknown key id "2025a"/);
  });

  it('keeps blind indexes stable, apart by kind, and dependent on the key', () => {
    const keys = newKeys();
    const a = createPersonalDataCipher(keys);
    const b = createPersonalDataCipher({ ...keys, encryptionKey: randomBytes(32), keyId: 'k9' });
    expect(a.blindIndex('id', ID_NUMBER)).toMatch(/^[0-9a-f]{64}$/);
    expect(a.blindIndex('id', ID_NUMBER)).toBe(b.blindIndex('id', ID_NUMBER));
    expect(a.blindIndex('id', '13812345678')).not.toBe(a.blindIndex('phone', '13812345678'));
    expect(a.blindIndex('id', ID_NUMBER)).not.toBe(a.blindIndex('id', '110105194912310021'));
    expect(createPersonalDataCipher(newKeys()).blindIndex('id', ID_NUMBER)).not.toBe(a.blindIndex('id', ID_NUMBER));
  });

  it.each([
    ['a short encryption key', { ...newKeys(), encryptionKey: randomBytes(16) }, /encryptionKey must be exactly 32 bytes/],
    ['a short hash key', { ...newKeys(), hashKey: randomBytes(31) }, /hashKey must be exactly 32 bytes/],
    ['a key id with a dot', newKeys('k.1'), /key id "k.1"/],
    ['the same key for both jobs', (() => { const k = randomBytes(32); return { encryptionKey: k, hashKey: k, keyId: 'k1' }; })(), /different keys/],
    ['one id for two keys', { ...newKeys(), previousKeys: [{ keyId: 'k1', encryptionKey: randomBytes(32) }] }, /used for two different keys/],
  ])('refuses %s', (_why, keys, message) => {
    expect(() => createPersonalDataCipher(keys as PersonalDataKeys)).toThrow(message);
  });
});

describe('loading personal-data keys', () => {
  const quiet = createLogger('silent');
  const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
  const dirs: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-keys-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('generates a local key file once, mode 0600, says so once, and reuses it', () => {
    const dataDir = newDataDir();
    const lines: string[] = [];
    const log = createLogger('info', (line) => lines.push(line));

    const first = loadPersonalDataKeys({ env: { NODE_ENV: 'development' }, dataDir, log });
    const file = path.join(dataDir, 'keys', 'personal-data.json');
    expect(first.source).toBe('local-file');
    expect(first.file).toBe(file);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const sealed = createPersonalDataCipher(first).encrypt(ID_NUMBER);

    const second = loadPersonalDataKeys({ env: {}, dataDir, log });
    expect(second.keyId).toBe(first.keyId);
    expect(createPersonalDataCipher(second).decrypt(sealed)).toBe(ID_NUMBER);
    expect(createPersonalDataCipher(second).blindIndex('id', ID_NUMBER)).toBe(createPersonalDataCipher(first).blindIndex('id', ID_NUMBER));

    const warnings = lines.map((line) => JSON.parse(line)).filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toContain('generated a local personal-data key in');
    expect(warnings[0].message).toContain('PII_ENCRYPTION_KEY');
    expect(readdirSync(path.dirname(file))).toEqual(['personal-data.json']); // no temp files left behind
  });

  it('reads keys from the environment and accepts previous keys for rotation', () => {
    const dataDir = newDataDir();
    const old = randomBytes(32);
    const keys = loadPersonalDataKeys({
      env: { NODE_ENV: 'production', PII_ENCRYPTION_KEY: b64(32), PII_HASH_KEY: b64(32), PII_KEY_ID: '2025a', PII_PREVIOUS_KEYS: `2024a:${old.toString('base64')}` },
      dataDir,
      log: quiet,
    });
    expect(keys.source).toBe('env');
    expect(keys.keyId).toBe('2025a');
    const oldSealed = createPersonalDataCipher({ encryptionKey: old, hashKey: randomBytes(32), keyId: '2024a' }).encrypt(PHONE);
    expect(createPersonalDataCipher(keys).decrypt(oldSealed)).toBe(PHONE);
    expect(existsSync(path.join(dataDir, 'keys'))).toBe(false);
  });

  it('refuses to run in production without keys', () => {
    const dataDir = newDataDir();
    const load = () => loadPersonalDataKeys({ env: { NODE_ENV: 'production' }, dataDir, log: quiet });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/^Invalid configuration: PII_ENCRYPTION_KEY, PII_HASH_KEY and PII_KEY_ID are required in production/);
    expect(existsSync(path.join(dataDir, 'keys'))).toBe(false);
  });

  const secret = b64(32);
  it.each([
    [{ PII_ENCRYPTION_KEY: 'not base64!', PII_HASH_KEY: b64(32), PII_KEY_ID: 'k1' }, /^Invalid configuration: PII_ENCRYPTION_KEY must be base64 .*not base64$/],
    [{ PII_ENCRYPTION_KEY: b64(16), PII_HASH_KEY: b64(32), PII_KEY_ID: 'k1' }, /^Invalid configuration: PII_ENCRYPTION_KEY .*decodes to 16 bytes$/],
    [{ PII_ENCRYPTION_KEY: b64(32), PII_HASH_KEY: b64(33), PII_KEY_ID: 'k1' }, /^Invalid configuration: PII_HASH_KEY .*decodes to 33 bytes$/],
    [{ PII_ENCRYPTION_KEY: b64(32), PII_HASH_KEY: b64(32), PII_KEY_ID: 'key.1' }, /^Invalid configuration: PII_KEY_ID must be 1-32 .*\(got "key\.1"\)$/],
    [{ PII_ENCRYPTION_KEY: b64(32) }, /^Invalid configuration: PII_HASH_KEY and PII_KEY_ID missing/],
    [{ PII_ENCRYPTION_KEY: secret, PII_HASH_KEY: secret, PII_KEY_ID: 'k1' }, /must be different keys/],
    [{ PII_ENCRYPTION_KEY: b64(32), PII_HASH_KEY: b64(32), PII_KEY_ID: 'k1', PII_PREVIOUS_KEYS: 'nokeyid' }, /^Invalid configuration: PII_PREVIOUS_KEYS must be a comma-separated list/],
  ])('refuses bad key settings with one clear line (%#)', (env, message) => {
    const load = () => loadPersonalDataKeys({ env: { NODE_ENV: 'production', ...env }, dataDir: newDataDir(), log: quiet });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
    try {
      load();
    } catch (error) {
      const text = (error as Error).message;
      expect(text.split('\n')).toHaveLength(1);
      for (const value of Object.values(env)) if (value.length > 20) expect(text).not.toContain(value); // never echoes a secret
    }
  });

  it('refuses a damaged local key file instead of silently making a new key', () => {
    const dataDir = newDataDir();
    loadPersonalDataKeys({ env: {}, dataDir, log: quiet });
    const file = path.join(dataDir, 'keys', 'personal-data.json');
    writeFileSync(file, '{"version":1,');
    expect(() => loadPersonalDataKeys({ env: {}, dataDir, log: quiet })).toThrow(/key file .* cannot be read/);
    expect(readFileSync(file, 'utf8')).toBe('{"version":1,');
  });
});
