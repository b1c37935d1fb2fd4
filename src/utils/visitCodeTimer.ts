// How long a visit code (就诊码) stays valid on this phone, whatever its clock says.

/** The server signs codes for 5 minutes (see docs/API.md, `patient.visitCode`). */
export const VISIT_CODE_LIFETIME_MS = 5 * 60 * 1000
/** A fresh code is fetched this long before the old one runs out, so the nurse never scans a dead one. */
export const VISIT_CODE_REFRESH_BEFORE_MS = 30 * 1000

/**
 * The moment, on this device's clock, at which a code received at `receivedAtMs` expires. The
 * server's `expiresAt` is trusted only while it is within one lifetime of now: a phone whose clock
 * runs slow would otherwise count down far too long, and one that runs fast would refresh forever.
 */
export function visitCodeDeadline(expiresAtIso: string, receivedAtMs: number): number {
  const left = Date.parse(expiresAtIso) - receivedAtMs
  const trusted = Number.isFinite(left) && left > 0 && left <= VISIT_CODE_LIFETIME_MS
  return receivedAtMs + (trusted ? left : VISIT_CODE_LIFETIME_MS)
}

/** `4:05`: minutes and seconds left, never negative. */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`
}
