/**
 * 加号 at the desk (admin.addPlaceForCard): staff add one place to a session, held for a named card. The card's
 * owner sees it in their appointments to pay; nobody else can take it; the person's quotas apply unless staff
 * override them with a reason; refused for non-staff, bad input and unknown cards, changing nothing; audited.
 */
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { schedulesOf, slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { booking, hold, newRequestId, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

interface DeskAnswer {
  appointment: { id: string; status: string; number: number; when: string; patientName: string };
  message: string;
}

describe('admin.addPlaceForCard', () => {
  let runtime: TestRuntime;
  let clinic: TestClinic;
  let card: QuickPatient;
  let scheduleId: string;

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime, { personQuotas: { perVisitDay: 1, per7Days: null, per3Months: null } });
    clinic = await createClinic({ places: 1, feeFen: 2500 });
    card = await quickPatient(runtime, 'desk-patient', { name: '张阿姨' });
    const schedule = await schedulesOf(runtime.db).findOne({ doctorId: new ObjectId(clinic.doctorId), date: dayFromToday(2) });
    scheduleId = schedule!._id.toHexString();
  });
  afterEach(() => runtime.dispose());

  const give = (input: Record<string, unknown>, caller = ADMIN) =>
    callAs(adminMain, caller, { action: 'addPlaceForCard', scheduleId, patientId: card.patientId, startTime: '10:00', endTime: '10:30', reason: '复诊看报告', requestId: newRequestId(), ...input });

  it('holds a new place for the card, which its owner sees to pay and nobody else can take, audited', async () => {
    const placesBefore = await slotsOf(runtime.db).countDocuments({ scheduleId: new ObjectId(scheduleId) });
    const requestId = newRequestId();
    const given = dataOf<DeskAnswer>(await give({ requestId }));
    expect(given.appointment).toMatchObject({ status: 'pending_payment', number: 5, patientName: '张阿姨' });
    expect(given.message).toContain('预约记录');

    // A retry of the same request answers the same place, and adds nothing.
    expect(dataOf<DeskAnswer>(await give({ requestId })).appointment.id).toBe(given.appointment.id);
    expect(await slotsOf(runtime.db).countDocuments({ scheduleId: new ObjectId(scheduleId) })).toBe(placesBefore + 1);

    // The card's owner sees it with the others, to pay.
    const { appointments } = dataOf<{ appointments: { id: string; status: string }[] }>(await booking('desk-patient', { action: 'list' }));
    expect(appointments).toEqual([expect.objectContaining({ id: given.appointment.id, status: 'pending_payment' })]);

    // The place was never offered: another patient tapping it is told it is taken.
    const slot = await slotsOf(runtime.db).findOne({ 'extra.heldFor': new ObjectId(card.patientId) });
    expect(slot).toMatchObject({ capacity: 1, remaining: 0 });
    const other = await quickPatient(runtime, 'other-patient');
    expect(await booking(other.openid, { action: 'hold', slotId: slot!._id.toHexString(), patientId: other.patientId, requestId: newRequestId() })).toMatchObject({ ok: false, code: 'SLOT_FULL' });

    const trail = dataOf<{ entries: { action: string; details: Record<string, string> }[] }>(await callAs(adminMain, ADMIN, { action: 'audit', patientId: card.patientId }));
    expect(trail.entries).toEqual([expect.objectContaining({ action: 'admin.addPlaceForCard', details: expect.objectContaining({ appointmentId: given.appointment.id, reason: '复诊看报告' }) })]);

    // Cancelled by its owner, the desk place is withdrawn, not shown to others as one left that nobody can take.
    expect((await booking('desk-patient', { action: 'cancel', appointmentId: given.appointment.id })).ok).toBe(true);
    expect(await slotsOf(runtime.db).findOne({ _id: slot!._id })).toMatchObject({ remaining: 0, holders: [] });
    expect(await booking(other.openid, { action: 'hold', slotId: slot!._id.toHexString(), patientId: other.patientId, requestId: newRequestId() })).toMatchObject({ ok: false, code: 'SLOT_FULL' });
  });

  it('keeps the person to the hospital quota unless staff override it with a reason, which is audited', async () => {
    const other = await createClinic({ name: '眼科', places: 1, feeFen: 0 });
    expect((await hold(card, (await slotIdsOn(other.doctorId, 2))[0])).outcome).toBe('booked');

    const refused = await give({});
    expect(refused).toMatchObject({ ok: false, code: 'PERSON_QUOTA' });
    expect(JSON.stringify(refused)).toContain('破例原因');
    expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(card.patientId), active: true })).toBe(1);
    expect(await slotsOf(runtime.db).countDocuments({ 'extra.heldFor': { $exists: true } })).toBe(0);

    const given = dataOf<DeskAnswer>(await give({ overrideReason: '医生同意当天加诊' }));
    expect(given.appointment.status).toBe('pending_payment');
    const trail = dataOf<{ entries: { action: string; details: Record<string, string> }[] }>(await callAs(adminMain, ADMIN, { action: 'audit', auditAction: 'admin.addPlaceForCard' }));
    expect(trail.entries[0].details).toMatchObject({ overrideReason: '医生同意当天加诊', appointmentId: given.appointment.id });

    // The same doctor twice on one day is never overridable.
    expect(await give({ overrideReason: '医生同意当天加诊' })).toMatchObject({ ok: false, code: 'SAME_DOCTOR_SAME_DAY' });
  });

  it('refuses non-staff, unknown cards, stopped sessions and bad input, changing nothing', async () => {
    const slotsBefore = await slotsOf(runtime.db).countDocuments({});
    expect(await give({}, 'desk-patient')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await give({ patientId: new ObjectId().toHexString() })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await give({ scheduleId: new ObjectId().toHexString() })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    for (const bad of [
      { patientId: 'abc' },
      { scheduleId: 42 },
      { startTime: '25:00' },
      { endTime: '9:5' },
      { reason: '' },
      { reason: 'x'.repeat(101) },
      { overrideReason: '' },
      { requestId: 'short' },
      { startTime: '10:30', endTime: '10:00' },
      { patientId: { $ne: null } },
    ]) {
      const answer = await give(bad);
      expect(answer).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
      expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts/);
    }
    await schedulesOf(runtime.db).updateOne({ _id: new ObjectId(scheduleId) }, { $set: { status: 'stopped' } });
    expect(await give({})).toMatchObject({ ok: false, code: 'SLOT_CLOSED' });
    expect(await slotsOf(runtime.db).countDocuments({})).toBe(slotsBefore);
    expect(await appointmentsOf(runtime.db).countDocuments({})).toBe(0);
  });

  it('limits one staff account to 20 a minute', async () => {
    const unknown = new ObjectId().toHexString();
    const answers = [];
    for (let i = 0; i < 21; i++) answers.push(await give({ patientId: unknown }));
    expect(answers.slice(0, 20).every((answer) => !answer.ok && answer.code === 'NOT_FOUND')).toBe(true);
    expect(answers[20]).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });
});
