import {
  APPOINTMENT_EVENTS,
  APPOINTMENT_STATUSES,
  holdsPlace,
  isActive,
  isFinal,
  transition,
  type AppointmentEvent,
  type AppointmentStatus,
} from '../../../../cloudfunctions/shared/domain/appointmentStatus';

// Every (status, event) pair: the next status, or null for a refusal. 7 x 6 = 42 rows.
const TABLE: [AppointmentStatus, AppointmentEvent, AppointmentStatus | null][] = [
  ['pending_payment', 'pay', 'booked'],
  ['pending_payment', 'expire', 'expired'],
  ['pending_payment', 'cancel', 'cancelled'],
  ['pending_payment', 'checkIn', null],
  ['pending_payment', 'complete', null],
  ['pending_payment', 'markNoShow', null],

  ['booked', 'pay', null],
  ['booked', 'expire', null],
  ['booked', 'cancel', 'cancelled'],
  ['booked', 'checkIn', 'checked_in'],
  ['booked', 'complete', null],
  ['booked', 'markNoShow', 'no_show'],

  ['checked_in', 'pay', null],
  ['checked_in', 'expire', null],
  ['checked_in', 'cancel', null],
  ['checked_in', 'checkIn', null],
  ['checked_in', 'complete', 'completed'],
  ['checked_in', 'markNoShow', null],

  ['completed', 'pay', null],
  ['completed', 'expire', null],
  ['completed', 'cancel', null],
  ['completed', 'checkIn', null],
  ['completed', 'complete', null],
  ['completed', 'markNoShow', null],

  ['no_show', 'pay', null],
  ['no_show', 'expire', null],
  ['no_show', 'cancel', null],
  ['no_show', 'checkIn', null],
  ['no_show', 'complete', null],
  ['no_show', 'markNoShow', null],

  ['cancelled', 'pay', null],
  ['cancelled', 'expire', null],
  ['cancelled', 'cancel', null],
  ['cancelled', 'checkIn', null],
  ['cancelled', 'complete', null],
  ['cancelled', 'markNoShow', null],

  ['expired', 'pay', null],
  ['expired', 'expire', null],
  ['expired', 'cancel', null],
  ['expired', 'checkIn', null],
  ['expired', 'complete', null],
  ['expired', 'markNoShow', null],
];

describe('transition', () => {
  it('the table covers every (status, event) pair exactly once', () => {
    const pairs = new Set(TABLE.map(([status, event]) => `${status}:${event}`));
    expect(pairs.size).toBe(APPOINTMENT_STATUSES.length * APPOINTMENT_EVENTS.length);
    expect(TABLE).toHaveLength(42);
  });

  it.each(TABLE)('%s --%s--> %s', (status, event, next) => {
    const result = transition(status, event);
    if (next) {
      expect(result).toEqual({ ok: true, status: next });
    } else {
      expect(result).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
      // A refusal is a full Chinese sentence, never an English fallback or a raw status name.
      if (!result.ok) expect(result.message).toMatch(/^这[个位].+。$/);
      if (!result.ok) expect(result.message).not.toMatch(/[a-z_]{3,}/);
    }
  });

  it.each([
    ['cancelled', 'checkIn', '这个预约已经取消，不能再签到。'],
    ['checked_in', 'cancel', '这个预约已经签到，不能再退号；如需退费，请到医院窗口咨询。'],
    ['pending_payment', 'checkIn', '这个预约还没有支付，请先完成支付再签到。'],
    ['booked', 'pay', '这个预约已经支付过了，不用重复支付。'],
    ['expired', 'pay', '这个预约已经超过支付时间自动取消，不能再支付；如已扣款，费用会原路退回。请重新预约。'],
  ] as const)('%s + %s says: %s', (status, event, message) => {
    expect(transition(status, event)).toEqual({ ok: false, code: 'ILLEGAL_TRANSITION', message });
  });
});

describe('isActive, holdsPlace, isFinal', () => {
  it.each([
    // [status, active, holds a place, final]
    ['pending_payment', true, true, false],
    ['booked', true, true, false],
    ['checked_in', true, true, false],
    ['completed', false, true, true],
    ['no_show', false, true, true],
    ['cancelled', false, false, true],
    ['expired', false, false, true],
  ] as const)('%s: active %s, holds a place %s, final %s', (status, active, holds, final) => {
    expect(isActive(status)).toBe(active);
    expect(holdsPlace(status)).toBe(holds);
    expect(isFinal(status)).toBe(final);
  });

  it('a status that gives its place back is final (a place is never taken back)', () => {
    for (const status of APPOINTMENT_STATUSES) if (!holdsPlace(status)) expect(isFinal(status)).toBe(true);
  });
});
