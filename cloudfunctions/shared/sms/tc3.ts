// Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256), shared by the SMS adapter and its local stand-in.
// @see https://cloud.tencent.com/document/api/382/52071 (SMS common parameters) and the signature v3 page it links.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** The product's service name, e.g. 'sms' (the first label of sms.tencentcloudapi.com). */
  service: string;
  /** The Host header as sent. */
  host: string;
  /** The Content-Type header as sent (signed exactly, lower-cased). */
  contentType: string;
  /** Unix seconds; also X-TC-Timestamp. */
  timestamp: number;
  /** The request body byte for byte. */
  payload: string;
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const hmac = (key: Buffer | string, text: string) => createHmac('sha256', key).update(text, 'utf8').digest();

/** The UTC date of the timestamp: a request signed at 00:30 in Beijing still belongs to yesterday (UTC). */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/** Step 1: POST, "/", no query, the two signed headers, the payload's hash. */
export function tc3CanonicalRequest(request: Pick<Tc3Request, 'host' | 'contentType' | 'payload'>): string {
  return ['POST', '/', '', `content-type:${request.contentType.trim().toLowerCase()}`, `host:${request.host.trim().toLowerCase()}`, '', 'content-type;host', sha256Hex(request.payload)].join('\n');
}

/** Step 2: algorithm, timestamp, credential scope and the canonical request's hash. */
export function tc3StringToSign(request: Omit<Tc3Request, 'secretId' | 'secretKey'>): string {
  const scope = `${tc3Date(request.timestamp)}/${request.service}/tc3_request`;
  return [TC3_ALGORITHM, String(request.timestamp), scope, sha256Hex(tc3CanonicalRequest(request))].join('\n');
}

/** Step 3: the key derived from the secret, date and service signs the string. */
export function tc3Signature(request: Omit<Tc3Request, 'secretId'>): string {
  const secretDate = hmac(`TC3${request.secretKey}`, tc3Date(request.timestamp));
  const secretService = hmac(secretDate, request.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  return createHmac('sha256', secretSigning).update(tc3StringToSign(request), 'utf8').digest('hex');
}

/** Step 4: the Authorization header. */
export function tc3Authorization(request: Tc3Request): string {
  const scope = `${tc3Date(request.timestamp)}/${request.service}/tc3_request`;
  return `${TC3_ALGORITHM} Credential=${request.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${tc3Signature(request)}`;
}

export interface ParsedTc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string;
  signature: string;
}

const AUTHORIZATION = /^TC3-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

export function parseTc3Authorization(header: string): ParsedTc3Authorization | null {
  const match = AUTHORIZATION.exec(header);
  if (!match) return null;
  const [, secretId, date, service, signedHeaders, signature] = match;
  return { secretId, date, service, signedHeaders, signature };
}

/** Constant-time comparison of two hex signatures. */
export function tc3SignaturesMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
