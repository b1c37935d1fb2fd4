/** Sessions and their slots are made once, however many generator runs or extra-slot additions race. */
import { ObjectId } from 'mongodb';
import { schedulesOf, slotsOf } from '../../../../cloudfunctions/shared/catalog/collections';
import { insertExtraSlot, nextFirstNumber } from '../../../../cloudfunctions/shared/catalog/extraSlots';
import { generateSchedules } from '../../../../cloudfunctions/shared/catalog/generateSchedules';
import { catalogCache } from '../../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../../cloudfunctions/shared/catalog/scheduleCache';
import { main as userMain } from '../../../../cloudfunctions/user';
import { ADMIN, admin, createClinic, dayFromToday, seedHospital, ZONE } from '../../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../../support/runtime';

let runtime: TestRuntime;
beforeEach(async () => {
  scheduleCache.clear();
  catalogCache.invalidate();
  runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  await createClinic({ places: 2 });
});
afterEach(() => runtime.dispose());

/** Queue numbers of each session's slots, by date. */
async function numbersByDate(): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const schedule of await schedulesOf(runtime.db).find({}).sort({ date: 1 }).toArray()) {
    out[schedule.date] = (await slotsOf(runtime.db).find({ scheduleId: schedule._id }).sort({ firstNumber: 1 }).toArray()).map((slot) => slot.firstNumber);
  }
  return out;
}

const run = (from: number, to: number) => generateSchedules(runtime.db, { from: dayFromToday(from), to: dayFromToday(to), timeZone: ZONE, now: runtime.clock.now() });

// On the embedded store two runs started together step in lockstep, so both read the same state
// for the same date before either writes: each run's writes are made from a stale read.
it('two generator runs at once both finish and make each session and its slots once', async () => {
  await slotsOf(runtime.db).deleteMany({});
  await schedulesOf(runtime.db).deleteMany({});
  await Promise.all([run(0, 6), run(0, 9)]);
  const numbers = await numbersByDate();
  expect(Object.keys(numbers)).toHaveLength(10);
  for (const date of Object.keys(numbers)) expect(numbers[date]).toEqual([1, 3, 5, 7]);
});

it('two runs completing sessions a crashed run left without slots add the slots once', async () => {
  await slotsOf(runtime.db).deleteMany({});
  await Promise.all([run(0, 13), run(0, 13)]);
  const numbers = await numbersByDate();
  expect(Object.keys(numbers)).toHaveLength(14);
  for (const date of Object.keys(numbers)) expect(numbers[date]).toEqual([1, 3, 5, 7]);
});

it('an extra slot numbered from a read taken before another one was added loses, and numbering again puts it after', async () => {
  const schedule = (await schedulesOf(runtime.db).findOne({ date: dayFromToday(2) }))!;
  const stale = await nextFirstNumber(runtime.db, schedule._id);
  expect(stale).toBe(9);
  await admin({ action: 'addExtraSlot', scheduleId: schedule._id.toHexString(), startTime: '10:00', endTime: '10:30', capacity: 3, reason: '复诊患者较多' });
  const late = { _id: new ObjectId(), scheduleId: schedule._id, firstNumber: stale, capacity: 2 };
  await expect(slotsOf(runtime.db).insertOne(late as never)).rejects.toMatchObject({ code: 11000 });
  const extra = { reason: '临时加号', addedBy: new ObjectId(), addedAt: new Date() };
  const slot = await insertExtraSlot(runtime.db, schedule, { start: new Date(), end: new Date(), capacity: 2, extra });
  expect(slot.firstNumber).toBe(12);
  expect(slot.freeNumbers).toEqual([12, 13]);
});

it('two extra slots added at once get different queue numbers', async () => {
  const scheduleId = (await schedulesOf(runtime.db).findOne({ date: dayFromToday(3) }))!._id.toHexString();
  const add = (startTime: string) => admin({ action: 'addExtraSlot', scheduleId, startTime, endTime: '11:00', capacity: 2, reason: '门诊加号' });
  await Promise.all([add('10:00'), add('10:30')]);
  expect((await numbersByDate())[dayFromToday(3)]).toEqual([1, 3, 5, 7, 9, 11]);
});
