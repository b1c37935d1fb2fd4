// Visit codes (就诊码): short-lived signed tokens a patient shows as a QR code and staff scan.
// Pure: the key and the clock are parameters, so expiry boundaries are table-tested.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const VISIT_CODE_TTL_SECONDS = 5 * 60;
/** Codes on a shared slip last through the visit window; the booking horizon bounds how far ahead that is. */
export const WINDOW_CODE_MAX_SECONDS = 31 * 24 * 60 * 60;
const FORMAT = /^(YY[12])\.([0-9a-f]{24})\.(\d{10})\.([A-Za-z0-9_-]{22})$/;

// YY1: the card holder's 5-minute code; YY2: the shared slip's code, valid until a given moment.
function signature(key: Buffer, patientId: string, expiresAt: number, kind = 'YY1'): string {
  const domain = kind === 'YY1' ? 'visit-code|v1' : 'visit-code|window|v1';
  return createHmac('sha256', key).update(`${domain}|${patientId}|${expiresAt}`).digest('base64url').slice(0, 22);
}

export function signVisitCode(key: Buffer, patientId: string, now: Date): { code: string; expiresAt: Date } {
  const expiresAt = Math.floor(now.getTime() / 1000) + VISIT_CODE_TTL_SECONDS;
  return { code: `YY1.${patientId}.${expiresAt}.${signature(key, patientId, expiresAt)}`, expiresAt: new Date(expiresAt * 1000) };
}

/** A code for a shared slip, valid until `until` (the end of the share), not renewed. */
export function signWindowVisitCode(key: Buffer, patientId: string, until: Date): { code: string; expiresAt: Date } {
  const expiresAt = Math.floor(until.getTime() / 1000);
  return { code: `YY2.${patientId}.${expiresAt}.${signature(key, patientId, expiresAt, 'YY2')}`, expiresAt: new Date(expiresAt * 1000) };
}

export type VisitCodeCheck =
  | { ok: true; patientId: string; expiresAt: Date }
  | { ok: false; reason: 'invalid' | 'expired' };

export function verifyVisitCode(key: Buffer, code: string, now: Date): VisitCodeCheck {
  const match = FORMAT.exec(code.trim());
  if (!match) return { ok: false, reason: 'invalid' };
  const [, kind, patientId, expiresText, given] = match;
  const expiresAt = Number(expiresText);
  const expected = Buffer.from(signature(key, patientId, expiresAt, kind));
  if (!timingSafeEqual(expected, Buffer.from(given))) return { ok: false, reason: 'invalid' };
  // A forged expiry fails the signature above, so only a genuine code can be "expired".
  if (now.getTime() >= expiresAt * 1000) return { ok: false, reason: 'expired' };
  const longest = kind === 'YY1' ? VISIT_CODE_TTL_SECONDS : WINDOW_CODE_MAX_SECONDS;
  if (expiresAt * 1000 - now.getTime() > longest * 1000) return { ok: false, reason: 'invalid' };
  return { ok: true, patientId, expiresAt: new Date(expiresAt * 1000) };
}
