import type { AppointmentStatus } from '../../../../cloudfunctions/shared/domain/appointmentStatus';
import { checkCancellation, DEFAULT_CANCELLATION_RULES } from '../../../../cloudfunctions/shared/domain/cancellation';
import { checkSelfCheckIn, checkStaffCheckIn, DEFAULT_CHECK_IN_RULES, peopleAhead, queueSentence, type CheckInRules } from '../../../../cloudfunctions/shared/domain/checkIn';

const TZ = 'Asia/Shanghai';
// 2024-11-29 09:00 in Beijing.
const SLOT = new Date('2024-11-29T01:00:00Z');
const at = (beijing: string) => new Date(`${beijing}+08:00`);
const self = (status: AppointmentStatus, now: string, rules: CheckInRules = DEFAULT_CHECK_IN_RULES) => checkSelfCheckIn({ status, slotStart: SLOT, now: at(now), rules, timeZone: TZ });

describe('checkSelfCheckIn: default window 60 minutes before to 15 minutes after the start, at the minute', () => {
  it.each([
    ['the day before', 'booked', '2024-11-28T09:00:00', DEFAULT_CHECK_IN_RULES, 'CHECK_IN_TOO_EARLY'],
    ['the minute before it opens', 'booked', '2024-11-29T07:59:00', DEFAULT_CHECK_IN_RULES, 'CHECK_IN_TOO_EARLY'],
    ['the last millisecond before it opens', 'booked', '2024-11-29T07:59:59.999', DEFAULT_CHECK_IN_RULES, 'CHECK_IN_TOO_EARLY'],
    ['when it opens', 'booked', '2024-11-29T08:00:00', DEFAULT_CHECK_IN_RULES, null],
    ['the minute after it opens', 'booked', '2024-11-29T08:01:00', DEFAULT_CHECK_IN_RULES, null],
    ['at the start of the window', 'booked', '2024-11-29T09:00:00', DEFAULT_CHECK_IN_RULES, null],
    ['the minute before it closes', 'booked', '2024-11-29T09:14:00', DEFAULT_CHECK_IN_RULES, null],
    ['when it closes', 'booked', '2024-11-29T09:15:00', DEFAULT_CHECK_IN_RULES, 'CHECK_IN_TOO_LATE'],
    ['the minute after it closes', 'booked', '2024-11-29T09:16:00', DEFAULT_CHECK_IN_RULES, 'CHECK_IN_TOO_LATE'],
    ['30/0 window: the minute before the start', 'booked', '2024-11-29T08:59:00', { opensMinutesBefore: 30, closesMinutesAfter: 0 }, null],
    ['30/0 window: at the start', 'booked', '2024-11-29T09:00:00', { opensMinutesBefore: 30, closesMinutesAfter: 0 }, 'CHECK_IN_TOO_LATE'],
    ['30/0 window: 31 minutes before', 'booked', '2024-11-29T08:29:00', { opensMinutesBefore: 30, closesMinutesAfter: 0 }, 'CHECK_IN_TOO_EARLY'],
    ['not paid yet', 'pending_payment', '2024-11-29T08:30:00', DEFAULT_CHECK_IN_RULES, 'ILLEGAL_TRANSITION'],
    ['already checked in', 'checked_in', '2024-11-29T08:30:00', DEFAULT_CHECK_IN_RULES, 'ILLEGAL_TRANSITION'],
    ['cancelled', 'cancelled', '2024-11-29T08:30:00', DEFAULT_CHECK_IN_RULES, 'ILLEGAL_TRANSITION'],
    ['marked no-show', 'no_show', '2024-11-29T08:30:00', DEFAULT_CHECK_IN_RULES, 'ILLEGAL_TRANSITION'],
  ] as const)('%s', (_why, status, now, rules, code) => {
    const verdict = self(status, now, rules);
    if (code === null) expect(verdict).toEqual({ ok: true });
    else expect(verdict).toMatchObject({ ok: false, code });
  });

  it('says when to come back, or where to go instead', () => {
    expect(self('booked', '2024-11-29T07:00:00')).toMatchObject({ message: '还没到签到时间，请在 08:00 以后到医院签到（就诊时段开始前 60 分钟起可以签到）。' });
    expect(self('booked', '2024-11-29T09:30:00')).toMatchObject({ message: '已经过了自助签到时间（09:15 截止），请到门诊服务台请工作人员帮您签到。' });
    expect(self('pending_payment', '2024-11-29T08:30:00')).toMatchObject({ message: '这个预约还没有支付，请先完成支付再签到。' });
  });
});

describe('checkStaffCheckIn: any time on the visit day', () => {
  it.each([
    ['on the day', 'booked', '2024-11-29', '2024-11-29', null],
    ['the day before', 'booked', '2024-11-29', '2024-11-28', 'ILLEGAL_TRANSITION'],
    ['the day after', 'booked', '2024-11-29', '2024-11-30', 'ILLEGAL_TRANSITION'],
    ['checked in already', 'checked_in', '2024-11-29', '2024-11-29', 'ILLEGAL_TRANSITION'],
  ] as const)('%s', (_why, status, visitDate, today, code) => {
    const verdict = checkStaffCheckIn({ status, visitDate, today });
    if (code === null) expect(verdict).toEqual({ ok: true });
    else expect(verdict).toMatchObject({ ok: false, code });
  });
});

describe('queue position', () => {
  it.each([
    [5, [], 0],
    [5, [5], 0],
    [5, [1, 2, 3, 5, 7], 3],
    [1, [2, 3], 0],
    [9, [1, 2, 3, 4, 5, 6, 7, 8], 8],
  ])('number %i with %j checked in: %i ahead', (mine, present, ahead) => {
    expect(peopleAhead(mine, present)).toBe(ahead);
  });

  it('reads as a nurse would say it', () => {
    expect(queueSentence(3)).toBe('已签到，前面还有 3 人，请留意叫号。');
    expect(queueSentence(0)).toBe('已签到，下一位就是您，请留意叫号。');
  });

  it('refuses a cancel after check-in with a code and the reason', () => {
    expect(checkCancellation({ status: 'checked_in', slotStart: SLOT, now: at('2024-11-28T09:00:00'), rules: DEFAULT_CANCELLATION_RULES, timeZone: TZ })).toMatchObject({
      ok: false,
      code: 'ILLEGAL_TRANSITION',
      message: '这个预约已经签到，不能再退号；如需退费，请到医院窗口咨询。',
    });
  });
});

describe('cancelling after the hospital changed the doctor (freeOfCutoff)', () => {
  const cancel = (status: AppointmentStatus, now: string, freeOfCutoff: boolean) =>
    checkCancellation({ status, slotStart: SLOT, now: at(now), rules: DEFAULT_CANCELLATION_RULES, timeZone: TZ, freeOfCutoff });
  it.each([
    ['the minute after the cutoff, not moved', 'booked', '2024-11-29T08:01:00', false, 'CANCEL_CUTOFF_PASSED'],
    ['the minute after the cutoff, moved', 'booked', '2024-11-29T08:01:00', true, null],
    ['after the window started, moved', 'booked', '2024-11-29T09:10:00', true, null],
    ['checked in, moved: still refused', 'checked_in', '2024-11-29T08:30:00', true, 'ILLEGAL_TRANSITION'],
  ] as const)('%s', (_why, status, now, free, code) => {
    const verdict = cancel(status, now, free);
    if (code === null) expect(verdict).toMatchObject({ ok: true });
    else expect(verdict).toMatchObject({ ok: false, code });
  });
});
