// Pure rules that stop one account from churning through cards to take places (P2, X1): when a card
// may be unbound, how many new cards an account may add in 30 days, how many people it may book for
// on one day. Plain data and an explicit `now` in, a verdict with a kind sentence out; no I/O.
import { formatClock, formatMonthDay } from './releaseRules';

export const NEW_CARD_WINDOW_MS = 30 * 86_400_000;

/** 12月3日 from a YYYY-MM-DD label (a calendar date: no zone applies). */
const monthDay = (date: string) => formatMonthDay(date, 'UTC');

/** What unbinding needs to know about one appointment of the card. */
export interface CardAppointment {
  /** holding, pending_payment, booked, checked_in are active; the rest are history. */
  active: boolean;
  /** When the visit ends: after it, the booking no longer needs anyone to see or cancel it. */
  end: Date;
  /** Made by the account that wants to unbind. */
  madeByCaller: boolean;
  /** The visit's date, hospital time, for the sentence. */
  date: string;
}

export type UnbindVerdict = { ok: true } | { ok: false; code: 'UNBIND_HAS_APPOINTMENTS'; message: string; blocking: number };

/**
 * An unbind is refused while it would strand a booking still to come:
 * - one the caller made, even if another family member still manages the card: the caller must be able
 *   to see and cancel what they booked, and the churn attack (bind, hold, unbind, bind the next) needs
 *   only one account, so "someone else can still see it" must not open the way;
 * - one anybody made, when no other account manages the card: nobody could see or cancel it any more.
 * Bookings made by another family member stay with them when the caller leaves, so those do not block.
 */
export function checkUnbind(input: { appointments: CardAppointment[]; otherManagers: number; now: Date }): UnbindVerdict {
  const blocking = input.appointments
    .filter((appointment) => appointment.active && appointment.end > input.now)
    .filter((appointment) => appointment.madeByCaller || input.otherManagers === 0)
    .sort((a, b) => a.end.getTime() - b.end.getTime());
  if (blocking.length === 0) return { ok: true };
  const first = blocking[0];
  const when = blocking.length === 1 ? `${monthDay(first.date)}的预约` : `${blocking.length} 个预约（最近的在${monthDay(first.date)}）`;
  return {
    ok: false,
    code: 'UNBIND_HAS_APPOINTMENTS',
    blocking: blocking.length,
    message: `这位就诊人还有${when}没有就诊。解除绑定后就看不到、也取消不了了，请先在“预约记录”里取消，或等就诊结束后再解除绑定。`,
  };
}

export type NewCardVerdict = { ok: true } | { ok: false; code: 'NEW_CARD_LIMIT'; message: string; nextAt: Date };

/**
 * At most `limit` new card links in any 30 days, counted from when earlier links were made (`recent`:
 * every link made by the account, removed or not). The next one is possible 30 days after the oldest
 * of the last `limit`.
 */
export function checkNewCardLink(input: { recent: Date[]; limit: number; now: Date; timeZone: string }): NewCardVerdict {
  const since = input.now.getTime() - NEW_CARD_WINDOW_MS;
  const inWindow = input.recent.filter((at) => at.getTime() > since).sort((a, b) => b.getTime() - a.getTime());
  if (inWindow.length < input.limit) return { ok: true };
  const nextAt = new Date(inWindow[input.limit - 1].getTime() + NEW_CARD_WINDOW_MS);
  return { ok: false, code: 'NEW_CARD_LIMIT', nextAt, message: newCardLimitMessage(input.limit, nextAt, input.timeZone) };
}

export function newCardLimitMessage(limit: number, nextAt: Date, timeZone: string): string {
  return (
    `为保护就诊人的信息安全，一个账号 30 天内最多添加 ${limit} 位新的就诊人，您已经添加满了。` +
    `请在${formatMonthDay(nextAt, timeZone)} ${formatClock(nextAt, timeZone)}以后再添加；如有急需，请到医院门诊服务台办理。`
  );
}

export type PeopleOnDayVerdict = { ok: true } | { ok: false; code: 'BOOKING_PEOPLE_LIMIT'; message: string; people: number };

/**
 * One account books for at most `limit` different people on one visit day. `booked` are the people the
 * account already has an active booking for that day; booking again for one of them is always fine
 * (the per-patient quotas judge that).
 */
export function checkPeopleOnDay(input: { booked: string[]; patientId: string; limit: number; date: string }): PeopleOnDayVerdict {
  const people = new Set(input.booked);
  if (people.has(input.patientId) || people.size < input.limit) return { ok: true };
  return {
    ok: false,
    code: 'BOOKING_PEOPLE_LIMIT',
    people: people.size + 1,
    message:
      `为防止号源被倒卖，一个账号同一天最多为 ${input.limit} 位就诊人预约，您${monthDay(input.date)}已经为 ${people.size} 位预约了。` +
      '如需为其他家人预约，请家人用自己的微信预约，或到医院窗口挂号。',
  };
}
