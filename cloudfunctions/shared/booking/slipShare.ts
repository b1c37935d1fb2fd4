// Share links for a slip (就诊凭条): a signed token naming one appointment, so the family member who takes
// the patient can open a read-only slip. Pure: the key and the clock are parameters.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A shared slip stays readable this long after the visit window ends (a late doctor, a long queue). */
export const SHARE_GRACE_MS = 60 * 60_000;
const FORMAT = /^YS1\.([0-9a-f]{24})\.(\d{10})\.([A-Za-z0-9_-]{22})$/;

function signature(key: Buffer, appointmentId: string, expiresAt: number): string {
  // Domain-separated from visit codes signed with the same key.
  return createHmac('sha256', key).update(`slip-share|v1|${appointmentId}|${expiresAt}`).digest('base64url').slice(0, 22);
}

/** Valid until the visit window's end plus the grace. */
export function signSlipShare(key: Buffer, appointmentId: string, windowEnd: Date): { token: string; expiresAt: Date } {
  const expiresAt = Math.floor((windowEnd.getTime() + SHARE_GRACE_MS) / 1000);
  return { token: `YS1.${appointmentId}.${expiresAt}.${signature(key, appointmentId, expiresAt)}`, expiresAt: new Date(expiresAt * 1000) };
}

export type SlipShareCheck = { ok: true; appointmentId: string; expiresAt: Date } | { ok: false; reason: 'invalid' | 'expired' };

export function verifySlipShare(key: Buffer, token: string, now: Date): SlipShareCheck {
  const match = FORMAT.exec(token.trim());
  if (!match) return { ok: false, reason: 'invalid' };
  const [, appointmentId, expiresText, given] = match;
  const expiresAt = Number(expiresText);
  if (!timingSafeEqual(Buffer.from(signature(key, appointmentId, expiresAt)), Buffer.from(given))) return { ok: false, reason: 'invalid' };
  if (now.getTime() >= expiresAt * 1000) return { ok: false, reason: 'expired' };
  return { ok: true, appointmentId, expiresAt: new Date(expiresAt * 1000) };
}
