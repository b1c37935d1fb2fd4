// Where a patient whose session was stopped can go instead (A2): the same doctor's next open session, and
// another doctor of the same department on the same day. Only places that can really be booked now.
import type { ObjectId } from 'mongodb';
import { catalogCache } from '../catalog/catalogCache';
import { schedulesOf, slotsOf } from '../catalog/collections';
import { PERIOD_LABELS, type SlotDoc } from '../catalog/model';
import { rulesForDepartment } from '../catalog/rules';
import type { Context } from '../context';
import { addDays, calendarDates, dateIn, formatClock, formatMonthDay, slotBookability } from '../domain/releaseRules';

export interface ClinicAlternative {
  kind: 'same_doctor' | 'same_department_day';
  slotId: string;
  doctorId: string;
  doctorName: string;
  date: string;
  /** "12月3日 上午 08:00-08:30" */
  when: string;
  /** "王医生 12月3日 上午 08:00-08:30 还有号" */
  sentence: string;
  /** The doctor's page with the slot chosen. */
  bookLink: string;
}

const LOOK_AHEAD_DAYS = 14;
const CANDIDATES = 200;

type Services = Pick<Context, 'db' | 'config' | 'now'>;

export async function stopAlternatives(services: Services, stopped: { doctorId: ObjectId; departmentId: ObjectId; date: string }): Promise<ClinicAlternative[]> {
  const department = (await catalogCache.departments(services.db)).find((entry) => entry._id.equals(stopped.departmentId));
  if (!department) return [];
  const rules = await rulesForDepartment(services, department);
  const today = dateIn(services.now, rules.timeZone);

  const firstBookable = async (slots: SlotDoc[]) => {
    if (!slots.length) return undefined;
    const open = new Set(
      (await schedulesOf(services.db).find({ _id: { $in: slots.map((slot) => slot.scheduleId) }, status: 'open' }, { projection: { _id: 1 } }).toArray()).map((schedule) => schedule._id.toHexString()),
    );
    return slots.find(
      (slot) =>
        open.has(slot.scheduleId.toHexString()) &&
        slotBookability({ slotStart: slot.start, slotDate: slot.date, rules: rules.release, timeZone: rules.timeZone, now: services.now }).bookable,
    );
  };
  const describe = async (slot: SlotDoc, kind: ClinicAlternative['kind']): Promise<ClinicAlternative> => {
    const doctor = await catalogCache.doctor(services.db, slot.doctorId);
    const doctorName = doctor?.name ?? '';
    const when = `${formatMonthDay(slot.date, rules.timeZone)} ${PERIOD_LABELS[slot.period]} ${formatClock(slot.start, rules.timeZone)}-${formatClock(slot.end, rules.timeZone)}`;
    const who = `${doctorName}医生`;
    return {
      kind,
      slotId: slot._id.toHexString(),
      doctorId: slot.doctorId.toHexString(),
      doctorName,
      date: slot.date,
      when,
      sentence: kind === 'same_doctor' ? `${who} ${when} 还有号` : `同科室${who} ${when} 还有号`,
      bookLink: `/pages/catalog/doctor/index?id=${slot.doctorId.toHexString()}&slotId=${slot._id.toHexString()}`,
    };
  };

  const from = stopped.date > today ? stopped.date : today;
  const sameDoctor = await firstBookable(
    await slotsOf(services.db)
      .find({ doctorId: stopped.doctorId, date: { $in: calendarDates(from, addDays(from, LOOK_AHEAD_DAYS)) }, remaining: { $gt: 0 } })
      .sort({ start: 1 })
      .limit(CANDIDATES)
      .toArray(),
  );
  const sameDay = await firstBookable(
    await slotsOf(services.db)
      .find({ departmentId: stopped.departmentId, date: stopped.date, doctorId: { $ne: stopped.doctorId }, remaining: { $gt: 0 } })
      .sort({ start: 1 })
      .limit(CANDIDATES)
      .toArray(),
  );
  const found: ClinicAlternative[] = [];
  if (sameDoctor) found.push(await describe(sameDoctor, 'same_doctor'));
  if (sameDay) found.push(await describe(sameDay, 'same_department_day'));
  return found;
}
