// Check-in (签到, A3) as pure rules: when a patient may check themselves in, and where they stand in the
// doctor's queue. Times are instants; the window is configurable per hospital.
import type { ErrorCode } from '../errors';
import type { AppointmentStatus } from './appointmentStatus';
import { transition } from './appointmentStatus';
import { formatClock } from './releaseRules';

export interface CheckInRules {
  /** Self check-in opens this many minutes before the start of the patient's window. */
  opensMinutesBefore: number;
  /** ...and closes this many minutes after it (later, only at the counter). */
  closesMinutesAfter: number;
}

export const DEFAULT_CHECK_IN_RULES: CheckInRules = { opensMinutesBefore: 60, closesMinutesAfter: 15 };

export type CheckInVerdict =
  | { ok: true }
  | { ok: false; code: Extract<ErrorCode, 'ILLEGAL_TRANSITION' | 'CHECK_IN_TOO_EARLY' | 'CHECK_IN_TOO_LATE'>; message: string };

/** Self check-in: the status must allow it, and now must lie in [start - opens, start + closes). */
export function checkSelfCheckIn(input: { status: AppointmentStatus; slotStart: Date; now: Date; rules: CheckInRules; timeZone: string }): CheckInVerdict {
  const next = transition(input.status, 'checkIn');
  if (!next.ok) return next;
  const opens = new Date(input.slotStart.getTime() - input.rules.opensMinutesBefore * 60_000);
  const closes = new Date(input.slotStart.getTime() + input.rules.closesMinutesAfter * 60_000);
  if (input.now < opens) {
    return { ok: false, code: 'CHECK_IN_TOO_EARLY', message: `还没到签到时间，请在 ${formatClock(opens, input.timeZone)} 以后到医院签到（就诊时段开始前 ${input.rules.opensMinutesBefore} 分钟起可以签到）。` };
  }
  if (input.now >= closes) {
    return { ok: false, code: 'CHECK_IN_TOO_LATE', message: `已经过了自助签到时间（${formatClock(closes, input.timeZone)} 截止），请到门诊服务台请工作人员帮您签到。` };
  }
  return { ok: true };
}

/** Staff check-in at the counter: any time on the visit day, if the status allows it. */
export function checkStaffCheckIn(input: { status: AppointmentStatus; visitDate: string; today: string }): CheckInVerdict {
  const next = transition(input.status, 'checkIn');
  if (!next.ok) return next;
  if (input.visitDate !== input.today) return { ok: false, code: 'ILLEGAL_TRANSITION', message: '这个预约不是今天的，只能在就诊当天签到。' };
  return { ok: true };
}

/**
 * Who is ahead: checked-in patients of the same session with a smaller queue number (numbers are called in
 * order among those present). Zero when the patient is next.
 */
export function peopleAhead(myNumber: number, checkedInNumbers: readonly number[]): number {
  return checkedInNumbers.filter((number) => number < myNumber).length;
}

export function queueSentence(ahead: number): string {
  return ahead === 0 ? '已签到，下一位就是您，请留意叫号。' : `已签到，前面还有 ${ahead} 人，请留意叫号。`;
}
