// Pure release-window rules (C2, B1): when a day's places open, when a slot stops taking bookings.
import type { ReleaseRules } from '../catalog/model';
import { wallClock, wallClockInstant } from './zoneTime';

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isCalendarDate(date: string): boolean {
  if (!DATE.test(date)) return false;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return Number(date.slice(8, 10)) <= daysInMonth;
}

/** Throws unless `date` is a real calendar date written 'YYYY-MM-DD' (2026-02-30 is refused, not rolled over). */
export function assertCalendarDate(date: string): void {
  if (!isCalendarDate(date)) throw new RangeError(`Expected a real date as YYYY-MM-DD, got "${date}"`);
}

/**
 * The instant at which wall-clock `time` ('HH:mm') occurs on calendar `date` ('YYYY-MM-DD') in
 * `timeZone`. Malformed input throws: it would otherwise give an Invalid Date that compares
 * false with everything and silently makes a slot look bookable or closed.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  assertCalendarDate(date);
  if (!TIME.test(time)) throw new RangeError(`Expected a time of day as HH:mm, got "${time}"`);
  return new Date(wallClockInstant(date, time, timeZone));
}

const shiftedDates = new Map<string, string>();
const MAX_SHIFTED = 20_000;

/**
 * Calendar arithmetic on a 'YYYY-MM-DD' label; done in UTC so no zone offset or DST can shift it. Every hold
 * asks for the same few shifts (release day, no-show window), so answers are remembered.
 */
export function addDays(date: string, days: number): string {
  const key = `${date}|${days}`;
  const memo = shiftedDates.get(key);
  if (memo !== undefined) return memo;
  assertCalendarDate(date);
  const shifted = new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  if (shiftedDates.size >= MAX_SHIFTED) shiftedDates.clear();
  shiftedDates.set(key, shifted);
  return shifted;
}

/**
 * Every calendar date from `from` to `to`, both included (none when `to` is before `from`). Reads
 * filter on these with $in, so an index on {doctorId, date} finds the window's entries directly.
 */
export function calendarDates(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** The calendar date of `instant` in the hospital's zone (not UTC: 07:00 Beijing is 23:00 UTC the day before). */
export function dateIn(instant: Date, timeZone: string): string {
  return wallClock(instant, timeZone).date;
}

/** A department's overrides win field by field; `undefined` means "inherit", null is a real value. */
export function mergeRules(hospital: ReleaseRules, department?: Partial<ReleaseRules>): ReleaseRules {
  const merged = { ...hospital };
  if (!department) return merged;
  for (const key of Object.keys(merged) as (keyof ReleaseRules)[]) {
    const value = department[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

/** When the places of calendar date `date` open: `releaseTime` on (date - daysAhead), hospital time. */
export function releaseInstant(date: string, rules: ReleaseRules, timeZone: string): Date {
  return zonedInstant(addDays(date, -rules.daysAhead), rules.releaseTime, timeZone);
}

export type SlotBookability =
  | { bookable: true; closesAt: Date }
  | { bookable: false; reason: 'not_released'; opensAt: Date }
  | { bookable: false; reason: 'closed' | 'same_day_closed' | 'past' };

/**
 * Whether a slot can be booked at `now`. Every boundary is a half-open interval [opens, closes):
 * bookable AT the release instant, closed AT the close instant, past AT the slot's start.
 * Checked in this order: past, not released, then whichever closing comes first (the slot's own
 * `closeMinutesBefore`, or the same-day cutoff on the slot's date; on a tie, 'closed').
 * `slotDate` is the session's date, so a night-session slot after midnight still belongs to the
 * evening it started on, and that evening's same-day cutoff applies to it.
 */
export function slotBookability(input: { slotStart: Date; slotDate: string; rules: ReleaseRules; timeZone: string; now: Date }): SlotBookability {
  const { slotStart, slotDate, rules, timeZone } = input;
  const now = input.now.getTime();
  if (now >= slotStart.getTime()) return { bookable: false, reason: 'past' };

  const opensAt = releaseInstant(slotDate, rules, timeZone);
  if (now < opensAt.getTime()) return { bookable: false, reason: 'not_released', opensAt };

  const slotCloses = slotStart.getTime() - rules.closeMinutesBefore * 60_000;
  const cutoff = rules.sameDayCutoff === null ? Infinity : zonedInstant(slotDate, rules.sameDayCutoff, timeZone).getTime();
  const closesAt = Math.min(slotCloses, cutoff);
  if (now < closesAt) return { bookable: true, closesAt: new Date(closesAt) };
  return { bookable: false, reason: slotCloses <= cutoff ? 'closed' : 'same_day_closed' };
}

/**
 * The dates a patient can book at `now`: from today (hospital time) to the furthest released day.
 * `first` is always today, even after the same-day cutoff: each slot is still judged by
 * `slotBookability`; this range only bounds which days are worth showing.
 */
export function bookableDates(now: Date, rules: ReleaseRules, timeZone: string): { first: string; last: string } {
  const today = dateIn(now, timeZone);
  const furthest = addDays(today, rules.daysAhead);
  const released = now.getTime() >= releaseInstant(furthest, rules, timeZone).getTime();
  return { first: today, last: released ? furthest : addDays(furthest, -1) };
}

/** 11月29日 (no leading zeros), in the hospital's zone. */
export function formatMonthDay(instantOrDate: Date | string, timeZone: string): string {
  const date = typeof instantOrDate === 'string' ? instantOrDate : dateIn(instantOrDate, timeZone);
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/** HH:mm of `instant` in the hospital's zone. */
export function formatClock(instant: Date, timeZone: string): string {
  return wallClock(instant, timeZone).time;
}

/** The schedule grid's label for a day not yet released: "11月22日 07:00 放号". */
export function formatOpensAt(opensAt: Date, timeZone: string): string {
  return `${formatMonthDay(opensAt, timeZone)} ${formatClock(opensAt, timeZone)} 放号`;
}
