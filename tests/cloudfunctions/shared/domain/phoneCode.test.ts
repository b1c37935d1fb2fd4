import { codeState, decideSend, normalisePhoneCode, PHONE_CODE_RULES, recentSends, triesLeftAfterMiss } from '../../../../cloudfunctions/shared/domain/phoneCode';

const NOW = new Date('2026-11-30T08:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('phone code rules', () => {
  it('has the published numbers: 6 digits, 5 minutes, 5 tries, 5 a day, 60 s apart', () => {
    expect(PHONE_CODE_RULES).toMatchObject({ length: 6, ttlMs: 5 * MINUTE, maxTries: 5, maxPerDay: 5, resendGapMs: 60 * SECOND });
  });

  it.each<[string, Date[], ReturnType<typeof decideSend>]>([
    ['the first code', [], { ok: true }],
    ['59 s after the last', [ago(59 * SECOND)], { ok: false, reason: 'too_soon', waitSeconds: 1 }],
    ['exactly 60 s after the last', [ago(60 * SECOND)], { ok: true }],
    ['just after one sent now', [NOW], { ok: false, reason: 'too_soon', waitSeconds: 60 }],
    ['the 5th within a day', [ago(5 * HOUR), ago(4 * HOUR), ago(3 * HOUR), ago(2 * HOUR)], { ok: true }],
    ['the 6th within a day', [ago(5 * HOUR), ago(4 * HOUR), ago(3 * HOUR), ago(2 * HOUR), ago(HOUR)], { ok: false, reason: 'daily_limit', waitSeconds: 19 * 3600 }],
    ['the 6th once the oldest is 24 h old', [ago(24 * HOUR), ago(4 * HOUR), ago(3 * HOUR), ago(2 * HOUR), ago(HOUR)], { ok: true }],
    ['the 6th one second before the oldest turns 24 h', [ago(24 * HOUR - SECOND), ago(4 * HOUR), ago(3 * HOUR), ago(2 * HOUR), ago(HOUR)], { ok: false, reason: 'daily_limit', waitSeconds: 1 }],
    ['too soon wins over the daily limit', [ago(5 * HOUR), ago(4 * HOUR), ago(3 * HOUR), ago(2 * HOUR), ago(10 * SECOND)], { ok: false, reason: 'too_soon', waitSeconds: 50 }],
    ['order of the history does not matter', [ago(10 * SECOND), ago(5 * HOUR)], { ok: false, reason: 'too_soon', waitSeconds: 50 }],
  ])('%s', (_label, sentAt, expected) => {
    expect(decideSend(sentAt, NOW)).toEqual(expected);
  });

  it('forgets sends older than a day and keeps the rest in order', () => {
    expect(recentSends([ago(HOUR), ago(25 * HOUR), ago(2 * HOUR)], NOW)).toEqual([ago(2 * HOUR), ago(HOUR)]);
  });

  it.each<[string, { expiresAt: Date; tries: number; usedAt?: Date }, ReturnType<typeof codeState>]>([
    ['fresh', { expiresAt: new Date(NOW.getTime() + 5 * MINUTE), tries: 0 }, 'usable'],
    ['one second before expiry', { expiresAt: new Date(NOW.getTime() + SECOND), tries: 4 }, 'usable'],
    ['at expiry', { expiresAt: NOW, tries: 0 }, 'expired'],
    ['after five tries', { expiresAt: new Date(NOW.getTime() + MINUTE), tries: 5 }, 'locked'],
    ['after use', { expiresAt: new Date(NOW.getTime() + MINUTE), tries: 1, usedAt: ago(SECOND) }, 'used'],
    ['used wins over expired', { expiresAt: ago(MINUTE), tries: 1, usedAt: ago(2 * MINUTE) }, 'used'],
  ])('a code that is %s', (_label, code, expected) => {
    expect(codeState(code, NOW)).toBe(expected);
  });

  it.each([
    [0, 4],
    [3, 1],
    [4, 0],
    [7, 0],
  ])('after %i tries a miss leaves %i', (tries, left) => {
    expect(triesLeftAfterMiss({ expiresAt: NOW, tries })).toBe(left);
  });

  it.each([
    ['042517', '042517'],
    [' 042 517 ', '042517'],
    ['０４２５１７', '042517'],
    ['42517', null],
    ['0425170', null],
    ['04251a', null],
    ['', null],
  ])('reads %j as %j', (raw, expected) => {
    expect(normalisePhoneCode(raw)).toBe(expected);
  });
});
