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
  await slotsOf(db).createIndex({ scheduleId: 1 });
  // A doctor's schedule page reads {doctorId, date range}: the embedded planner uses an index only
  // for fields matched by equality, so doctorId gets one of its own (MongoDB would use either).
  await schedulesOf(db).createIndex({ doctorId: 1 });
  await slotsOf(db).createIndex({ doctorId: 1 });
  // "Full? Here is the next place in the department" (booking alternatives).
  await slotsOf(db).createIndex({ departmentId: 1 });
}
