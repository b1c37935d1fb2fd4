// BOOKING_PEOPLE_PER_DAY: one account books for at most N different people on one visit day, exactly,
// under parallel taps; refusals are recorded for staff and read with admin.suspicions (admins only).
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { suspicionsOf } from '../../../cloudfunctions/shared/suspicions';
import { findUserByIdentity } from '../../../cloudfunctions/shared/users/userRepository';
import { booking, hold, newRequestId, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(30_000);

interface SuspicionView {
  id: string;
  kind: string;
  userId: string;
  date: string;
  people: number;
  patientIds: string[];
  limit: number;
  attempts: number;
  firstAt: string;
  lastAt: string;
}

describe('people per account per day', () => {
  let runtime: TestRuntime;
  let clinic: TestClinic;
  let family: QuickPatient[];

  const holdFor = (who: QuickPatient, slotId: string) => booking(who.openid, { action: 'hold', slotId, patientId: who.patientId, requestId: newRequestId() });
  const suspicions = async (openid: string, payload: Record<string, unknown> = {}) => callAs(adminMain, openid, { action: 'suspicions', ...payload });

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    clinic = await createClinic({ places: 2, feeFen: 0 });
    // One account with five cards (quickPatient adds a card to the same account each time).
    family = [];
    for (const name of ['张秀英', '王建华', '王磊', '李桂芳', '王小宝']) family.push(await quickPatient(runtime, 'family', { name }));
  });
  afterEach(() => runtime.dispose());

  it('books for three people on one day, refuses the fourth with a kind sentence, and records it for staff', async () => {
    const slots = await slotIdsOn(clinic.doctorId, 2);
    for (const [i, who] of family.slice(0, 3).entries()) expect((await hold(who, slots[i])).outcome).toBe('booked');
    const refused = await holdFor(family[3], slots[3]);
    expect(refused).toMatchObject({ ok: false, code: 'BOOKING_PEOPLE_LIMIT' });
    expect(!refused.ok && refused.message).toMatch(/^为防止号源被倒卖，一个账号同一天最多为 3 位就诊人预约，您\d+月\d+日已经为 3 位预约了。如需为其他家人预约，请家人用自己的微信预约，或到医院窗口挂号。$/);
    expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(family[3].patientId) })).toBe(0);

    // Another day is another budget; a fourth person's own account is not affected.
    expect((await hold(family[3], (await slotIdsOn(clinic.doctorId, 3))[0])).outcome).toBe('booked');
    const neighbour = await quickPatient(runtime, 'neighbour');
    expect((await hold(neighbour, slots[3])).outcome).toBe('booked');

    const records = await suspicionsOf(runtime.db).find({}).toArray();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ kind: 'booking_people_per_day', date: dayFromToday(2), limit: 3, attempts: 1 });
    expect(records[0].patientIds).toHaveLength(4);
  });

  it('tells a fourth person refused for their own reason that reason first, and records nothing for staff', async () => {
    const slots = await slotIdsOn(clinic.doctorId, 2);
    const booked = [];
    for (const [i, who] of family.slice(0, 3).entries()) booked.push(await hold(who, slots[i]));
    // The fourth missed a visit yesterday (booked by this account): restricted whoever books (A3), checked before the day's people.
    const template = (await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(booked[0].appointment!.id) }))!;
    const { active: _active, ...missed } = template;
    await appointmentsOf(runtime.db).insertOne({ ...missed, _id: new ObjectId(), patientId: new ObjectId(family[3].patientId), requestId: newRequestId(), status: 'no_show', date: dayFromToday(-1) });
    expect(await holdFor(family[3], slots[3])).toMatchObject({ ok: false, code: 'PATIENT_RESTRICTED' });
    expect(await suspicionsOf(runtime.db).countDocuments({})).toBe(0);
    expect(await holdFor(family[4], slots[3])).toMatchObject({ ok: false, code: 'BOOKING_PEOPLE_LIMIT' });
    expect(await suspicionsOf(runtime.db).countDocuments({})).toBe(1);
  });

  it('frees the place in the day budget when a booking is cancelled', async () => {
    const slots = await slotIdsOn(clinic.doctorId, 2);
    const answers = [];
    for (const [i, who] of family.slice(0, 3).entries()) answers.push(await hold(who, slots[i]));
    expect(await holdFor(family[3], slots[3])).toMatchObject({ ok: false, code: 'BOOKING_PEOPLE_LIMIT' });
    dataOf(await booking('family', { action: 'cancel', appointmentId: answers[0].appointment!.id }));
    expect((await hold(family[3], slots[3])).outcome).toBe('booked');
  });

  it('still books again for one of the three that day (another department)', async () => {
    const slots = await slotIdsOn(clinic.doctorId, 2);
    for (const [i, who] of family.slice(0, 3).entries()) await hold(who, slots[i]);
    const cardiology = await createClinic({ name: '心血管内科', places: 2, feeFen: 0 });
    expect((await hold(family[0], (await slotIdsOn(cardiology.doctorId, 2))[0])).outcome).toBe('booked');
  });

  it('lets exactly three of five parallel holds for five people through, and counts both refusals', async () => {
    const slots = await slotIdsOn(clinic.doctorId, 2);
    const answers = await Promise.all(family.map((who, i) => holdFor(who, slots[Math.min(i, slots.length - 1)])));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(3);
    expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.code)).toEqual(['BOOKING_PEOPLE_LIMIT', 'BOOKING_PEOPLE_LIMIT']);
    const people = await appointmentsOf(runtime.db).distinct('patientId', { date: dayFromToday(2), active: true });
    expect(people).toHaveLength(3);
    const [record] = await suspicionsOf(runtime.db).find({}).toArray();
    expect(record).toMatchObject({ attempts: 2 });
    expect(record.patientIds).toHaveLength(5);
  });

  it('reads the number from BOOKING_PEOPLE_PER_DAY', async () => {
    runtime.config.bookingPeoplePerDay = 1;
    const slots = await slotIdsOn(clinic.doctorId, 2);
    await hold(family[0], slots[0]);
    const refused = await holdFor(family[1], slots[1]);
    expect(!refused.ok && refused.message).toContain('最多为 1 位就诊人预约');
  });

  describe('admin.suspicions', () => {
    beforeEach(async () => {
      const slots = await slotIdsOn(clinic.doctorId, 2);
      for (const [i, who] of family.entries()) await holdFor(who, slots[Math.min(i, slots.length - 1)]);
    });

    it('lists the recent records for staff, newest first', async () => {
      const { suspicions: list } = dataOf<{ suspicions: SuspicionView[] }>(await suspicions(ADMIN));
      expect(list).toHaveLength(1);
      const familyUser = await findUserByIdentity(runtime.db, { openid: 'family', appid: 'wx-test-app' });
      expect(list[0]).toMatchObject({ kind: 'booking_people_per_day', userId: familyUser!._id.toHexString(), date: dayFromToday(2), people: 5, limit: 3, attempts: 2 });
      expect(list[0].patientIds.sort()).toEqual(family.map((who) => who.patientId).sort());

      // The window is the last 7 days: a minute inside it the record is listed, a minute past it left out.
      const lastAt = (await suspicionsOf(runtime.db).findOne({}))!.lastAt.getTime();
      runtime.clock.set(new Date(lastAt + 7 * 86_400_000 - 60_000));
      expect(dataOf<{ suspicions: SuspicionView[] }>(await suspicions(ADMIN)).suspicions).toHaveLength(1);
      runtime.clock.set(new Date(lastAt + 7 * 86_400_000 + 60_000));
      expect(dataOf<{ suspicions: SuspicionView[] }>(await suspicions(ADMIN)).suspicions).toEqual([]);
      expect(dataOf<{ suspicions: SuspicionView[] }>(await suspicions(ADMIN, { days: 30 })).suspicions).toHaveLength(1);
    });

    it('answers FORBIDDEN to anyone else, before reading the payload, and changes nothing', async () => {
      for (const openid of ['family', 'neighbour']) {
        dataOf(await callAs(userMain, openid, { action: 'login' }));
        for (const payload of [{}, { days: 'all' }, { limit: -1, extra: { $gt: '' } }]) {
          const refused = await suspicions(openid, payload);
          expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
          expect(refused).not.toHaveProperty('fields');
        }
      }
      expect(await suspicions('never-logged-in')).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
      // An admin taken off ADMIN_OPENIDS loses access at once.
      runtime.config.adminOpenids = [];
      expect(await suspicions(ADMIN)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(await suspicionsOf(runtime.db).countDocuments({})).toBe(1);
    });

    it.each([
      [{ days: 0 }],
      [{ days: 91 }],
      [{ days: 1.5 }],
      [{ days: '7' }],
      [{ limit: 0 }],
      [{ limit: 1000 }],
      [{ limit: null }],
      [{ days: { $gt: 0 } }],
    ])('answers INVALID_PARAMS to an admin sending %j', async (payload) => {
      const refused = await suspicions(ADMIN, payload);
      expect(refused).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
      expect(!refused.ok && refused.fields?.[0].message).toMatch(/[\u4e00-\u9fa5]/);
    });
  });
});
