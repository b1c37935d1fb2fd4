// Turns weekly templates into dated schedules and slots. Idempotent and self-healing: re-running
// after a template change rebuilds the sessions nobody has booked yet, keeps booked ones as they
// are (and reports them), and completes a run that a crash interrupted.
import { MongoBulkWriteError, MongoServerError, ObjectId, type Db } from 'mongodb';
import { datesInRange, generateSlots, templatesForDate } from '../domain/slotGeneration';
import { doctorsOf, schedulesOf, slotsOf, templatesOf } from './collections';
import type { DoctorDoc, ScheduleDoc, ScheduleTemplateDoc, SlotDoc } from './model';
import { scheduleCache } from './scheduleCache';

export interface GenerationReport {
  created: number;
  rebuilt: number;
  unchanged: number;
  removed: number;
  /** Sessions whose template changed but which already have bookings: left as they were. */
  keptWithBookings: { doctorId: string; date: string; period: string }[];
}

export async function generateSchedules(
  db: Db,
  options: { from: string; to: string; timeZone: string; now: Date; doctorId?: ObjectId },
): Promise<GenerationReport> {
  const report: GenerationReport = { created: 0, rebuilt: 0, unchanged: 0, removed: 0, keptWithBookings: [] };
  const byDoctor = options.doctorId ? { doctorId: options.doctorId } : {};
  const templates = await templatesOf(db).find(byDoctor).toArray();
  const doctors = new Map((await doctorsOf(db).find(options.doctorId ? { _id: options.doctorId } : {}).toArray()).map((doctor) => [doctor._id.toHexString(), doctor]));
  const touched = new Set<string>();

  for (const date of datesInRange(options.from, options.to)) {
    const existing = await schedulesOf(db).find({ date, ...byDoctor }).toArray();
    const wanted = templatesForDate(templates, date, options.timeZone).filter((template) => doctors.get(template.doctorId.toHexString())?.active);
    const wantedKeys = new Set(wanted.map((template) => sessionKey(template.doctorId, template.period)));

    for (const template of wanted) {
      const doctor = doctors.get(template.doctorId.toHexString())!;
      const schedule = existing.find((entry) => sessionKey(entry.doctorId, entry.period) === sessionKey(template.doctorId, template.period));
      const outcome = await syncSession(db, { template, doctor, date, schedule, ...options });
      if (outcome === 'kept') report.keptWithBookings.push({ doctorId: doctor._id.toHexString(), date, period: template.period });
      else report[outcome] += 1;
      if (outcome !== 'unchanged') touched.add(doctor._id.toHexString());
    }
    for (const schedule of existing) {
      if (wantedKeys.has(sessionKey(schedule.doctorId, schedule.period)) || schedule.templateId === null) continue;
      const slots = await slotsOf(db).find({ scheduleId: schedule._id }).toArray();
      if (hasBookings(slots)) {
        report.keptWithBookings.push({ doctorId: schedule.doctorId.toHexString(), date, period: schedule.period });
        continue;
      }
      await slotsOf(db).deleteMany({ scheduleId: schedule._id });
      await schedulesOf(db).deleteOne({ _id: schedule._id });
      report.removed += 1;
      touched.add(schedule.doctorId.toHexString());
    }
  }
  for (const doctorId of touched) scheduleCache.invalidateDoctor(new ObjectId(doctorId));
  return report;
}

/** The numbers firstNumber .. firstNumber + capacity - 1 of one window. */
export const queueNumbers = (firstNumber: number, capacity: number) => Array.from({ length: capacity }, (_, index) => firstNumber + index);

const sessionKey = (doctorId: ObjectId, period: string) => `${doctorId.toHexString()}|${period}`;
const hasBookings = (slots: SlotDoc[]) => slots.some((slot) => slot.remaining < slot.capacity);

async function syncSession(
  db: Db,
  input: { template: ScheduleTemplateDoc; doctor: DoctorDoc; date: string; schedule?: ScheduleDoc; timeZone: string; now: Date },
): Promise<'created' | 'rebuilt' | 'unchanged' | 'kept'> {
  const { template, doctor, date, timeZone, now } = input;
  const planned = generateSlots({ template, date, timeZone });
  if (input.schedule?.status === 'stopped') return 'unchanged';

  let schedule = input.schedule;
  if (!schedule) {
    schedule = {
      _id: new ObjectId(),
      doctorId: doctor._id,
      departmentId: doctor.departmentId,
      date,
      period: template.period,
      status: 'open',
      locationId: template.locationId,
      feeFen: doctor.feeFen,
      templateId: template._id,
      generatedAt: now,
    };
    try {
      await schedulesOf(db).insertOne(schedule);
    } catch (error) {
      // Another run (an overlapping range, another instance) created the session first: sync that one.
      if (!refusedAsDuplicate(error, 'doctor_date_period_unique')) throw error;
      const winner = await schedulesOf(db).findOne({ doctorId: doctor._id, date, period: template.period });
      if (!winner) throw error;
      if (winner.status === 'stopped') return 'unchanged';
      schedule = winner;
    }
  }
  const current = await slotsOf(db).find({ scheduleId: schedule._id }).sort({ start: 1 }).toArray();
  const regular = current.filter((slot) => !slot.extra);
  const same =
    schedule.locationId === template.locationId &&
    schedule.feeFen === doctor.feeFen &&
    regular.length === planned.length &&
    regular.every((slot, index) => slot.start.getTime() === planned[index].start.getTime() && slot.end.getTime() === planned[index].end.getTime() && slot.capacity === planned[index].capacity);
  if (same) return input.schedule ? 'unchanged' : 'created';
  if (hasBookings(current)) return 'kept';

  // Only places nobody holds: a hold that lands between the check above and here keeps its slot.
  await slotsOf(db).deleteMany({ scheduleId: schedule._id, extra: { $exists: false }, holders: { $size: 0 } });
  if (planned.length) {
    const scheduleId = schedule._id;
    // Unordered: slots another run inserted meanwhile are refused one by one (schedule_number_unique) and the rest go in.
    await slotsOf(db).insertMany(
      planned.map((slot) => ({
        _id: new ObjectId(),
        scheduleId,
        doctorId: doctor._id,
        departmentId: doctor.departmentId,
        date,
        period: template.period,
        start: slot.start,
        end: slot.end,
        firstNumber: slot.firstNumber,
        capacity: slot.capacity,
        remaining: slot.capacity,
        holders: [],
        freeNumbers: queueNumbers(slot.firstNumber, slot.capacity),
      })),
      { ordered: false },
    ).catch((error: unknown) => {
      if (!refusedAsDuplicate(error, 'schedule_number_unique')) throw error;
    });
  }
  await schedulesOf(db).updateOne(
    { _id: schedule._id },
    { $set: { locationId: template.locationId, feeFen: doctor.feeFen, templateId: template._id, generatedAt: now } },
  );
  return input.schedule ? 'rebuilt' : 'created';
}

/** A write refused only because another writer already wrote the same keys of unique index `index` (every error is one). */
export function refusedAsDuplicate(error: unknown, index: string): boolean {
  if (!(error instanceof MongoServerError) || error.code !== 11000) return false;
  if (!(error instanceof MongoBulkWriteError)) return error.message.includes(index);
  const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
  return writeErrors.every((entry) => entry.code === 11000 && entry.errmsg?.includes(index));
}
