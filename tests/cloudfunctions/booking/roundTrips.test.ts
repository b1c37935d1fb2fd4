/**
 * On a real MongoDB every store operation is a network round trip. The minute booking sweep and the
 * appointment list must cost the same number of them whatever the number of held slots or listed
 * appointments, or the sweep outlasts its function's timeout on a busy morning. And a patient waiting
 * for 预约成功 sits through the round trips made one after another: reads that do not depend on each
 * other are sent together.
 */
import { ObjectId } from 'mongodb';
import { main as userMain } from '../../../cloudfunctions/user';
import { sweepBookings } from '../../../cloudfunctions/shared/booking/sweeper';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_RELEASE_RULES } from '../../../cloudfunctions/shared/catalog/model';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import type { EmbeddedDb } from '../../../cloudfunctions/shared/db/embedded';
import { booking, hold, quickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
let upcoming: string[];

beforeEach(async () => {
  scheduleCache.clear();
  catalogCache.invalidate();
  runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime, { releaseRules: { ...DEFAULT_RELEASE_RULES, daysAhead: 14 } });
  const clinic = await createClinic({ places: 5, feeFen: 2500 });
  const slots = await slotsOf(runtime.db).find({ doctorId: new ObjectId(clinic.doctorId), date: { $gte: dayFromToday(1) } }).sort({ start: 1 }).toArray();
  upcoming = slots.map((slot) => slot._id.toHexString());
});
afterEach(() => runtime.dispose());

const waitsOf = async (run: () => Promise<unknown>) => {
  const db = runtime.db as unknown as EmbeddedDb;
  const before = db.waits;
  await run();
  return db.waits - before;
};

const tripsOf = async (run: () => Promise<unknown>) => {
  const db = runtime.db as unknown as EmbeddedDb;
  const before = db.roundTrips;
  await run();
  return db.roundTrips - before;
};

it('the booking sweep costs as many round trips for 20 held slots as for 2', async () => {
  const sweep = () => sweepBookings({ ...runtime, now: runtime.clock.now() });
  for (let i = 0; i < 2; i++) await hold(await quickPatient(runtime, `early-${i}`), upcoming[i]);
  const few = await tripsOf(sweep);
  for (let i = 2; i < 20; i++) await hold(await quickPatient(runtime, `late-${i}`), upcoming[i]);
  expect(await slotsOf(runtime.db).countDocuments({ 'holders.0': { $exists: true } })).toBe(20);
  expect(await tripsOf(sweep)).toBe(few);
  expect(few).toBeLessThanOrEqual(4);
});

it('listing appointments costs as many round trips for five priced appointments as for one', async () => {
  const patient = await quickPatient(runtime, 'lister');
  const list = () => booking(patient.openid, { action: 'list' });
  // Slots four apart fall on different days: one appointment per doctor and day.
  await hold(patient, upcoming[0]);
  await list(); // warm the catalog caches
  const one = await tripsOf(list);
  for (let i = 1; i < 5; i++) await hold(patient, upcoming[i * 4]);
  expect(dataOf<{ appointments: unknown[] }>(await list()).appointments).toHaveLength(5);
  expect(await tripsOf(list)).toBe(one);
});

it('a booking waits for the store at most 11 times in a row, free or priced', async () => {
  // Before: 21 for a free booking, 19 for a priced one (the checks under the leases, the card and its link,
  // the audit, the confirmation and the card's owner each read or wrote after the one before); then 14,
  // with the account's day lease and the card's lease each taken and given back one after the other, and
  // the place claimed only once both were given back.
  const free = await createClinic({ name: '全科', places: 5, feeFen: 0 });
  const freeSlot = (await slotsOf(runtime.db).findOne({ doctorId: new ObjectId(free.doctorId), date: { $gte: dayFromToday(1) } }))!._id.toHexString();
  await hold(await quickPatient(runtime, 'warm'), upcoming[0]); // the function's indexes are made once
  const priced = await quickPatient(runtime, 'priced');
  expect(await waitsOf(async () => expect((await hold(priced, upcoming[1])).outcome).toBe('pending_payment'))).toBeLessThanOrEqual(11);
  const own = await quickPatient(runtime, 'own');
  expect(await waitsOf(async () => expect((await hold(own, freeSlot)).outcome).toBe('booked'))).toBeLessThanOrEqual(11);
});
