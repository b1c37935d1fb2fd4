// What patients see of the catalog: departments, doctors and a schedule grid with live bookability.
import type { DepartmentDoc, DoctorDoc, Period, ReleaseRules, ScheduleDoc, SlotDoc } from '../shared/catalog/model';
import { PERIOD_LABELS } from '../shared/catalog/model';
import { formatClock, formatMonthDay, formatOpensAt, slotBookability } from '../shared/domain/releaseRules';
import { isoWeekday } from '../shared/domain/slotGeneration';

export interface DepartmentView {
  id: string;
  parentId: string | null;
  name: string;
  intro: string;
  common: boolean;
  locationId: string;
  /** The department's own 就诊须知 ('' when it has none). */
  preparation: string;
}

export function toDepartmentView(department: DepartmentDoc): DepartmentView {
  return {
    id: department._id.toHexString(),
    parentId: department.parentId?.toHexString() ?? null,
    name: department.name,
    intro: department.intro,
    common: department.common,
    locationId: department.locationId,
    preparation: department.preparation ?? '',
  };
}

export interface DoctorView {
  id: string;
  departmentId: string;
  name: string;
  title: string;
  specialty: string;
  intro: string;
  feeClass: string;
  feeFen: number;
  /** The doctor's own 就诊须知 ('' when the department's apply). */
  preparation: string;
}

export function toDoctorView(doctor: DoctorDoc): DoctorView {
  return {
    id: doctor._id.toHexString(),
    departmentId: doctor.departmentId.toHexString(),
    name: doctor.name,
    title: doctor.title,
    specialty: doctor.specialty,
    intro: doctor.intro,
    feeClass: doctor.feeClass,
    feeFen: doctor.feeFen,
    preparation: doctor.preparation ?? '',
  };
}

export interface SlotView {
  id: string;
  start: string;
  end: string;
  /** HH:mm-HH:mm in the hospital's zone, ready to show. */
  window: string;
  capacity: number;
  remaining: number;
  bookable: boolean;
  /** Set while the slot is not released yet: the instant, and a label like "11月29日 07:00 放号". */
  opensAt: string | null;
  opensAtLabel: string | null;
  extra: boolean;
}

export interface PeriodView {
  scheduleId: string;
  period: Period;
  label: string;
  status: 'open' | 'stopped';
  locationId: string;
  feeFen: number;
  remaining: number;
  slots: SlotView[];
}

export interface DayView {
  date: string;
  /** 11月29日 周日 */
  label: string;
  periods: PeriodView[];
}

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export function dayLabel(date: string, timeZone: string): string {
  return `${formatMonthDay(date, timeZone)} ${WEEKDAYS[isoWeekday(date) % 7]}`;
}

/**
 * The grid at `now`, and the first instant at which it stops being true without any data changing
 * (a day is released, a slot stops taking bookings): until then it can be served as it is.
 */
export function buildScheduleDays(input: {
  schedules: ScheduleDoc[];
  slots: SlotDoc[];
  rules: ReleaseRules;
  timeZone: string;
  now: Date;
}): { days: DayView[]; validUntil: number } {
  let validUntil = Infinity;
  const { rules, timeZone, now } = input;
  const slotsBySchedule = new Map<string, SlotDoc[]>();
  for (const slot of input.slots) {
    const key = slot.scheduleId.toHexString();
    slotsBySchedule.set(key, [...(slotsBySchedule.get(key) ?? []), slot]);
  }
  const days = new Map<string, DayView>();
  const order: Period[] = ['morning', 'afternoon', 'evening'];
  for (const schedule of [...input.schedules].sort((a, b) => a.date.localeCompare(b.date) || order.indexOf(a.period) - order.indexOf(b.period))) {
    const slots = (slotsBySchedule.get(schedule._id.toHexString()) ?? []).map((slot) => {
      const { view, changesAt } = toSlotView(slot, schedule, rules, timeZone, now);
      validUntil = Math.min(validUntil, changesAt);
      return view;
    });
    const day = days.get(schedule.date) ?? { date: schedule.date, label: dayLabel(schedule.date, timeZone), periods: [] };
    day.periods.push({
      scheduleId: schedule._id.toHexString(),
      period: schedule.period,
      label: PERIOD_LABELS[schedule.period],
      status: schedule.status,
      locationId: schedule.locationId,
      feeFen: schedule.feeFen,
      remaining: slots.reduce((sum, slot) => sum + slot.remaining, 0),
      slots,
    });
    days.set(schedule.date, day);
  }
  return { days: [...days.values()], validUntil };
}

function toSlotView(slot: SlotDoc, schedule: ScheduleDoc, rules: ReleaseRules, timeZone: string, now: Date): { view: SlotView; changesAt: number } {
  const check = slotBookability({ slotStart: slot.start, slotDate: slot.date, rules, timeZone, now });
  const opensAt = !check.bookable && check.reason === 'not_released' ? check.opensAt : null;
  const format = (instant: Date) => formatClock(instant, timeZone);
  // When this slot's bookability changes by itself: it opens, or it closes. A closed slot stays closed.
  const changesAt = check.bookable ? check.closesAt.getTime() : (opensAt?.getTime() ?? Infinity);
  const view: SlotView = {
    id: slot._id.toHexString(),
    start: slot.start.toISOString(),
    end: slot.end.toISOString(),
    window: `${format(slot.start)}-${format(slot.end)}`,
    capacity: slot.capacity,
    remaining: slot.remaining,
    bookable: check.bookable && schedule.status === 'open' && slot.remaining > 0,
    opensAt: opensAt?.toISOString() ?? null,
    opensAtLabel: opensAt ? formatOpensAt(opensAt, timeZone) : null,
    extra: Boolean(slot.extra),
  };
  return { view, changesAt };
}
