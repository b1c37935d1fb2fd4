// The HTTP transport handed to wechatpay-node-v3 (pay.createHttp): our origin, a timeout, Wechatpay-Serial, and every answer's signature checked.
/*
 * The library builds URLs on https://api.mch.weixin.qq.com and signs the path after it; this class sends them to the
 * configured origin instead (the local stand-in, or a corporate egress proxy that keeps paths as they are).
 *
 * Every answer must carry Wechatpay-Timestamp/-Nonce/-Signature/-Serial that verify with a key we trust, over the body
 * byte for byte, with a timestamp within 5 minutes, or the call fails as PayError 'unavailable' (bad_signature):
 *   - 2xx without a signature fails too; a 4xx/5xx without one is passed on (WeChat does not sign answers to requests
 *     it could not authenticate, e.g. 401 SIGN_ERROR) and marked `signed: false`.
 *   - GET /v3/certificates is checked against the certificates it carries, after decrypting them with the APIv3 key
 *     and the GCM tag checked (only WeChat and we hold that key); those certificates are then trusted.
 *   - An unknown serial asks `refreshCertificates` once (platform certificate mode only) and then fails; it never
 *     reaches the library's verifySign, whose GET /v3/certificates would be verified by verifySign again, forever.
 *   - The bill file (GET /v3/billdownload/file) is the one documented unsigned answer; downloadTradeBill checks its
 *     SHA1 against the signed hash_value instead.
 */
import { X509Certificate } from 'node:crypto';
import type { Logger } from '../log';
import { PayError, WECHAT_MAX_CLOCK_SKEW_MS } from './wechatPay';
import { WECHAT_PAY_ORIGIN } from './wechatPayConfig';
import { TrustedKeys, decryptResource, verifyWeChatSignature, type EncryptedResource } from './wechatPayCrypto';

/** What the library's calls resolve to through this transport: its Output plus the raw answer. */
export interface PayAnswer {
  status: number;
  /** The JSON body, when there is one (the library may replace it, e.g. with JSAPI pay parameters). */
  data?: unknown;
  /** The body as received. */
  raw: Buffer;
  text: string;
  /** Whether a WeChat signature was present and verified. */
  signed: boolean;
}

export interface WeChatPayHttpOptions {
  origin: string;
  timeoutMs: number;
  apiV3Key: string;
  trusted: TrustedKeys;
  /** Sent as Wechatpay-Serial on every request: the public key id, or the platform certificate serial. */
  wechatpaySerial: string;
  now: () => Date;
  fetch: typeof fetch;
  log: Logger;
  /** Platform certificate mode: fetch GET /v3/certificates (through this transport) and trust what verifies. */
  refreshCertificates?: () => Promise<void>;
}

const CERTIFICATES_PATH = '/v3/certificates';
const BILL_FILE_PATH = '/v3/billdownload/file';
const MAX_BODY_BYTES = 20 * 1024 * 1024; // a day's trade bill for a large hospital stays well under this

export class WeChatPayHttp {
  constructor(private readonly options: WeChatPayHttpOptions) {}

  post(url: string, params: Record<string, unknown>, headers: Record<string, string>): Promise<PayAnswer> {
    // The library signed JSON.stringify(params) of this very object; serializing it again gives the same bytes.
    return this.send('POST', url, JSON.stringify(params), headers);
  }

  get(url: string, headers: Record<string, string>): Promise<PayAnswer> {
    return this.send('GET', url, undefined, headers);
  }

  upload(): Promise<PayAnswer> {
    return Promise.reject(new PayError('unavailable', 'uploads are not supported by this transport', { reason: 'unexpected_status' }));
  }

  private async send(method: 'GET' | 'POST', libraryUrl: string, body: string | undefined, libraryHeaders: Record<string, string>): Promise<PayAnswer> {
    const url = this.target(libraryUrl);
    const path = url.pathname;
    const headers: Record<string, string> = { 'Wechatpay-Serial': this.options.wechatpaySerial };
    for (const [name, value] of Object.entries(libraryHeaders)) {
      // fetch negotiates and decodes compression itself; the signature is over the decoded body.
      if (name.toLowerCase() !== 'accept-encoding') headers[name] = value;
    }
    if (body !== undefined) headers['Content-Type'] = 'application/json';

    const started = Date.now();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs);
    let response: Response;
    let raw: Buffer;
    try {
      response = await this.options.fetch(url, { method, headers, body, signal: controller.signal, redirect: 'error' });
      raw = await readLimited(response); // still under the timeout: an answer that stalls mid-body is just as slow
    } catch (error) {
      const timedOut = controller.signal.aborted;
      this.options.log.warn('wechat pay request failed', { method, path, reason: timedOut ? 'timeout' : 'network', durationMs: Date.now() - started });
      throw timedOut
        ? new PayError('unavailable', `WeChat Pay did not answer ${method} ${path} within ${this.options.timeoutMs} ms`, { reason: 'timeout', cause: error })
        : new PayError('unavailable', `WeChat Pay could not be reached for ${method} ${path}`, { reason: 'network', cause: error });
    } finally {
      clearTimeout(timer);
    }
    const status = response.status;
    this.options.log.debug('wechat pay request', { method, path, status, durationMs: Date.now() - started });
    const text = raw.toString('utf8');
    if (path === BILL_FILE_PATH) return { status, raw, text, signed: false };

