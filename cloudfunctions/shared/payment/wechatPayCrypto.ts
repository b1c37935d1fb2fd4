// The client's WeChat Pay cryptography on node:crypto: signature checks, AES-256-GCM that checks its tag, and the keys we trust.
import { X509Certificate, createDecipheriv, createVerify, type KeyObject } from 'node:crypto';
import Pay from 'wechatpay-node-v3';

export interface SignedMessage {
  /** Wechatpay-Timestamp, Unix seconds. */
  timestamp: string;
  /** Wechatpay-Nonce. */
  nonce: string;
  /** The body exactly as received (byte for byte: never a re-serialized object). */
  body: string;
  /** Wechatpay-Signature, base64. */
  signature: string;
}

/** SHA256withRSA over `timestamp \n nonce \n body \n`, as WeChat signs responses and notifications. */
export function verifyWeChatSignature(key: KeyObject, message: SignedMessage): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(message.signature)) return false;
  try {
    return createVerify('RSA-SHA256')
      .update(`${message.timestamp}\n${message.nonce}\n${message.body}\n`, 'utf8')
      .verify(key, message.signature, 'base64');
  } catch {
    return false;
  }
}

export interface EncryptedResource {
  algorithm?: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
}

/**
 * AEAD_AES_256_GCM with the APIv3 key; `final()` throws when the tag (the last 16 bytes) does not match, which the
 * library's decipher_gcm never calls, so a tampered resource would decrypt to garbage there instead of failing.
 */
export function decryptResource(resource: EncryptedResource, apiV3Key: string): string {
  if (resource.algorithm !== undefined && resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new Error(`unsupported algorithm ${resource.algorithm}`);
  }
  const sealed = Buffer.from(resource.ciphertext, 'base64');
  if (sealed.length < 17) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(resource.nonce, 'utf8'), { authTagLength: 16 });
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]).toString('utf8');
}

/** The library's static serial -> public key PEM map, which its verifySign reads (and refills from GET /v3/certificates when a serial is missing). */
function libraryCertificates(): Record<string, string> {
  return (Pay as unknown as { certificates: Record<string, string> }).certificates;
}

/**
 * The keys this client accepts WeChat's signatures from, by Wechatpay-Serial: the WeChat Pay public key (PUB_KEY_ID_...)
 * and/or platform certificates. Each is also put into the library's static map, by mutation (the library reassigns
 * that object when it fetches, so a copy would go stale), so none of its code paths goes looking for a key we hold.
 */
export class TrustedKeys {
  private readonly keys = new Map<string, { key: KeyObject; notAfter?: Date }>();

  addPublicKey(id: string, key: KeyObject): void {
    this.keys.set(id, { key });
    libraryCertificates()[id] = key.export({ type: 'spki', format: 'pem' }).toString();
  }

  addCertificate(certificate: X509Certificate): string {
    const serial = certificate.serialNumber.toUpperCase();
    this.keys.set(serial, { key: certificate.publicKey, notAfter: new Date(certificate.validTo) });
    libraryCertificates()[serial] = certificate.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    return serial;
  }

  /** The key for a serial, unless unknown or (for a certificate) expired at `now`. */
  get(serial: string, now: Date): KeyObject | undefined {
    const entry = this.keys.get(serial) ?? this.keys.get(serial.toUpperCase());
    if (!entry) return undefined;
    if (entry.notAfter && entry.notAfter.getTime() < now.getTime()) return undefined;
    return entry.key;
  }
}
