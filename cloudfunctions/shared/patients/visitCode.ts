// Visit codes (就诊码): short-lived signed tokens a patient shows as a QR code and staff scan.
// Pure: the key and the clock are parameters, so expiry boundaries are table-tested.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const VISIT_CODE_TTL_SECONDS = 5 * 60;
const FORMAT = /^YY1\.([0-9a-f]{24})\.(\d{10})\.([A-Za-z0-9_-]{22})$/;

function signature(key: Buffer, patientId: string, expiresAt: number): string {
  return createHmac('sha256', key).update(`visit-code|v1|${patientId}|${expiresAt}`).digest('base64url').slice(0, 22);
}

export function signVisitCode(key: Buffer, patientId: string, now: Date): { code: string; expiresAt: Date } {
  const expiresAt = Math.floor(now.getTime() / 1000) + VISIT_CODE_TTL_SECONDS;
  return { code: `YY1.${patientId}.${expiresAt}.${signature(key, patientId, expiresAt)}`, expiresAt: new Date(expiresAt * 1000) };
}

export type VisitCodeCheck =
  | { ok: true; patientId: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' | 'expired' };

export function verifyVisitCode(key: Buffer, code: string, now: Date): VisitCodeCheck {
  const match = FORMAT.exec(code.trim());
  if (!match) return { ok: false, reason: 'invalid' };
  const [, patientId, expiresText, given] = match;
  const expiresAt = Number(expiresText);
  const expected = Buffer.from(signature(key, patientId, expiresAt));
  if (!timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: 'invalid' };
  // A forged expiry fails the signature above, so only a genuine code can be "expired".
  if (now.getTime() >= expiresAt * 1000) return { ok: false, reason: 'expired' };
  if (expiresAt * 1000 - now.getTime() > VISIT_CODE_TTL_SECONDS * 1000) return { ok: false, reason: 'invalid' };
  return { ok: true, patientId, expiresAt: new Date(expiresAt * 1000) };
}
