// The card-churn attack, black-box through the local host as it was found: one account binds a card,
// holds a place, unbinds, binds the next ID and holds again, twelve times on one doctor's day. Before,
// it took 12 of 12 places and the unbound cards' bookings could no longer be seen or cancelled.
import { ObjectId } from 'mongodb';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { newRequestId, slotIdsOn } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, type TestClinic } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { postToHost } from '../../support/hostApi';
import { bindThroughProof, person } from '../../support/patients';
import type { Result } from '../../../cloudfunctions/shared/errors';
import { callAs, dataOf } from '../../support/runtime';

jest.setTimeout(60_000);

const SCALPER = 'scalper-account';

describe('card churn through the local host', () => {
  let his: TestHis;
  let host: TestHost;
  let clinic: TestClinic;

  beforeAll(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    host = await startTestHost({ his: his.client, adminOpenids: [ADMIN] });
    // The per-minute rate limits (X1) would also slow a script this fast; they are off here so the test
    // shows the card rules alone hold.
    host.runtime.config.rateLimits = false;
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(host.runtime);
    clinic = await createClinic({ places: 3, feeFen: 0 }); // 4 slots of 3: twelve places on the doctor's day
  });
  afterAll(async () => {
    await host.close();
    await his.standIn.close();
  });

  const api = <T>(fn: string, body: Record<string, unknown>) => postToHost<T>(host.url, SCALPER, fn, body);

  it('books no more than the quotas allow, and every booking stays visible and cancellable', async () => {
    await api('user', { action: 'login' });
    const slots = await slotIdsOn(clinic.doctorId, 2);
    const outcomes: string[] = [];
    for (let round = 0; round < 12; round++) {
      // bind, then the code sent to the typed phone, as the app does.
      const bound = await bindThroughProof((event) => api('patient', event) as Promise<Result<unknown>>, host.runtime.smsStandIn!, { ...person(round), relation: 'other' });
      if (!bound.ok) {
        outcomes.push(`bind:${bound.code}`);
        continue;
      }
      const patientId = (bound.data as { patient: { id: string } }).patient.id;
      const held = await api<{ outcome: string }>('booking', { action: 'hold', slotId: slots[round % slots.length], patientId, requestId: newRequestId() });
      const unbound = await api('patient', { action: 'unbind', patientId });
      outcomes.push(`hold:${held.ok ? held.data!.outcome : held.code} unbind:${unbound.ok ? 'ok' : unbound.code}`);
    }
    expect(outcomes).toEqual([
      'hold:booked unbind:UNBIND_HAS_APPOINTMENTS',
      'hold:booked unbind:UNBIND_HAS_APPOINTMENTS',
      'hold:booked unbind:UNBIND_HAS_APPOINTMENTS',
      'hold:BOOKING_PEOPLE_LIMIT unbind:ok',
      'hold:BOOKING_PEOPLE_LIMIT unbind:ok',
      ...Array(7).fill('bind:NEW_CARD_LIMIT'),
    ]);

    // Three of twelve places taken, all by cards the account still holds.
    const day = await slotsOf(host.runtime.db).find({ doctorId: new ObjectId(clinic.doctorId), date: dayFromToday(2) }).toArray();
    expect(day.reduce((sum, slot) => sum + slot.capacity - slot.remaining, 0)).toBe(3);
    const cards = await api<{ patients: { id: string }[] }>('patient', { action: 'list' });
    const made = await appointmentsOf(host.runtime.db).find({ active: true }).toArray();
    expect(made).toHaveLength(3);
    for (const appointment of made) expect(cards.data!.patients.map((card) => card.id)).toContain(appointment.patientId.toHexString());

    const listed = await api<{ appointments: { id: string; status: string; cancel: { allowed: boolean } }[] }>('booking', { action: 'list' });
    expect(listed.data!.appointments.map((appointment) => appointment.id).sort()).toEqual(made.map((appointment) => appointment._id.toHexString()).sort());
    for (const appointment of listed.data!.appointments) {
      expect(appointment.cancel.allowed).toBe(true);
      const cancelled = await api<{ appointment: { status: string } }>('booking', { action: 'cancel', appointmentId: appointment.id });
      expect(cancelled.data?.appointment.status).toBe('cancelled');
    }
    const after = await slotsOf(host.runtime.db).find({ doctorId: new ObjectId(clinic.doctorId), date: dayFromToday(2) }).toArray();
    expect(after).toHaveLength(day.length);
    expect(after.every((slot) => slot.remaining === slot.capacity)).toBe(true);
    // Now the cards can go.
    expect(cards.data!.patients.length).toBeGreaterThan(0);
    for (const card of cards.data!.patients) expect((await api('patient', { action: 'unbind', patientId: card.id })).ok).toBe(true);
  });
});
