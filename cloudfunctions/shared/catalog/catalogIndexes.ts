// Indexes behind the catalog's reads (C1-C3); safe to call on every start, creating an index twice is a no-op.
import type { Db } from 'mongodb';
import { departmentsOf, doctorsOf, schedulesOf, slotsOf, templatesOf } from './collections';

export async function ensureCatalogIndexes(db: Db): Promise<void> {
  await departmentsOf(db).createIndex({ hospitalId: 1, parentId: 1 });
  await doctorsOf(db).createIndex({ departmentId: 1 });
  await templatesOf(db).createIndex({ doctorId: 1 });
  // One template per doctor, weekday and period: two would generate two overlapping sessions.
  await templatesOf(db).createIndex({ doctorId: 1, weekday: 1, period: 1 }, { unique: true, name: 'doctor_weekday_period_unique' });
  // One session per doctor, date and period: two generator runs racing cannot both create it.
  await schedulesOf(db).createIndex({ doctorId: 1, date: 1, period: 1 }, { unique: true, name: 'doctor_date_period_unique' });
  // The generator walks a date range for all doctors at once.
  await schedulesOf(db).createIndex({ date: 1 });
  // One slot per session and first queue number: two generator runs for overlapping ranges cannot
  // double a session's slots, and two extra slots (加号) added at once cannot take the same numbers.
  // Not {scheduleId, start}: staff may add an extra slot at the time of a regular one. Also serves
  // the reads of a session's slots (a prefix).
  await slotsOf(db).createIndex({ scheduleId: 1, firstNumber: 1 }, { unique: true, name: 'schedule_number_unique' });
  // A doctor's schedule page (schedules: doctor_date_period_unique) and "next place with this doctor /
  // in this department" (alternatives) read {doctorId or departmentId, date in a window}: a few index
  // entries, not the doctor's whole history. They also serve doctorId or departmentId alone (a prefix).
  await slotsOf(db).createIndex({ doctorId: 1, date: 1 });
  await slotsOf(db).createIndex({ departmentId: 1, date: 1 });
  // The minute booking sweep reads held slots that end from two days ago on: only slots with a
  // holder are in this index, ordered by end, so past history is never walked.
  await slotsOf(db).createIndex({ end: 1 }, { partialFilterExpression: { 'holders.0': { $exists: true } }, name: 'held_by_end' });
}
