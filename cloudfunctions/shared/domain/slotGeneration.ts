// Pure slot generation (C1, A1): a weekly template's session on one date, cut into numbered windows.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { ScheduleTemplateDoc } from '../catalog/model';
import { addDays, assertCalendarDate, zonedInstant } from './releaseRules';

dayjs.extend(utc);

/** C1: a window is at most half an hour, so the suggested arrival time stays meaningful. */
export const MAX_SLOT_MINUTES = 30;

export type SessionTemplate = Pick<ScheduleTemplateDoc, 'startTime' | 'endTime' | 'slotMinutes' | 'placesPerSlot' | 'period'>;

export interface PlannedSlot {
  start: Date;
  end: Date;
  capacity: number;
  /** Queue numbers run across the whole session: this window's patients get firstNumber..firstNumber+capacity-1. */
  firstNumber: number;
}

/**
 * Cuts the session [startTime, endTime) on `date` (hospital time) into windows of `slotMinutes`,
 * each with `placesPerSlot` places. When the session does not divide evenly the last window is
 * shorter but keeps its full places: staff set places per window, and silently dropping or
 * shrinking the tail would hide time they scheduled. An endTime earlier than startTime means the
 * next morning, allowed only for the evening (夜间) session; the windows still belong to `date`.
 * Refuses (RangeError) slotMinutes outside 1..30, places below 1, or an empty session: these are
 * validated at the admin edge, so reaching here means a programming error, not user input.
 */
export function generateSlots(input: { template: SessionTemplate; date: string; timeZone: string }): PlannedSlot[] {
  const { template, date, timeZone } = input;
  const { slotMinutes, placesPerSlot } = template;
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0 || slotMinutes > MAX_SLOT_MINUTES) {
    throw new RangeError(`slotMinutes must be a whole number from 1 to ${MAX_SLOT_MINUTES}, got ${slotMinutes}`);
  }
  if (!Number.isInteger(placesPerSlot) || placesPerSlot < 1) throw new RangeError(`placesPerSlot must be a whole number >= 1, got ${placesPerSlot}`);
  if (template.startTime === template.endTime) throw new RangeError(`The session ${template.startTime}-${template.endTime} is empty`);
  const crossesMidnight = template.endTime < template.startTime;
  if (crossesMidnight && template.period !== 'evening') {
    throw new RangeError(`Only an evening session may end after midnight, got ${template.period} ${template.startTime}-${template.endTime}`);
  }

  // Step on the UTC time line, not the wall clock, so a DST change inside a session (not in
  // Asia/Shanghai, but the zone is configuration) cannot create or swallow a window.
  const start = zonedInstant(date, template.startTime, timeZone).getTime();
  const end = zonedInstant(crossesMidnight ? addDays(date, 1) : date, template.endTime, timeZone).getTime();
  const step = slotMinutes * 60_000;
  const slots: PlannedSlot[] = [];
  for (let at = start, firstNumber = 1; at < end; at += step, firstNumber += placesPerSlot) {
    slots.push({ start: new Date(at), end: new Date(Math.min(at + step, end)), capacity: placesPerSlot, firstNumber });
  }
  return slots;
}

/** Every calendar date from `from` to `to`, both included; empty when `to` is before `from`. */
export function datesInRange(from: string, to: string): string[] {
  assertCalendarDate(from);
  assertCalendarDate(to);
  const dates: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) dates.push(date);
  return dates;
}

/** ISO weekday of a calendar date: 1 = Monday ... 7 = Sunday. */
export function isoWeekday(date: string): number {
  assertCalendarDate(date);
  const day = dayjs.utc(date);
  return day.day() === 0 ? 7 : day.day();
}

/**
 * The templates whose weekday is `date`'s. A calendar date has one weekday in every zone, so the
 * zone is not needed here; it is taken so callers hand over a hospital date and its zone together.
 */
export function templatesForDate<T extends Pick<ScheduleTemplateDoc, 'weekday'>>(templates: readonly T[], date: string, _timeZone: string): T[] {
  const weekday = isoWeekday(date);
  return templates.filter((template) => template.weekday === weekday);
}
