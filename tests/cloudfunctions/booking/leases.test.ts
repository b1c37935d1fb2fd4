// The leases a hold is decided under (patientLock.ts, peoplePerDay.ts), seen as a patient sees them:
// a lease left by a process that died mid-hold delays the next hold by at most its length; while it
// is live, the tap is told kindly to try again; and parallel taps on a slow machine end in exactly the
// quota, the rest refused with the quota's code or asked to try again, never a wrong "limit reached".
import { ObjectId } from 'mongodb';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { LEASE_MS } from '../../../cloudfunctions/shared/booking/lease';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { DEFAULT_ELIGIBILITY_RULES } from '../../../cloudfunctions/shared/domain/eligibility';
import type { Result } from '../../../cloudfunctions/shared/errors';
import { findUserByIdentity } from '../../../cloudfunctions/shared/users/userRepository';
import { booking, newRequestId, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

const PATIENT_BUSY = '这位就诊人的另一个预约正在处理中，请稍等几秒再试。';
const ACCOUNT_BUSY = '您的另一个预约正在处理中，请稍等几秒再试。';

interface LeaseDoc {
  _id: ObjectId | string;
  owner: ObjectId;
  until: Date;
}

let runtime: TestRuntime;
let clinic: TestClinic;

async function open(options: { opDelayMs?: number; activeBookings?: number } = {}): Promise<void> {
  scheduleCache.clear();
  catalogCache.invalidate();
  const saved = process.env.STORE_OP_DELAY_MS;
  // Read once, when the store opens: every operation of this runtime answers that much later.
  if (options.opDelayMs) process.env.STORE_OP_DELAY_MS = String(options.opDelayMs);
  try {
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
  } finally {
    if (saved === undefined) delete process.env.STORE_OP_DELAY_MS;
    else process.env.STORE_OP_DELAY_MS = saved;
  }
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  const quotas = { ...DEFAULT_ELIGIBILITY_RULES.quotas, activeBookings: options.activeBookings ?? DEFAULT_ELIGIBILITY_RULES.quotas.activeBookings };
  await seedHospital(runtime, { eligibility: { ...DEFAULT_ELIGIBILITY_RULES, quotas } });
  clinic = await createClinic({ places: 2, feeFen: 0 });
}
afterEach(() => runtime.dispose());

const holdFor = (who: QuickPatient, slotId: string) => booking(who.openid, { action: 'hold', slotId, patientId: who.patientId, requestId: newRequestId() });
const codeOf = (answer: Result<unknown>) => (answer.ok ? 'ok' : answer.code);
const patientLeases = () => runtime.db.collection<LeaseDoc>('patientLocks');
const accountDayLeases = () => runtime.db.collection<LeaseDoc>('bookerDayLocks');
const taken = async (doctorId: string, date: string) =>
  (await slotsOf(runtime.db).find({ doctorId: new ObjectId(doctorId), date }).toArray()).reduce((sum, slot) => sum + slot.capacity - slot.remaining, 0);

describe('a lease left by a process that died mid-hold', () => {
  beforeEach(() => open());

  it('holds up the patient for at most the lease length, then the next tap books', async () => {
    const who = await quickPatient(runtime, 'lease-patient');
    const [slotId] = await slotIdsOn(clinic.doctorId, 2);
    // Leases run on real time: a business clock set back an hour changes nothing here.
    runtime.clock.set(new Date(Date.now() - 3_600_000));
    const dead: LeaseDoc = { _id: new ObjectId(who.patientId), owner: new ObjectId(), until: new Date(Date.now() + LEASE_MS) };
    await patientLeases().insertOne(dead);

    // The patient taps, and taps again when told to wait a few seconds, until the hold goes through.
    const codes: string[] = [];
    let bookedAt = 0;
    while (!bookedAt && codes.length < 5) {
      const answer = await holdFor(who, slotId);
      codes.push(codeOf(answer));
      if (answer.ok) bookedAt = Date.now();
      else expect(answer).toMatchObject({ code: 'CONFLICT', message: PATIENT_BUSY });
    }
    expect(codes.at(-1)).toBe('ok');
    expect(bookedAt).toBeGreaterThanOrEqual(dead.until.getTime());
    expect(bookedAt).toBeLessThan(dead.until.getTime() + 15_000);
    expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(who.patientId), status: 'booked' })).toBe(1);
    expect((await patientLeases().findOne({ _id: dead._id }))!.owner.equals(dead.owner)).toBe(false);
  });

  it.each([
    ['the patient', PATIENT_BUSY],
    ['the account for that day', ACCOUNT_BUSY],
  ])('answers CONFLICT, "%s" busy, after the wait while the lease is still live, and books nothing', async (_which, sentence) => {
    const who = await quickPatient(runtime, 'lease-busy');
    const [slotId] = await slotIdsOn(clinic.doctorId, 2);
    const user = await findUserByIdentity(runtime.db, { openid: who.openid, appid: 'wx-test-app' });
    const until = new Date(Date.now() + 60_000);
    if (sentence === PATIENT_BUSY) await patientLeases().insertOne({ _id: new ObjectId(who.patientId), owner: new ObjectId(), until });
    else await accountDayLeases().insertOne({ _id: `${user!._id.toHexString()}:${dayFromToday(2)}`, owner: new ObjectId(), until });
    // A business clock moved on by an hour does not end a lease either.
    runtime.clock.advance(3_600_000);

    const answer = await holdFor(who, slotId);
    expect(answer).toMatchObject({ ok: false, code: 'CONFLICT', message: sentence });
    expect(await appointmentsOf(runtime.db).countDocuments({})).toBe(0);
    expect(await taken(clinic.doctorId, dayFromToday(2))).toBe(0);
  });
});

