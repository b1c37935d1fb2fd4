import type { AppointmentStatus } from '../../../../cloudfunctions/shared/domain/appointmentStatus';
import {
  cancelDeadline,
  checkCancellation,
  DEFAULT_CANCELLATION_RULES,
  explainCancellation,
  type CancellationRules,
} from '../../../../cloudfunctions/shared/domain/cancellation';

const TZ = 'Asia/Shanghai';
// 2024-11-29 09:00 in Beijing.
const SLOT = new Date('2024-11-29T01:00:00Z');
const at = (beijing: string) => new Date(`${beijing}+08:00`);

const check = (status: AppointmentStatus, now: Date, rules: CancellationRules = DEFAULT_CANCELLATION_RULES, slotStart = SLOT) =>
  checkCancellation({ status, slotStart, now, rules, timeZone: TZ });

describe('checkCancellation: the cutoff (default 60 minutes before the window), at the minute', () => {
  it.each([
    // [why, status, now (Beijing), rules, expected code or null]
    ['a week ahead', 'booked', '2024-11-22T10:00:00', DEFAULT_CANCELLATION_RULES, null],
    ['the minute before the deadline', 'booked', '2024-11-29T07:59:00', DEFAULT_CANCELLATION_RULES, null],
    ['the last millisecond before the deadline', 'booked', '2024-11-29T07:59:59.999', DEFAULT_CANCELLATION_RULES, null],
    ['at the deadline', 'booked', '2024-11-29T08:00:00', DEFAULT_CANCELLATION_RULES, 'CANCEL_CUTOFF_PASSED'],
    ['the minute after the deadline', 'booked', '2024-11-29T08:01:00', DEFAULT_CANCELLATION_RULES, 'CANCEL_CUTOFF_PASSED'],
    ['after the slot started', 'booked', '2024-11-29T09:10:00', DEFAULT_CANCELLATION_RULES, 'CANCEL_CUTOFF_PASSED'],
    ['cutoff 0: the minute before the window', 'booked', '2024-11-29T08:59:00', { cancelMinutesBefore: 0 }, null],
    ['cutoff 0: at the window start', 'booked', '2024-11-29T09:00:00', { cancelMinutesBefore: 0 }, 'CANCEL_CUTOFF_PASSED'],
    ['cutoff one day: the minute before', 'booked', '2024-11-28T08:59:00', { cancelMinutesBefore: 1440 }, null],
    ['cutoff one day: at it', 'booked', '2024-11-28T09:00:00', { cancelMinutesBefore: 1440 }, 'CANCEL_CUTOFF_PASSED'],
    // an unpaid hold can always be let go
    ['unpaid, long before', 'pending_payment', '2024-11-22T10:00:00', DEFAULT_CANCELLATION_RULES, null],
    ['unpaid, after the cutoff', 'pending_payment', '2024-11-29T08:30:00', DEFAULT_CANCELLATION_RULES, null],
    // never after check-in, whatever the time
    ['checked in, well before the cutoff', 'checked_in', '2024-11-29T07:00:00', DEFAULT_CANCELLATION_RULES, 'ILLEGAL_TRANSITION'],
    ['already cancelled', 'cancelled', '2024-11-22T10:00:00', DEFAULT_CANCELLATION_RULES, 'ILLEGAL_TRANSITION'],
    ['expired', 'expired', '2024-11-22T10:00:00', DEFAULT_CANCELLATION_RULES, 'ILLEGAL_TRANSITION'],
    ['completed', 'completed', '2024-11-29T10:00:00', DEFAULT_CANCELLATION_RULES, 'ILLEGAL_TRANSITION'],
    ['no-show', 'no_show', '2024-11-29T12:00:00', DEFAULT_CANCELLATION_RULES, 'ILLEGAL_TRANSITION'],
  ] as const)('%s', (_why, status, now, rules, code) => {
    const result = check(status, at(now), rules);
    if (code === null) expect(result).toEqual({ ok: true, status: 'cancelled' });
    else expect(result).toMatchObject({ ok: false, code });
  });
});

describe('checkCancellation: the sentences', () => {
  it('says until when cancelling was possible, in hospital time', () => {
    expect(check('booked', at('2024-11-29T08:00:00'))).toEqual({
      ok: false,
      code: 'CANCEL_CUTOFF_PASSED',
      message: '退号需在 11月29日 08:00 前办理，现在已经过了时间，请到医院窗口咨询。',
    });
  });

  it('a deadline before midnight is shown on the previous day (Beijing, not UTC)', () => {
    const slotStart = at('2024-11-29T00:30:00');
    const result = check('booked', at('2024-11-28T23:45:00'), DEFAULT_CANCELLATION_RULES, slotStart);
    expect(result).toMatchObject({ message: '退号需在 11月28日 23:30 前办理，现在已经过了时间，请到医院窗口咨询。' });
  });

  it('after check-in points to the window', () => {
    expect(check('checked_in', at('2024-11-29T07:00:00'))).toMatchObject({ message: expect.stringContaining('请到医院窗口咨询') });
  });
});

describe('cancelDeadline and explainCancellation', () => {
  it('the deadline is the window start minus the configured minutes', () => {
    expect(cancelDeadline(SLOT, { cancelMinutesBefore: 90 })).toEqual(at('2024-11-29T07:30:00'));
  });

  it.each([
    [60, '网上退号请在 11月29日 08:00 前办理（就诊时段开始前 1 小时），签到后不能退号；退号后号源会立即放给其他患者。'],
    [90, '网上退号请在 11月29日 07:30 前办理（就诊时段开始前 90 分钟），签到后不能退号；退号后号源会立即放给其他患者。'],
    [0, '网上退号请在 11月29日 09:00 前办理（就诊时段开始前），签到后不能退号；退号后号源会立即放给其他患者。'],
  ])('explains a %i-minute cutoff', (minutes, sentence) => {
    expect(explainCancellation(SLOT, { cancelMinutesBefore: minutes }, TZ)).toBe(sentence);
  });
});
