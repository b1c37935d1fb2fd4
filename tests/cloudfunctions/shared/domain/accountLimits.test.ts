import { checkNewCardLink, checkPeopleOnDay, checkUnbind, type CardAppointment } from '../../../../cloudfunctions/shared/domain/accountLimits';

const TZ = 'Asia/Shanghai';
const at = (beijing: string) => new Date(`${beijing}+08:00`);
const NOW = at('2026-12-01T10:00:00');
const DAY = 86_400_000;

const visit = (overrides: Partial<CardAppointment> = {}): CardAppointment => ({
  active: true,
  end: at('2026-12-03T09:30:00'),
  madeByCaller: true,
  date: '2026-12-03',
  ...overrides,
});

describe('checkUnbind: a card leaves an account only when no booking still to come would be stranded', () => {
  it.each([
    // [why, appointments, other managers, expected blocking count (0 = allowed)]
    ['no appointments at all', [], 0, 0],
    ['only history: cancelled, expired, completed', [visit({ active: false }), visit({ active: false, end: at('2026-11-20T09:30:00') })], 0, 0],
    ['a booking of mine still to come', [visit()], 0, 1],
    ['a booking of mine, even though my family still manages the card', [visit()], 1, 1],
    ['a booking another family member made, and they still manage the card', [visit({ madeByCaller: false })], 1, 0],
    ['a booking someone else made, and nobody else manages the card', [visit({ madeByCaller: false })], 0, 1],
    ['a visit that ended a minute ago (never checked in) no longer blocks', [visit({ end: at('2026-12-01T09:59:00') })], 0, 0],
    ['a visit ending this very moment no longer blocks', [visit({ end: NOW })], 0, 0],
    ['a visit ending a millisecond from now still blocks', [visit({ end: new Date(NOW.getTime() + 1) })], 0, 1],
    ['two of mine and one of my family\'s', [visit(), visit({ date: '2026-12-02', end: at('2026-12-02T09:30:00') }), visit({ madeByCaller: false })], 2, 2],
  ] as const)('%s', (_why, appointments, otherManagers, blocking) => {
    const verdict = checkUnbind({ appointments: [...appointments], otherManagers, now: NOW });
    if (blocking === 0) expect(verdict).toEqual({ ok: true });
    else expect(verdict).toMatchObject({ ok: false, code: 'UNBIND_HAS_APPOINTMENTS', blocking });
  });

  it('names the day of a single booking and says what to do', () => {
    const verdict = checkUnbind({ appointments: [visit()], otherManagers: 0, now: NOW });
    expect(!verdict.ok && verdict.message).toBe('这位就诊人还有12月3日的预约没有就诊。解除绑定后就看不到、也取消不了了，请先在“预约记录”里取消，或等就诊结束后再解除绑定。');
  });

  it('counts several and names the nearest day', () => {
    const verdict = checkUnbind({ appointments: [visit(), visit({ date: '2026-12-02', end: at('2026-12-02T09:30:00') })], otherManagers: 0, now: NOW });
    expect(!verdict.ok && verdict.message).toMatch(/^这位就诊人还有2 个预约（最近的在12月2日）没有就诊。/);
  });
});

describe('checkNewCardLink: at most N new cards in any 30 days', () => {
  const daysAgo = (days: number, ms = 0) => new Date(NOW.getTime() - days * DAY - ms);
  it.each([
    // [why, links made at, limit, allowed?]
    ['none yet', [], 5, true],
    ['four in the window, limit 5', [1, 2, 3, 4].map((d) => daysAgo(d)), 5, true],
    ['five in the window', [0, 1, 2, 3, 29].map((d) => daysAgo(d)), 5, false],
    ['five, the oldest exactly 30 days ago: it has left the window', [0, 1, 2, 3, 30].map((d) => daysAgo(d)), 5, true],
    ['five, the oldest a millisecond less than 30 days ago', [daysAgo(0), daysAgo(1), daysAgo(2), daysAgo(3), new Date(NOW.getTime() - 30 * DAY + 1)], 5, false],
    ['ten old links do not count', Array.from({ length: 10 }, (_, i) => daysAgo(31 + i)), 5, true],
    ['limit 1, one yesterday', [daysAgo(1)], 1, false],
  ] as const)('%s', (_why, recent, limit, allowed) => {
    expect(checkNewCardLink({ recent: [...recent], limit, now: NOW, timeZone: TZ }).ok).toBe(allowed);
  });

  it('says when the next card can be added: 30 days after the oldest of the last five', () => {
    const recent = [at('2026-11-05T14:30:00'), at('2026-11-10T08:00:00'), at('2026-11-20T08:00:00'), at('2026-11-25T08:00:00'), at('2026-12-01T09:00:00')];
    const verdict = checkNewCardLink({ recent, limit: 5, now: NOW, timeZone: TZ });
    expect(verdict).toMatchObject({ ok: false, code: 'NEW_CARD_LIMIT', nextAt: at('2026-12-05T14:30:00') });
    expect(!verdict.ok && verdict.message).toBe(
      '为保护就诊人的信息安全，一个账号 30 天内最多添加 5 位新的就诊人，您已经添加满了。请在12月5日 14:30以后再添加；如有急需，请到医院门诊服务台办理。',
    );
  });
});

describe('checkPeopleOnDay: one account books for at most N different people a day', () => {
  it.each([
    // [why, already booked, patient, limit, allowed?]
    ['the first person', [], 'a', 3, true],
    ['the third person', ['a', 'b'], 'c', 3, true],
    ['the fourth person', ['a', 'b', 'c'], 'd', 3, false],
    ['one of the three again (the per-patient quotas judge that)', ['a', 'b', 'c'], 'b', 3, true],
    ['the same person twice in the list counts once', ['a', 'a', 'b'], 'c', 3, true],
    ['limit 1: a second person', ['a'], 'b', 1, false],
  ] as const)('%s', (_why, booked, patientId, limit, allowed) => {
    expect(checkPeopleOnDay({ booked: [...booked], patientId, limit, date: '2026-12-03' }).ok).toBe(allowed);
  });

  it('says why and what the family can do instead', () => {
    const verdict = checkPeopleOnDay({ booked: ['a', 'b', 'c'], patientId: 'd', limit: 3, date: '2026-12-03' });
    expect(verdict).toMatchObject({ ok: false, code: 'BOOKING_PEOPLE_LIMIT', people: 4 });
    expect(!verdict.ok && verdict.message).toBe('为防止号源被倒卖，一个账号同一天最多为 3 位就诊人预约，您12月3日已经为 3 位预约了。如需为其他家人预约，请家人用自己的微信预约，或到医院窗口挂号。');
  });
});
