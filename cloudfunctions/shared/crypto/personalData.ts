// Encryption at rest and keyed lookup hashes for ID and phone numbers (AES-256-GCM, HMAC-SHA256).
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;
/** Key ids are written into every sealed value, so they must not contain the '.' separator. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export type BlindIndexKind = 'id' | 'phone';

/** An old encryption key kept only to read values sealed before a rotation. */
export interface PersonalDataDecryptionKey {
  keyId: string;
  encryptionKey: Buffer;
}

export interface PersonalDataKeys {
  /** Seals every new value. */
  encryptionKey: Buffer;
  /** Keys the blind index; changing it means re-indexing every stored number. */
  hashKey: Buffer;
  keyId: string;
  /** Retired encryption keys, still accepted by decrypt. */
  previousKeys?: PersonalDataDecryptionKey[];
}

export interface PersonalDataCipher {
  readonly keyId: string;
  /** `v1.<keyId>.<iv>.<ciphertext>.<tag>`, all parts base64url; a fresh random IV every call. */
  encrypt(plain: string): string;
  /** Throws PersonalDataError when the value is malformed, sealed with an unknown key, or altered. */
  decrypt(sealed: string): string;
  /** Hex HMAC-SHA256 of `kind:value`; the caller normalises the value first (upper-case X, no spaces). */
  blindIndex(kind: BlindIndexKind, normalised: string): string;
}

/** A sealed value that cannot be opened. The message never contains the value itself. */
export class PersonalDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PersonalDataError';
  }
}

export function createPersonalDataCipher(keys: PersonalDataKeys): PersonalDataCipher {
  checkKey('encryptionKey', keys.encryptionKey);
  checkKey('hashKey', keys.hashKey);
  checkKeyId(keys.keyId);
  if (keys.encryptionKey.equals(keys.hashKey)) {
    // One secret doing two jobs would let a leak of either undo both protections.
    throw new PersonalDataError('encryptionKey and hashKey must be different keys');
  }
  const decryptionKeys = new Map<string, Buffer>([[keys.keyId, Buffer.from(keys.encryptionKey)]]);
  for (const old of keys.previousKeys ?? []) {
    checkKeyId(old.keyId);
    checkKey(`previous key "${old.keyId}"`, old.encryptionKey);
    const known = decryptionKeys.get(old.keyId);
    if (known && !known.equals(old.encryptionKey)) {
      throw new PersonalDataError(`key id "${old.keyId}" is used for two different keys; give every key its own id`);
    }
    decryptionKeys.set(old.keyId, Buffer.from(old.encryptionKey));
  }
  // Copies, so a caller reusing its buffers cannot change the keys under us.
  const encryptionKey = Buffer.from(keys.encryptionKey);
  const hashKey = Buffer.from(keys.hashKey);

  return {
    keyId: keys.keyId,

    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv, { authTagLength: TAG_BYTES });
      // The header is authenticated too, so a value cannot be relabelled with another key id.
      cipher.setAAD(Buffer.from(header(keys.keyId)));
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [header(keys.keyId), b64url(iv), b64url(ciphertext), b64url(tag)].join('.');
    },

    decrypt(sealed) {
      const parts = typeof sealed === 'string' ? sealed.split('.') : [];
      if (parts.length !== 5 || parts.slice(2).some((part) => !BASE64URL.test(part))) {
        throw new PersonalDataError('sealed personal data is malformed');
      }
      const [version, keyId, ivText, ciphertextText, tagText] = parts;
      if (version !== VERSION) throw new PersonalDataError(`sealed personal data has unsupported version "${version}"`);
      const key = decryptionKeys.get(keyId);
      if (!key) {
        throw new PersonalDataError(`sealed personal data uses unknown key id "${keyId}"; add that key to the previous keys`);
      }
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
        throw new PersonalDataError('sealed personal data is malformed');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(header(keyId)));
      decipher.setAuthTag(tag);
      try {
        const plain = Buffer.concat([decipher.update(Buffer.from(ciphertextText, 'base64url')), decipher.final()]);
        return plain.toString('utf8');
      } catch {
        throw new PersonalDataError(
          `sealed personal data failed its integrity check (altered, or key "${keyId}" is not the key it was sealed with)`,
        );
      }
    },

    blindIndex(kind, normalised) {
      if (kind !== 'id' && kind !== 'phone') throw new PersonalDataError(`unknown blind index kind "${String(kind)}"`);
      if (typeof normalised !== 'string' || normalised.length === 0) {
        throw new PersonalDataError('a blind index needs a non-empty value');
      }
      // The kind prefix keeps an ID number and a phone number with the same digits apart.
      return createHmac('sha256', hashKey).update(`${kind}:${normalised}`, 'utf8').digest('hex');
    },
  };
}

function header(keyId: string): string {
  return `${VERSION}.${keyId}`;
}

function b64url(bytes: Buffer): string {
  return bytes.toString('base64url');
}

function checkKey(name: string, key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) {
    throw new PersonalDataError(`${name} must be exactly ${KEY_BYTES} bytes`);
  }
}

function checkKeyId(keyId: string): void {
  if (typeof keyId !== 'string' || !KEY_ID_PATTERN.test(keyId)) {
    throw new PersonalDataError(`key id "${String(keyId)}" must be 1-32 letters, digits, _ or -`);
  }
}
