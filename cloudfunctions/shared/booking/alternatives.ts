// When a slot is full (B2, X2): the next place the patient could take instead, same doctor first,
// then anyone in the same department, so "full" always comes with somewhere to go.
import type { ObjectId } from 'mongodb';
import { catalogCache } from '../catalog/catalogCache';
import { schedulesOf, slotsOf } from '../catalog/collections';
import { PERIOD_LABELS, type SlotDoc } from '../catalog/model';
import { rulesForDepartment } from '../catalog/rules';
import type { AccountContext } from '../context';
import { addDays, calendarDates, dateIn, formatClock, formatMonthDay, slotBookability } from '../domain/releaseRules';

export interface Alternative {
  slotId: string;
  doctorId: string;
  doctorName: string;
  date: string;
  when: string;
  sameDoctor: boolean;
  /** "王医生 11月30日 上午 09:00-09:30 还有号" */
  sentence: string;
}

const LOOK_AHEAD_DAYS = 14;
const CANDIDATES = 200;

export async function nextAlternative(context: AccountContext, fullSlotId: ObjectId): Promise<Alternative | null> {
  const full = await slotsOf(context.db).findOne({ _id: fullSlotId });
  if (!full) return null;
  const department = (await catalogCache.departments(context.db)).find((entry) => entry._id.equals(full.departmentId));
  if (!department) return null;
  const rules = await rulesForDepartment(context, department);
  const today = dateIn(context.now, rules.timeZone);
  const range = { $in: calendarDates(today, addDays(today, LOOK_AHEAD_DAYS)) };

  const firstBookable = async (slots: SlotDoc[]) => {
    const open = new Set(
      (await schedulesOf(context.db).find({ _id: { $in: [...new Set(slots.map((slot) => slot.scheduleId))] }, status: 'open' }).toArray()).map((schedule) =>
        schedule._id.toHexString(),
      ),
    );
    // Nearest after the full one first (the patient chose that day), then earlier ones.
    const after = (slot: SlotDoc) => (slot.start >= full.start ? 0 : 1);
    return slots
      .sort((a, b) => after(a) - after(b) || a.start.getTime() - b.start.getTime())
      .find(
        (slot) =>
          !slot._id.equals(fullSlotId) &&
          open.has(slot.scheduleId.toHexString()) &&
          slotBookability({ slotStart: slot.start, slotDate: slot.date, rules: rules.release, timeZone: rules.timeZone, now: context.now }).bookable,
      );
  };

  const sameDoctor = await firstBookable(await slotsOf(context.db).find({ doctorId: full.doctorId, date: range, remaining: { $gt: 0 } }).sort({ start: 1 }).limit(CANDIDATES).toArray());
  const slot = sameDoctor ?? (await firstBookable(await slotsOf(context.db).find({ departmentId: full.departmentId, date: range, remaining: { $gt: 0 } }).sort({ start: 1 }).limit(CANDIDATES).toArray()));
  if (!slot) return null;
  const doctor = await catalogCache.doctor(context.db, slot.doctorId);
  const doctorName = doctor?.name ?? '';
  const when = `${formatMonthDay(slot.date, rules.timeZone)} ${PERIOD_LABELS[slot.period]} ${formatClock(slot.start, rules.timeZone)}-${formatClock(slot.end, rules.timeZone)}`;
  const who = `${Array.from(doctorName)[0] ?? ''}医生`;
  return {
    slotId: slot._id.toHexString(),
    doctorId: slot.doctorId.toHexString(),
    doctorName,
    date: slot.date,
    when,
    sameDoctor: Boolean(sameDoctor),
    sentence: sameDoctor ? `${who} ${when} 还有号` : `本科室 ${who} ${when} 还有号`,
  };
}
