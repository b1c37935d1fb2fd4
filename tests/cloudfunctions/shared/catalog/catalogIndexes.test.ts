/** The catalog's reads go through indexes that hold only what they ask for, not a doctor's whole history (embedded planner). */
import { ObjectId, type Db } from 'mongodb';
import { ensureCatalogIndexes } from '../../../../cloudfunctions/shared/catalog/catalogIndexes';
import { doctorWindow } from '../../../../cloudfunctions/shared/catalog/scheduleCache';
import { openEmbeddedStore, type EmbeddedCollection, type EmbeddedStore } from '../../../../cloudfunctions/shared/db/embedded';
import { addDays, calendarDates } from '../../../../cloudfunctions/shared/domain/releaseRules';

const TODAY = '2026-12-01';
const HISTORY_DAYS = 730;
const SLOTS_PER_SESSION = 4;
const doctor = new ObjectId();
const colleague = new ObjectId();
const department = new ObjectId();

let store: EmbeddedStore;
let slots: EmbeddedCollection;
let schedules: EmbeddedCollection;

beforeAll(async () => {
  store = await openEmbeddedStore({ dbName: 'catalog-indexes' });
  await ensureCatalogIndexes(store.db as unknown as Db);
  slots = store.db.collection('slots');
  schedules = store.db.collection('schedules');
  // Two doctors of one department, a morning session every day for two years back and two weeks ahead.
  for (const doctorId of [doctor, colleague]) {
    for (let day = -HISTORY_DAYS; day < 14; day++) {
      const date = addDays(TODAY, day);
      const scheduleId = new ObjectId();
      await schedules.insertOne({ _id: scheduleId, doctorId, departmentId: department, date, period: 'morning', status: 'open' });
      await slots.insertMany(
        Array.from({ length: SLOTS_PER_SESSION }, (_, i) => ({
          scheduleId,
          doctorId,
          departmentId: department,
          date,
          start: new Date(Date.parse(`${date}T00:00:00Z`) + i * 1_800_000),
          firstNumber: 1 + 2 * i,
          remaining: day < 0 ? 0 : 2,
          holders: [],
        })),
      );
    }
  }
});
afterAll(() => store.close());

it("a doctor's two-week schedule read examines the two weeks only", () => {
  const filter = doctorWindow(doctor, TODAY, addDays(TODAY, 13));
  expect(schedules.explain(filter)).toEqual({ index: 'doctor_date_period_unique', docsExamined: 14, nReturned: 14 });
  expect(slots.explain(filter)).toEqual({ index: 'doctorId_1_date_1', docsExamined: 14 * SLOTS_PER_SESSION, nReturned: 14 * SLOTS_PER_SESSION });
});

it('the alternatives for a full slot examine the look-ahead window of the doctor, then of the department', () => {
  const date = { $in: calendarDates(TODAY, addDays(TODAY, 14)) };
  expect(slots.explain({ doctorId: doctor, date, remaining: { $gt: 0 } })).toMatchObject({ index: 'doctorId_1_date_1', docsExamined: 14 * SLOTS_PER_SESSION });
  expect(slots.explain({ departmentId: department, date, remaining: { $gt: 0 } })).toMatchObject({ index: 'departmentId_1_date_1', docsExamined: 2 * 14 * SLOTS_PER_SESSION });
});

it("a session's slots are read through its unique numbering key", async () => {
  const session = (await schedules.findOne({ doctorId: doctor, date: TODAY }))!;
  expect(slots.explain({ scheduleId: session._id })).toEqual({ index: 'schedule_number_unique', docsExamined: SLOTS_PER_SESSION, nReturned: SLOTS_PER_SESSION });
});
