import { ObjectId } from 'mongodb';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { sweepBookings } from '../../../cloudfunctions/shared/booking/sweeper';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { booking, hold, newRequestId, quickPatient, type QuickPatient } from '../../support/booking';
import { ADMIN, admin, createClinic, dayFromToday, isoWeekdayOf, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

const CROWD = 400;

interface SlotView {
  id: string;
  remaining: number;
  capacity: number;
  bookable: boolean;
}

describe('booking function', () => {
  let runtime: TestRuntime;
  let clinic: TestClinic;
  let patient: QuickPatient;

  const slotsOn = async (doctorId: string, offset: number): Promise<SlotView[]> => {
    scheduleCache.clear();
    const { days } = dataOf<{ days: { date: string; periods: { scheduleId: string; slots: SlotView[] }[] }[] }>(
      await callAs(catalogMain, 'patient', { action: 'schedules', doctorId }),
    );
    return days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots);
  };
  const invariantHolds = async () => {
    for (const slot of await slotsOf(runtime.db).find({}).toArray()) {
      const active = await appointmentsOf(runtime.db).countDocuments({ slotId: slot._id, status: { $in: ['pending_payment', 'booked', 'checked_in'] } });
      expect({ slot: slot._id.toHexString(), sum: slot.remaining + active }).toEqual({ slot: slot._id.toHexString(), sum: slot.capacity });
      expect(slot.holders).toHaveLength(active);
    }
  };

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    clinic = await createClinic({ places: 2, feeFen: 0 });
    patient = await quickPatient(runtime, 'patient-1');
  });
  afterEach(() => runtime.dispose());

  it('books a free slot at once, with a number, a kind sentence and one place fewer on the grid', async () => {
    const [slot] = await slotsOn(clinic.doctorId, 2);
    const answer = await hold(patient, slot.id);
    expect(answer.outcome).toBe('booked');
    expect(answer.appointment).toMatchObject({ status: 'booked', number: 1 });
    expect(answer.message).toMatch(/^已为您预约 王医生 \d+月\d+日 08:00-08:30，请提前 10 分钟到门诊楼 3 楼 B 区候诊。$/);
    expect((await slotsOn(clinic.doctorId, 2))[0].remaining).toBe(slot.remaining - 1);
    await invariantHolds();
  });

  it('keeps a priced slot pending payment for 10 minutes, then expires it and gives the place back', async () => {
    const priced = await createClinic({ name: '心血管内科', places: 1, feeFen: 5000 });
    const [slot] = await slotsOn(priced.doctorId, 2);
    const answer = await hold(patient, slot.id);
    expect(answer.outcome).toBe('pending_payment');
    const expiresAt = Date.parse(answer.appointment!.holdExpiresAt!);
    const expiresIn = expiresAt - runtime.clock.now().getTime();
    expect(expiresIn).toBeGreaterThan(9.9 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(10 * 60_000);
    expect(answer.message).toMatch(/请在 \d\d:\d\d 前完成支付，超时号源会自动释放。$/);
    expect((await slotsOn(priced.doctorId, 2))[0]).toMatchObject({ remaining: 0, bookable: false });

    // A minute before the expiry the hold stands; a minute after, it expires when next read, before any sweep.
    const read = async () => dataOf<{ appointment: { status: string; message: string } }>(await booking(patient.openid, { action: 'get', appointmentId: answer.appointment!.id })).appointment;
    runtime.clock.set(new Date(expiresAt - 60_000));
    expect((await read()).status).toBe('pending_payment');
    runtime.clock.set(new Date(expiresAt + 60_000));
    const appointment = await read();
    expect(appointment.status).toBe('expired');
    expect(appointment.message).toContain('超过支付时间');
    expect((await slotsOn(priced.doctorId, 2))[0]).toMatchObject({ remaining: 1, bookable: true });
    await invariantHolds();
  });

  it('expires unpaid holds in the minute sweep too', async () => {
    const priced = await createClinic({ name: '心血管内科', places: 1, feeFen: 5000 });
    const [slot] = await slotsOn(priced.doctorId, 2);
    const expiresAt = Date.parse((await hold(patient, slot.id)).appointment!.holdExpiresAt!);
    expect((await sweepBookings({ ...runtime, now: new Date(expiresAt - 60_000) })).expired).toBe(0);
    expect((await slotsOn(priced.doctorId, 2))[0].remaining).toBe(0);
    const report = await sweepBookings({ ...runtime, now: new Date(expiresAt + 60_000) });
    expect(report.expired).toBe(1);
    expect((await slotsOn(priced.doctorId, 2))[0].remaining).toBe(1);
  });

  it('answers "full" with the next place of the same doctor', async () => {
    const [slot, next] = await slotsOn(clinic.doctorId, 2);
    const others = await Promise.all([1, 2].map((n) => quickPatient(runtime, `other-${n}`)));
    for (const other of others) await hold(other, slot.id);
    const answer = await hold(patient, slot.id);
    expect(answer.outcome).toBe('full');
    expect(answer.alternative?.slotId).toBe(next.id);
    expect(answer.message).toMatch(/^这个时段的号刚刚被约满了。王医生 \d+月\d+日 上午 08:30-09:00 还有号，要不要看看？$/);
  });

  it('gives the same answer to a replayed requestId, success or full', async () => {
    const [slot] = await slotsOn(clinic.doctorId, 2);
    const requestId = newRequestId();
    const first = await hold(patient, slot.id, requestId);
    const again = await hold(patient, slot.id, requestId);
    expect(again.appointment?.id).toBe(first.appointment?.id);
    expect(await appointmentsOf(runtime.db).countDocuments({})).toBe(1);

    // The same request sent three times at once (a flaky network retrying): one appointment, one answer.
    const racer = await quickPatient(runtime, 'racer');
    const racing = newRequestId();
    const answers = await Promise.all([1, 2, 3].map(() => hold(racer, slot.id, racing)));
    expect(new Set(answers.map((answer) => answer.appointment?.id)).size).toBe(1);
    expect(answers.every((answer) => answer.outcome === 'booked')).toBe(true);
    expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(racer.patientId) })).toBe(1);

    const late = await quickPatient(runtime, 'late');
    const fullRequest = newRequestId();
    const full = await hold(late, slot.id, fullRequest);
    expect(full.outcome).toBe('full');
    expect((await hold(late, slot.id, fullRequest)).outcome).toBe('full');
  });

  it('books a patient once when the same card is tapped twice at the same time with two requestIds', async () => {
    const [slot, other] = await slotsOn(clinic.doctorId, 2);
    const answers = await Promise.all([slot.id, slot.id, other.id].map((slotId) => booking(patient.openid, { action: 'hold', slotId, patientId: patient.patientId, requestId: newRequestId() })));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.code)).toEqual(['SAME_DOCTOR_SAME_DAY', 'SAME_DOCTOR_SAME_DAY']);
    expect(await appointmentsOf(runtime.db).countDocuments({ active: true })).toBe(1);
    await invariantHolds();
  });

  it('keeps the quotas when one patient fires at five doctors of one department at the same instant', async () => {
    const doctorIds = [clinic.doctorId];
    for (const name of ['李明', '赵华', '孙立', '周平']) {
      const { doctor } = await admin<{ doctor: { _id: string } }>({ action: 'saveDoctor', departmentId: clinic.departmentId, name, title: '主治医师', feeClass: '普通', feeFen: 0 });
      await admin({ action: 'saveTemplate', doctorId: String(doctor._id), weekday: isoWeekdayOf(dayFromToday(2)), period: 'morning', startTime: '08:00', endTime: '09:00', slotMinutes: 30, placesPerSlot: 2, locationId: 'opd-3b' });
      doctorIds.push(String(doctor._id));
    }
    await admin({ action: 'generateSchedules', from: dayFromToday(2), to: dayFromToday(2) });
    const firstSlots = await Promise.all(doctorIds.map(async (doctorId) => (await slotsOn(doctorId, 2))[0].id));
    const answers = await Promise.all(firstSlots.map((slotId) => booking(patient.openid, { action: 'hold', slotId, patientId: patient.patientId, requestId: newRequestId() })));
    expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    expect(answers.filter((answer) => !answer.ok).map((answer) => !answer.ok && answer.code)).toEqual(Array(4).fill('DEPARTMENT_DAILY_QUOTA'));
    expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(patient.patientId), active: true })).toBe(1);
    await invariantHolds();
  });

  // 400 callers at once on 50 places is a real race (350 must lose) that a loaded CI machine finishes in
  // seconds; `npm run bench:booking` (4,000 patients, BENCH_PATIENTS / BENCH_CONCURRENCY) has the big crowd.
  it(`holds exactly the capacity under ${CROWD} concurrent holds on 50 places across the slots of one schedule`, async () => {
    const big = await createClinic({ name: '消化内科', places: 10, feeFen: 0 });
    const slots = await slotsOn(big.doctorId, 3);
    const { scheduleId } = dataOf<{ days: { date: string; periods: { scheduleId: string }[] }[] }>(
      await callAs(catalogMain, 'patient', { action: 'schedules', doctorId: big.doctorId }),
    ).days.find((day) => day.date === dayFromToday(3))!.periods[0];
    await admin({ action: 'addExtraSlot', scheduleId, startTime: '10:00', endTime: '10:30', capacity: 10, reason: '门诊加号' });
    const all = await slotsOn(big.doctorId, 3);
    expect(all.reduce((sum, slot) => sum + slot.capacity, 0)).toBe(50);

    const crowd = await Promise.all(Array.from({ length: CROWD }, (_, i) => quickPatient(runtime, `crowd-${i}`)));
    const answers = await Promise.all(crowd.map((who, i) => hold(who, all[i % all.length].id)));
    expect(answers.filter((answer) => answer.outcome === 'booked')).toHaveLength(50);
    expect(answers.filter((answer) => answer.outcome === 'full')).toHaveLength(CROWD - 50);
    expect(slots.length).toBe(4);
    for (const slot of await slotsOf(runtime.db).find({ doctorId: new ObjectId(big.doctorId), date: dayFromToday(3) }).toArray()) {
      expect(slot.remaining).toBe(0);
      const numbers = (await appointmentsOf(runtime.db).find({ slotId: slot._id, status: 'booked' }).toArray()).map((appointment) => appointment.number).sort((a, b) => a! - b!);
      expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => slot.firstNumber + i));
    }
    await invariantHolds();
  });

  it('cancels until the cutoff, gives the place back at once, and after the cutoff says until when it was possible', async () => {
    const [slot] = await slotsOn(clinic.doctorId, 2);
    const booked = await hold(patient, slot.id);
    expect(booked.appointment!.cancel).toMatchObject({ allowed: true });
    // The visit starts at 08:00; cancelling closes 60 minutes before, at 07:00. A minute before that it works.
    const start = (await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(booked.appointment!.id) }))!.start.getTime();
    runtime.clock.set(new Date(start - 61 * 60_000));
    const { appointment } = dataOf<{ appointment: { status: string } }>(await booking(patient.openid, { action: 'cancel', appointmentId: booked.appointment!.id }));
    expect(appointment.status).toBe('cancelled');
    expect((await slotsOn(clinic.doctorId, 2))[0].remaining).toBe(slot.remaining);

    // Booked again; a minute after the cutoff it is refused, saying until when it was possible.
    const again = await hold(patient, slot.id);
    runtime.clock.set(new Date(start - 59 * 60_000));
    const refused = await booking(patient.openid, { action: 'cancel', appointmentId: again.appointment!.id });
    expect(refused).toMatchObject({ ok: false, code: 'CANCEL_CUTOFF_PASSED' });
    expect(!refused.ok && refused.message).toMatch(/^退号需在 \d+月\d+日 07:00 前办理/);
    expect(await appointmentsOf(runtime.db).countDocuments({ status: 'booked' })).toBe(1);
    await invariantHolds();
  });

  it('refuses a male patient in 妇产科 with a sentence saying what to do', async () => {
    const { department } = await admin<{ department: { _id: string } }>({ action: 'saveDepartment', name: '妇产科', intro: '', locationId: 'opd-3b' });
    const { doctor } = await admin<{ doctor: { _id: string } }>({ action: 'saveDoctor', departmentId: String(department._id), name: '刘芳', title: '主治医师', feeClass: '普通', feeFen: 0 });
    await runtime.db.collection('departments').updateOne({ _id: new ObjectId(String(department._id)) }, { $set: { eligibility: { sex: 'female' } } });
    catalogCache.invalidate();
    for (let weekday = 1; weekday <= 7; weekday++) {
      await admin({ action: 'saveTemplate', doctorId: String(doctor._id), weekday, period: 'morning', startTime: '08:00', endTime: '09:00', slotMinutes: 30, placesPerSlot: 2, locationId: 'opd-3b' });
    }
    await admin({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(6) });
    const man = await quickPatient(runtime, 'man', { name: '王磊', sex: 'male' });
    const [slot] = await slotsOn(String(doctor._id), 2);
    const refused = await booking(man.openid, { action: 'hold', slotId: slot.id, patientId: man.patientId, requestId: newRequestId() });
    expect(refused).toMatchObject({ ok: false, code: 'SEX_RESTRICTED' });
    expect(!refused.ok && refused.message).toContain('妇产科');
    expect(await appointmentsOf(runtime.db).countDocuments({})).toBe(0);
  });

  it('refuses a slot not yet released with its release time', async () => {
    const [slot] = await slotsOn(clinic.doctorId, 10);
    const refused = await booking(patient.openid, { action: 'hold', slotId: slot.id, patientId: patient.patientId, requestId: newRequestId() });
    expect(refused).toMatchObject({ ok: false, code: 'NOT_RELEASED' });
    expect(!refused.ok && refused.message).toMatch(/^这个时段的号将在\d+月\d+日 07:00 放号，请到时再来预约。$/);
  });

  it('answers NOT_FOUND for another account’s card or appointment, and changes nothing', async () => {
    const [slot] = await slotsOn(clinic.doctorId, 2);
    const mine = await hold(patient, slot.id);
    const stranger = await quickPatient(runtime, 'stranger');
    const attempts = [
      { action: 'hold', slotId: slot.id, patientId: patient.patientId, requestId: newRequestId() },
      { action: 'get', appointmentId: mine.appointment!.id },
      { action: 'cancel', appointmentId: mine.appointment!.id },
    ];
    for (const event of attempts) expect(await booking(stranger.openid, event)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await appointmentsOf(runtime.db).countDocuments({ status: 'booked' })).toBe(1);
    const { appointments } = dataOf<{ appointments: unknown[] }>(await booking(stranger.openid, { action: 'list' }));
    expect(appointments).toEqual([]);
  });

  it('heals what a killed process left behind, so remaining + active = capacity again', async () => {
    const slots = await slotsOn(clinic.doctorId, 2);
    const people = await Promise.all([1, 2, 3].map((n) => quickPatient(runtime, `p-${n}`)));
    const a = await hold(people[0], slots[0].id);
    const b = await hold(people[1], slots[1].id);
    const old = new Date(runtime.clock.now().getTime() - 60_000);
    const slotA = await slotsOf(runtime.db).findOne({ _id: new ObjectId(slots[0].id) });
    // 1) Killed after claiming, before recording the outcome: still 'holding', number unknown.
    await appointmentsOf(runtime.db).updateOne({ _id: new ObjectId(a.appointment!.id) }, { $set: { status: 'holding', number: null, createdAt: old } });
    await slotsOf(runtime.db).updateOne({ _id: slotA!._id }, { $set: { freeNumbers: [] } });
    // 2) Killed after cancelling, before giving the place back.
    await appointmentsOf(runtime.db).updateOne({ _id: new ObjectId(b.appointment!.id) }, { $set: { status: 'cancelled' }, $unset: { active: '' } });
    // 3) Killed after writing the appointment, before claiming the place.
    await appointmentsOf(runtime.db).insertOne({
      ...(await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(a.appointment!.id) }))!,
      _id: new ObjectId(),
      patientId: new ObjectId(people[2].patientId),
      requestId: 'killed-before-claim',
      slotId: new ObjectId(slots[2].id),
      status: 'holding',
      active: true,
      createdAt: old,
    });

    const report = await sweepBookings({ ...runtime, now: runtime.clock.now() });
    expect(report).toMatchObject({ finished: 1, failed: 1, released: 1, renumbered: 1 });
    await invariantHolds();
    const healed = await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(a.appointment!.id) });
    expect(healed).toMatchObject({ status: 'booked', number: 1 });
    expect((await slotsOf(runtime.db).findOne({ _id: slotA!._id }))!.freeNumbers).toEqual([2]);
    expect(await sweepBookings({ ...runtime, now: runtime.clock.now() })).toEqual({ expired: 0, finished: 0, failed: 0, released: 0, renumbered: 0 });
  });
});
