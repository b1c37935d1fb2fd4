// When a visit's reminders go out (pure, N2). The day-before reminder goes at `dayBeforeAt` (hospital time)
// the day before; a visit booked after that instant (for tomorrow, or for today) gets its reminder at the
// next minute instead, so nobody is left without one. A hospital may add a visit-day morning reminder at
// `visitDayAt`: then a visit booked late is left to that one while it is still to come, so one notice covers it.
import { addDays, dateIn, zonedInstant } from './releaseRules';

export interface ReminderTimes {
  /** HH:mm, hospital time, the day before the visit. */
  dayBeforeAt: string;
  /** HH:mm, hospital time, on the visit day; null = no visit-day reminder (the default). */
  visitDayAt: string | null;
}

export const DEFAULT_REMINDER_TIMES: ReminderTimes = { dayBeforeAt: '18:00', visitDayAt: null };

export function dayBeforeReminderAt(date: string, times: ReminderTimes, timeZone: string): Date {
  return zonedInstant(addDays(date, -1), times.dayBeforeAt, timeZone);
}

export function visitDayReminderAt(date: string, times: ReminderTimes, timeZone: string): Date | null {
  return times.visitDayAt ? zonedInstant(date, times.visitDayAt, timeZone) : null;
}

/**
 * Whether a booked visit that the day-before run may have missed is owed its reminder now: the day-before
 * instant has passed, the visit has not begun, and no visit-day reminder is still to come for it.
 */
export function lateReminderOwed(visit: { date: string; start: Date }, now: Date, times: ReminderTimes, timeZone: string): boolean {
  if (now < dayBeforeReminderAt(visit.date, times, timeZone) || now >= visit.start) return false;
  const morning = visitDayReminderAt(visit.date, times, timeZone);
  return !(morning && now < morning && morning < visit.start);
}

/** 今天 / 明天 / 12月3日, as the reminder says it at `now`. */
export function visitDayWord(date: string, now: Date, timeZone: string): string {
  const today = dateIn(now, timeZone);
  if (date === today) return '今天';
  if (date === addDays(today, 1)) return '明天';
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}
