// Pure rules for one-time phone codes (SMS): how long a code lives, how often one may be sent and
// how many guesses it takes. Plain data and an explicit `now`; no I/O.

export const PHONE_CODE_RULES = {
  /** Digits in a code. */
  length: 6,
  /** A code is good for 5 minutes. */
  ttlMs: 5 * 60_000,
  /** Wrong guesses allowed on one code before it is spent. */
  maxTries: 5,
  /** Codes sent to one phone in any 24 hours. */
  maxPerDay: 5,
  dayMs: 24 * 60 * 60_000,
  /** The least time between two codes to one phone. */
  resendGapMs: 60_000,
} as const;

export type PhoneCodeRules = typeof PHONE_CODE_RULES;

export type SendDecision =
  | { ok: true }
  /** `waitSeconds`: when the next code may go out. */
  | { ok: false; reason: 'too_soon' | 'daily_limit'; waitSeconds: number };

/** The sends that still count against a phone's daily allowance (the last 24 hours), oldest first. */
export function recentSends(sentAt: readonly Date[], now: Date, rules: PhoneCodeRules = PHONE_CODE_RULES): Date[] {
  return sentAt.filter((at) => now.getTime() - at.getTime() < rules.dayMs).sort((a, b) => a.getTime() - b.getTime());
}

/** May another code go to this phone now, given when the earlier ones were sent? */
export function decideSend(sentAt: readonly Date[], now: Date, rules: PhoneCodeRules = PHONE_CODE_RULES): SendDecision {
  const recent = recentSends(sentAt, now, rules);
  const last = recent[recent.length - 1];
  if (last && now.getTime() - last.getTime() < rules.resendGapMs) {
    return { ok: false, reason: 'too_soon', waitSeconds: Math.ceil((last.getTime() + rules.resendGapMs - now.getTime()) / 1000) };
  }
  if (recent.length >= rules.maxPerDay) {
    return { ok: false, reason: 'daily_limit', waitSeconds: Math.ceil((recent[0].getTime() + rules.dayMs - now.getTime()) / 1000) };
  }
  return { ok: true };
}

export interface IssuedCode {
  expiresAt: Date;
  /** Guesses made so far (right or wrong). */
  tries: number;
  usedAt?: Date;
}

export type CodeState = 'usable' | 'used' | 'expired' | 'locked';

/** Whether a code may still be checked at all; the comparison itself is the caller's (keyed hash). */
export function codeState(code: IssuedCode, now: Date, rules: PhoneCodeRules = PHONE_CODE_RULES): CodeState {
  if (code.usedAt) return 'used';
  if (code.tries >= rules.maxTries) return 'locked';
  if (now.getTime() >= code.expiresAt.getTime()) return 'expired';
  return 'usable';
}

/** Guesses left after one more wrong try. */
export function triesLeftAfterMiss(code: IssuedCode, rules: PhoneCodeRules = PHONE_CODE_RULES): number {
  return Math.max(0, rules.maxTries - (code.tries + 1));
}

/** What a person typed, forgiving spaces; null unless it is exactly six digits. */
export function normalisePhoneCode(raw: string, rules: PhoneCodeRules = PHONE_CODE_RULES): string | null {
  const code = raw.normalize('NFKC').replace(/\s/g, '');
  return new RegExp(`^\\d{${rules.length}}$`).test(code) ? code : null;
}
