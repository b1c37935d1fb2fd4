// The stand-in's side of WeChat Pay v3 cryptography, written on node:crypto apart from the client's, so a mistake in one cannot hide in the other.
/*
 * Keys and certificates are generated at start and never written to disk. X.509 certificates (the merchant's and the
 * platform's) are made with node-forge, a pure-JS devDependency: node:crypto can read certificates but not issue them,
 * and shelling out to an openssl binary would add a system dependency and private keys in temporary files.
 */
import { createCipheriv, createPublicKey, createSign, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

export interface PlatformIdentity {
  /** Wechatpay-Serial: a certificate serial (upper-case hex) or a PUB_KEY_ID_... */
  serial: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Certificate mode only. */
  certificatePem?: string;
  notBefore?: Date;
  notAfter?: Date;
}

export interface MerchantIdentity {
  mchid: string;
  appid: string;
  serialNo: string;
  privateKeyPem: string;
  publicKey: KeyObject;
  certificatePem: string;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlphanumeric(length: number): string {
  const bytes = randomBytes(length);
  let result = '';
  for (const byte of bytes) result += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return result;
}

function rsaKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A certificate for `publicKey`, signed by `issuerKey` (self-signed when they are a pair); returns PEM and serial. */
function issueCertificate(
  commonName: string,
  publicKey: KeyObject,
  issuerKey: KeyObject,
  validity: { notBefore: Date; notAfter: Date },
): { pem: string; serial: string } {
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const serialBytes = randomBytes(20);
  serialBytes[0] = (serialBytes[0] & 0x3f) | 0x10; // positive, and no leading zero to be trimmed
  certificate.serialNumber = serialBytes.toString('hex');
  certificate.validity.notBefore = validity.notBefore;
  certificate.validity.notAfter = validity.notAfter;
  const subject = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Yiyue WeChat Pay stand-in' },
    { name: 'countryName', value: 'CN' },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer([{ name: 'commonName', value: 'Yiyue stand-in CA' }, { name: 'countryName', value: 'CN' }]);
  const signer = forge.pki.privateKeyFromPem(issuerKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  certificate.sign(signer, forge.md.sha256.create());
  return { pem: forge.pki.certificateToPem(certificate), serial: serialBytes.toString('hex').toUpperCase() };
}

export function createMerchant(mchid: string, appid: string): MerchantIdentity {
  const { privateKey, publicKey } = rsaKeyPair();
  const now = Date.now();
  const certificate = issueCertificate(mchid, publicKey, privateKey, { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 5 * 365 * 86_400_000) });
  return {
    mchid,
    appid,
    serialNo: certificate.serial,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey,
    certificatePem: certificate.pem,
  };
}

export function createPlatformPublicKey(): PlatformIdentity {
  const { privateKey, publicKey } = rsaKeyPair();
  return { serial: `PUB_KEY_ID_0${randomBytes(16).toString('hex').toUpperCase()}`.slice(0, 43), privateKey, publicKey };
}

export function createPlatformCertificate(now: Date): PlatformIdentity {
  const { privateKey, publicKey } = rsaKeyPair();
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + 5 * 365 * 86_400_000);
  const certificate = issueCertificate('Tenpay.com Root CA (stand-in)', publicKey, privateKey, { notBefore, notAfter });
  return { serial: certificate.serial, privateKey, publicKey, certificatePem: certificate.pem, notBefore, notAfter };
}

/** Wechatpay-Signature: base64 SHA256withRSA over `timestamp \n nonce \n body \n`. */
export function signWeChatMessage(privateKey: KeyObject, timestamp: string, nonce: string, body: string): string {
  return createSign('sha256').update(`${timestamp}\n${nonce}\n${body}\n`, 'utf8').end().sign(privateKey, 'base64');
}

/** The signing headers WeChat puts on answers and notifications. */
export function signingHeaders(platform: PlatformIdentity, body: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomBytes(16).toString('hex').toUpperCase();
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signWeChatMessage(platform.privateKey, timestamp, nonce, body),
    'Wechatpay-Serial': platform.serial,
    'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
  };
}

/** AEAD_AES_256_GCM under the APIv3 key: base64(ciphertext || 16-byte tag), a 12-character nonce. */
export function encryptForMerchant(
  plaintext: string,
  apiV3Key: string,
  associatedData: string,
): { algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; associated_data: string; nonce: string } {
  const nonce = randomAlphanumeric(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiV3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return { algorithm: 'AEAD_AES_256_GCM', ciphertext: sealed.toString('base64'), associated_data: associatedData, nonce };
}

const AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
export const MAX_REQUEST_SKEW_MS = 5 * 60 * 1000;

/**
 * Why a request's Authorization is not acceptable, or undefined when it is. The signed message is
 * `METHOD \n path?query \n timestamp \n nonce_str \n body \n` (GET: empty body), with the merchant's private key.
 */
export function authorizationProblem(
  merchant: MerchantIdentity,
  request: { authorization: string | undefined; method: string; pathWithQuery: string; body: string; now: Date },
): string | undefined {
  const header = request.authorization;
  if (!header || !header.startsWith(`${AUTH_SCHEME} `)) return `Authorization must use ${AUTH_SCHEME}`;
  const fields = new Map<string, string>();
  for (const match of header.slice(AUTH_SCHEME.length + 1).matchAll(/([a-z_]+)="([^"]*)"/g)) fields.set(match[1], match[2]);
  const mchid = fields.get('mchid');
  const nonce = fields.get('nonce_str');
  const timestamp = fields.get('timestamp');
  const serialNo = fields.get('serial_no');
  const signature = fields.get('signature');
  if (!mchid || !nonce || !timestamp || !serialNo || !signature) return 'Authorization lacks mchid, nonce_str, timestamp, serial_no or signature';
  if (mchid !== merchant.mchid) return 'mchid is not this merchant';
  if (serialNo.toUpperCase() !== merchant.serialNo) return 'serial_no is not the merchant certificate serial';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(request.now.getTime() - Number(timestamp) * 1000) > MAX_REQUEST_SKEW_MS) {
    return 'timestamp is more than 5 minutes off';
  }
  const message = `${request.method}\n${request.pathWithQuery}\n${timestamp}\n${nonce}\n${request.body}\n`;
  let valid = false;
  try {
    valid = createVerify('sha256').update(message, 'utf8').end().verify(merchant.publicKey, signature, 'base64');
  } catch {
    valid = false;
  }
  return valid ? undefined : 'signature does not verify with the merchant certificate';
}

/** The SPKI PEM of a key, as WeChat hands out its public key (pub_key.pem). */
export function publicKeyPem(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}
