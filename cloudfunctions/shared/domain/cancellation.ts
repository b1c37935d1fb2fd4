// Pure cancellation (退号) rule (B4): may this appointment be cancelled online at `now`? No I/O.
//
// How the booking function uses it:
//   const verdict = checkCancellation({ status, slotStart, now, rules, timeZone });
//   if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
//   // then move the appointment to verdict.status ('cancelled') and give the place back.
// The dialog before cancelling shows `explainCancellation(slotStart, rules, timeZone)`.
//
// A booked appointment can be cancelled until `cancelMinutesBefore` minutes before its window
// starts (half-open: allowed up to the minute before the deadline, refused AT it), never after
// check-in. An unpaid (pending_payment) appointment can always be cancelled: nothing was paid,
// and giving the place back early only helps the next patient.
import type { ErrorCode } from '../errors';
import { transition, type AppointmentStatus } from './appointmentStatus';
import { formatClock, formatMonthDay } from './releaseRules';

export interface CancellationRules {
  /** Online cancelling closes this many minutes before the slot's window starts. */
  cancelMinutesBefore: number;
}

/** One hour before the window: the clinic can still offer the place to the waitlist or same-day patients. */
export const DEFAULT_CANCELLATION_RULES: CancellationRules = { cancelMinutesBefore: 60 };

export interface CancellationInput {
  status: AppointmentStatus;
  /** Start of the appointment's slot window (UTC instant). */
  slotStart: Date;
  now: Date;
  rules: CancellationRules;
  /** The hospital's zone, for the deadline in the sentence. */
  timeZone: string;
  /** The hospital changed the appointment (a substitute doctor): cancelling is free of the cutoff, never of the status rules. */
  freeOfCutoff?: boolean;
}

export type CancellationResult =
  | { ok: true; status: 'cancelled' }
  | { ok: false; code: Extract<ErrorCode, 'ILLEGAL_TRANSITION' | 'CANCEL_CUTOFF_PASSED'>; message: string };

/** The first instant at which online cancelling is no longer possible. */
export function cancelDeadline(slotStart: Date, rules: CancellationRules): Date {
  return new Date(slotStart.getTime() - rules.cancelMinutesBefore * 60_000);
}

/** "11月29日 08:00" in the hospital's zone. */
export function formatDeadline(deadline: Date, timeZone: string): string {
  return `${formatMonthDay(deadline, timeZone)} ${formatClock(deadline, timeZone)}`;
}

export function checkCancellation(input: CancellationInput): CancellationResult {
  const { status, slotStart, now, rules, timeZone } = input;
  const next = transition(status, 'cancel');
  if (!next.ok) return next;
  if (status === 'pending_payment' || input.freeOfCutoff) return { ok: true, status: 'cancelled' };
  const deadline = cancelDeadline(slotStart, rules);
  if (now.getTime() < deadline.getTime()) return { ok: true, status: 'cancelled' };
  return {
    ok: false,
    code: 'CANCEL_CUTOFF_PASSED',
    message: `退号需在 ${formatDeadline(deadline, timeZone)} 前办理，现在已经过了时间，请到医院窗口咨询。`,
  };
}

/** The rule for the cancel dialog, with this appointment's own deadline. */
export function explainCancellation(slotStart: Date, rules: CancellationRules, timeZone: string): string {
  const deadline = formatDeadline(cancelDeadline(slotStart, rules), timeZone);
  return `网上退号请在 ${deadline} 前办理（${describeLead(rules.cancelMinutesBefore)}），签到后不能退号；退号后号源会立即放给其他患者。`;
}

function describeLead(minutes: number): string {
  if (minutes <= 0) return '就诊时段开始前';
  if (minutes % 60 === 0) return `就诊时段开始前 ${minutes / 60} 小时`;
  return `就诊时段开始前 ${minutes} 分钟`;
}