describe('parallel taps on a slow machine', () => {
  // Small enough for a busy 2-core CI: a few taps, each store operation 5 ms late.
  const OP_DELAY_MS = 5;

  it('books exactly the active-booking quota for one patient tapping several days at once', async () => {
    await open({ opDelayMs: OP_DELAY_MS, activeBookings: 2 });
    const who = await quickPatient(runtime, 'fast-fingers');
    const slots = await Promise.all([1, 2, 3, 4, 5, 6].map(async (offset) => ({ date: dayFromToday(offset), id: (await slotIdsOn(clinic.doctorId, offset))[0] })));
    const answers = await Promise.all(slots.map((slot) => holdFor(who, slot.id)));

    const codes = answers.map(codeOf);
    const booked = codes.filter((code) => code === 'ok').length;
    expect(codes).toHaveLength(6);
    expect(codes.filter((code) => !['ok', 'ACTIVE_QUOTA', 'CONFLICT'].includes(code))).toEqual([]);
    expect(booked).toBeGreaterThanOrEqual(1);
    expect(booked).toBeLessThanOrEqual(2);
    // "Limit reached" only when it was: then the quota is exactly full.
    if (codes.includes('ACTIVE_QUOTA')) expect(booked).toBe(2);
    // What the patient was told is what the store holds: one place per booked answer, none more.
    expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(who.patientId), active: true })).toBe(booked);
    const places = await Promise.all(slots.map((slot) => taken(clinic.doctorId, slot.date)));
    expect(places.reduce((sum, n) => sum + n, 0)).toBe(booked);
  });

  it('books for exactly the people-per-day number when one account taps for five people at once', async () => {
    await open({ opDelayMs: OP_DELAY_MS });
    const family: QuickPatient[] = [];
    for (const name of ['张秀英', '王建华', '王磊', '李桂芳', '王小宝']) family.push(await quickPatient(runtime, 'family', { name }));
    const slots = await slotIdsOn(clinic.doctorId, 2);
    const answers = await Promise.all(family.map((who, i) => holdFor(who, slots[i % slots.length])));

    const codes = answers.map(codeOf);
    const booked = codes.filter((code) => code === 'ok').length;
    const limit = runtime.config.bookingPeoplePerDay;
    expect(codes).toHaveLength(5);
    expect(codes.filter((code) => !['ok', 'BOOKING_PEOPLE_LIMIT', 'CONFLICT'].includes(code))).toEqual([]);
    expect(booked).toBeGreaterThanOrEqual(1);
    expect(booked).toBeLessThanOrEqual(limit);
    if (codes.includes('BOOKING_PEOPLE_LIMIT')) expect(booked).toBe(limit);
    const people = await appointmentsOf(runtime.db).distinct('patientId', { date: dayFromToday(2), active: true });
    expect(people).toHaveLength(booked);
    expect(await taken(clinic.doctorId, dayFromToday(2))).toBe(booked);
  });
});
