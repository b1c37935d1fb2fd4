// Unbinding a card with a visit still to come: refused for the caller whenever it would strand a
// booking the caller made, or one nobody else could see any more; allowed once it is cancelled or over.
import { ObjectId } from 'mongodb';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { booking, hold, newRequestId, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, seedHospital, type TestClinic } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, PEOPLE, person } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(30_000);

const patient = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);
const cardIds = async (openid: string) => dataOf<{ patients: { id: string }[] }>(await patient(openid, { action: 'list' })).patients.map((card) => card.id);
const visibleAppointments = async (openid: string) => dataOf<{ appointments: { id: string; status: string }[] }>(await booking(openid, { action: 'list' })).appointments;

describe('unbinding a card with bookings still to come', () => {
  let his: TestHis;
  let runtime: TestRuntime;
  let clinic: TestClinic;
  let mother: QuickPatient;
  beforeAll(async () => {
    his = await startTestHis();
  });
  afterAll(() => his.standIn.close());

  /** The son joins the mother's card through her invitation. */
  const joinAsSon = async () => {
    const { code } = dataOf<{ code: string }>(await patient(mother.openid, { action: 'invite', patientId: mother.patientId }));
    dataOf(await patient('son', { action: 'accept', code, relation: 'parent' }));
    return { openid: 'son', patientId: mother.patientId };
  };

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] }, { his: his.client });
    for (const openid of [ADMIN, 'son', 'mother']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(runtime);
    clinic = await createClinic({ places: 2, feeFen: 0 });
    mother = { openid: 'mother', patientId: (await bindAs('mother', PEOPLE.grandmother)).id };
  });
  afterEach(() => runtime.dispose());

  it('refuses while the caller has a booking for the card, says what to do, and allows it after cancelling', async () => {
    const [slot] = await slotIdsOn(clinic.doctorId, 2);
    const booked = await hold(mother, slot);
    const refused = await patient(mother.openid, { action: 'unbind', patientId: mother.patientId });
    expect(refused).toMatchObject({ ok: false, code: 'UNBIND_HAS_APPOINTMENTS' });
    expect(!refused.ok && refused.message).toMatch(/^这位就诊人还有\d+月\d+日的预约没有就诊。解除绑定后就看不到、也取消不了了，请先在“预约记录”里取消，或等就诊结束后再解除绑定。$/);
    expect(await cardIds(mother.openid)).toEqual([mother.patientId]);
    expect((await visibleAppointments(mother.openid)).map((appointment) => appointment.id)).toEqual([booked.appointment!.id]);

    dataOf(await booking(mother.openid, { action: 'cancel', appointmentId: booked.appointment!.id }));
    dataOf(await patient(mother.openid, { action: 'unbind', patientId: mother.patientId }));
    expect(await cardIds(mother.openid)).toEqual([]);
  });

  it('allows it once the visit is over: refused a minute before its end, allowed a minute after', async () => {
    const [slot] = await slotIdsOn(clinic.doctorId, 2);
    const booked = await hold(mother, slot);
    const { end } = (await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(booked.appointment!.id) }))!;
    runtime.clock.set(new Date(end.getTime() - 60_000));
    expect(await patient(mother.openid, { action: 'unbind', patientId: mother.patientId })).toMatchObject({ ok: false, code: 'UNBIND_HAS_APPOINTMENTS' });
    runtime.clock.set(new Date(end.getTime() + 60_000));
    dataOf(await patient(mother.openid, { action: 'unbind', patientId: mother.patientId }));
  });

  it('refuses a family member who booked, even though the owner still manages the card', async () => {
    const son = await joinAsSon();
    const [slot] = await slotIdsOn(clinic.doctorId, 2);
    await hold(son, slot);
    expect(await patient('son', { action: 'unbind', patientId: son.patientId })).toMatchObject({ ok: false, code: 'UNBIND_HAS_APPOINTMENTS' });
    expect(await cardIds('son')).toEqual([mother.patientId]);
  });

  it('lets the owner leave a booking the son made with the son, who can still see and cancel it', async () => {
    const son = await joinAsSon();
    const [slot] = await slotIdsOn(clinic.doctorId, 2);
    const booked = await hold(son, slot);
    dataOf(await patient(mother.openid, { action: 'unbind', patientId: mother.patientId }));
    expect((await visibleAppointments('son')).map((appointment) => appointment.id)).toEqual([booked.appointment!.id]);
    // The son is the only one left now: his own booking keeps him, and so would anyone's.
    expect(await patient('son', { action: 'unbind', patientId: son.patientId })).toMatchObject({ ok: false, code: 'UNBIND_HAS_APPOINTMENTS' });
    dataOf(await booking('son', { action: 'cancel', appointmentId: booked.appointment!.id }));
    dataOf(await patient('son', { action: 'unbind', patientId: son.patientId }));
  });

  it('refuses the last manager a booking someone else made, since nobody could see it after', async () => {
    const son = await joinAsSon();
    const [slot] = await slotIdsOn(clinic.doctorId, 2);
    await hold(son, slot);
    const { patient: card } = dataOf<{ patient: { managers: { userId: string; role: string }[] } }>(await patient(mother.openid, { action: 'get', patientId: mother.patientId }));
    const sonUserId = card.managers.find((manager) => manager.role === 'manager')!.userId;
    dataOf(await patient(mother.openid, { action: 'revokeManager', patientId: mother.patientId, userId: sonUserId }));
    expect(await patient(mother.openid, { action: 'unbind', patientId: mother.patientId })).toMatchObject({ ok: false, code: 'UNBIND_HAS_APPOINTMENTS' });
    expect(await visibleAppointments(mother.openid)).toHaveLength(1);
  });

  it('never strands a booking when a hold and an unbind of the same card race', async () => {
    const slots = await slotIdsOn(clinic.doctorId, 2);
    for (const [round, slot] of slots.entries()) {
      const who = round === 0 ? mother : { openid: 'mother', patientId: (await bindAs('mother', person(round), 'other')).id };
      const [held, unbound] = await Promise.all([
        booking(who.openid, { action: 'hold', slotId: slot, patientId: who.patientId, requestId: newRequestId() }),
        patient(who.openid, { action: 'unbind', patientId: who.patientId }),
      ]);
      const active = await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(who.patientId), active: true });
      // Either the hold won (the unbind is refused and the booking stays in view) or the unbind won (the hold finds no card).
      if (unbound.ok) {
        expect(held).toMatchObject({ ok: false, code: 'NOT_FOUND' });
        expect(active).toBe(0);
      } else {
        expect(unbound.code).toBe('UNBIND_HAS_APPOINTMENTS');
        expect(held.ok).toBe(true);
        expect(await cardIds(who.openid)).toContain(who.patientId);
      }
    }
  });
});