    const signed = await this.verify(path, status, response.headers, text);
    return { status, data: parseJson(text), raw, text, signed };
  }

  /** Only WeChat's own origin (rewritten to ours) or ours: a signed request never goes to a host from a response. */
  private target(libraryUrl: string): URL {
    const { origin } = this.options;
    if (libraryUrl.startsWith(WECHAT_PAY_ORIGIN + '/')) return new URL(origin + libraryUrl.slice(WECHAT_PAY_ORIGIN.length));
    if (libraryUrl.startsWith(origin + '/')) return new URL(libraryUrl);
    throw new PayError('unavailable', 'refusing to send a signed request outside the WeChat Pay origin', { reason: 'unexpected_status' });
  }

  /** True when signed and verified; throws when a signature is required or present but wrong. */
  private async verify(path: string, status: number, headers: Headers, body: string): Promise<boolean> {
    const timestamp = headers.get('wechatpay-timestamp');
    const nonce = headers.get('wechatpay-nonce');
    const signature = headers.get('wechatpay-signature');
    const serial = headers.get('wechatpay-serial');
    const ok = status >= 200 && status < 300;
    if (!timestamp || !nonce || !signature || !serial) {
      if (!ok) return false;
      throw this.badSignature(path, status, 'the answer is not signed');
    }
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(this.options.now().getTime() - Number(timestamp) * 1000) > WECHAT_MAX_CLOCK_SKEW_MS) {
      throw this.badSignature(path, status, 'the answer is more than 5 minutes off our clock');
    }
    const message = { timestamp, nonce, body, signature };
    if (path === CERTIFICATES_PATH && ok) {
      this.verifyCertificates(status, serial, message);
      return true;
    }
    let key = this.options.trusted.get(serial, this.options.now());
    if (!key && this.options.refreshCertificates && path !== CERTIFICATES_PATH) {
      await this.options.refreshCertificates().catch((error: unknown) => {
        this.options.log.warn('wechat pay certificates could not be refreshed', { reason: error instanceof PayError ? error.reason : 'error' });
      });
      key = this.options.trusted.get(serial, this.options.now());
    }
    if (!key) throw this.badSignature(path, status, `the answer names a key we do not trust (${serial})`);
    if (!verifyWeChatSignature(key, message)) throw this.badSignature(path, status, 'the answer signature does not verify');
    return true;
  }

  private verifyCertificates(status: number, serial: string, message: { timestamp: string; nonce: string; body: string; signature: string }): void {
    const now = this.options.now();
    const fresh: X509Certificate[] = [];
    try {
      const data = (JSON.parse(message.body) as { data: { encrypt_certificate: EncryptedResource }[] }).data;
      for (const item of data) {
        const certificate = new X509Certificate(decryptResource(item.encrypt_certificate, this.options.apiV3Key));
        if (new Date(certificate.validTo).getTime() >= now.getTime()) fresh.push(certificate);
      }
    } catch (error) {
      throw this.badSignature(CERTIFICATES_PATH, status, 'the certificates do not decrypt with WXPAY_APIV3_KEY', error);
    }
    const signer = fresh.find((certificate) => certificate.serialNumber.toUpperCase() === serial.toUpperCase());
    const key = signer?.publicKey ?? this.options.trusted.get(serial, now);
    if (!key || !verifyWeChatSignature(key, message)) throw this.badSignature(CERTIFICATES_PATH, status, 'the certificates answer signature does not verify');
    for (const certificate of fresh) this.options.trusted.addCertificate(certificate);
    this.options.log.info('wechat pay platform certificates refreshed', { serials: fresh.map((certificate) => certificate.serialNumber.toUpperCase()) });
  }

  private badSignature(path: string, status: number, why: string, cause?: unknown): PayError {
    this.options.log.error('wechat pay answer rejected', { path, status, why });
    return new PayError('unavailable', `WeChat Pay answer to ${path} rejected: ${why}`, { reason: 'bad_signature', status, cause });
  }
}

async function readLimited(response: Response): Promise<Buffer> {
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_BODY_BYTES) throw new Error('answer too large');
  const raw = Buffer.from(await response.arrayBuffer());
  if (raw.length > MAX_BODY_BYTES) throw new Error('answer too large');
  return raw;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
