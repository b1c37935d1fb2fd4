/**
 * 替诊 (A2): staff put a colleague of the same department and fee class in place of a doctor who cannot come.
 * The bookings move to the colleague's session with numbers nobody else holds there, each patient is told,
 * and may cancel free of the usual cutoff; a patient whose booking was not moved is still bound by it.
 */
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { newRequestId } from '../../support/booking';
import { ADMIN } from '../../support/catalog';
import { sessionOn, until, useFilledSession } from '../../support/clinicDay';
import { bindAs, person } from '../../support/patients';
import { callAs, dataOf } from '../../support/runtime';

jest.setTimeout(120_000);

describe('admin.stopClinic with a substitute doctor', () => {
  const world = useFilledSession();

  it('moves every active booking to the colleague with unique numbers, tells each patient, and lets them cancel after the cutoff', async () => {
    // The colleague already has two patients of his own that morning.
    const colleagueSession = await sessionOn(world.fixture.colleagueId, 2);
    const own: { openid: string; id: string }[] = [];
    for (const n of [20, 21]) {
      const openid = `own-patient-${n}`;
      dataOf(await callAs(userMain, openid, { action: 'login' }));
      const card = await bindAs(openid, person(n));
      const held = dataOf<{ appointment: { id: string } }>(await callAs(bookingMain, openid, { action: 'hold', slotId: colleagueSession.slots[0].id, patientId: card.id, requestId: newRequestId() }));
      own.push({ openid, id: held.appointment.id });
    }
    // One of them pays, so a booking that was not moved can be compared at the cutoff.
    const { outTradeNo } = dataOf<{ outTradeNo: string }>(await callAs(paymentMain, own[0].openid, { action: 'prepay', appointmentId: own[0].id }));
    world.pay.standIn.pay(outTradeNo);
    await until(async () => (await paymentsOf(world.host.runtime.db).findOne({ _id: outTradeNo }))?.his?.status === 'confirmed', 'the payment');

    const answer = dataOf<{ job: { id: string; kindLabel: string; status: string; substitute: { doctorName: string } } }>(
      await callAs(adminMain, ADMIN, { action: 'stopClinic', target: { scope: 'day', doctorId: world.fixture.clinic.doctorId, date: world.fixture.date }, reason: '医生临时外出会诊', substituteDoctorId: world.fixture.colleagueId }),
    );
    expect(answer.job).toMatchObject({ kindLabel: '替诊', substitute: { doctorName: '李文华' } });
    await until(async () => dataOf<{ job: { status: string } }>(await callAs(adminMain, ADMIN, { action: 'clinicJob', jobId: answer.job.id })).job.status === 'finished', 'the job');
    expect((await sessionOn(world.fixture.clinic.doctorId, 2)).status).toBe('stopped');

    const movedKinds = ['paid', 'free', 'pending'];
    const colleague = new ObjectId(world.fixture.colleagueId);
    for (const entry of world.fixture.patients) {
      const stored = (await appointmentsOf(world.host.runtime.db).findOne({ _id: new ObjectId(entry.appointmentId) }))!;
      if (movedKinds.includes(entry.kind)) {
        expect(stored.doctorId).toEqual(colleague);
        expect(stored.scheduleId.toHexString()).toBe(colleagueSession.scheduleId);
        expect(stored.notices).toHaveLength(1);
        expect(stored.notices![0].text).toContain('李文华主治医师');
        expect(stored.notices![0].text).toContain('不受退号时间限制');
      } else {
        expect(stored.doctorId.toHexString()).toBe(world.fixture.clinic.doctorId);
        expect(stored.active).toBeUndefined();
      }
    }
    // Numbers in the colleague's session: every place-holding appointment has its own, and each slot's holders match.
    const slots = await slotsOf(world.host.runtime.db).find({ scheduleId: new ObjectId(colleagueSession.scheduleId) }).toArray();
    const holders = await appointmentsOf(world.host.runtime.db).find({ scheduleId: new ObjectId(colleagueSession.scheduleId), active: true }).toArray();
    expect(holders).toHaveLength(8 + 2);
    const numbers = holders.map((entry) => entry.number);
    expect(numbers.every((number) => typeof number === 'number')).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(slots.reduce((sum, slot) => sum + slot.holders.length, 0)).toBe(holders.length);
    for (const slot of slots) expect(slot.remaining + slot.holders.length).toBe(slot.capacity);
    for (const slot of await slotsOf(world.host.runtime.db).find({ scheduleId: new ObjectId(world.fixture.scheduleId) }).toArray()) expect(slot.holders).toEqual([]);

    // An hour before the window the usual cutoff (60 minutes) has passed: the moved patient may still cancel, refunded at once; the colleague's own patient may not.
    const paid = world.fixture.patients.find((entry) => entry.kind === 'paid')!;
    const movedStart = (await appointmentsOf(world.host.runtime.db).findOne({ _id: new ObjectId(paid.appointmentId) }))!.start;
    world.host.runtime.clock.set(new Date(movedStart.getTime() - 30 * 60_000));
    const view = dataOf<{ appointment: { cancel: { allowed: boolean; rule: string } } }>(await callAs(bookingMain, paid.openid, { action: 'get', appointmentId: paid.appointmentId }));
    expect(view.appointment.cancel.allowed).toBe(true);
    const cancelled = dataOf<{ appointment: { status: string } }>(await callAs(bookingMain, paid.openid, { action: 'cancel', appointmentId: paid.appointmentId }));
    expect(cancelled.appointment.status).toBe('cancelled');
    const order = (await paymentsOf(world.host.runtime.db).findOne({ _id: paid.outTradeNo! }))!;
    expect(order.refund).toMatchObject({ reason: 'clinic_stopped' });
    expect(order.refund!.status).not.toBe('queued');
    expect(await callAs(bookingMain, own[0].openid, { action: 'cancel', appointmentId: own[0].id })).toMatchObject({ ok: false, code: 'CANCEL_CUTOFF_PASSED' });
  });
});
