/**
 * Patient look-up for staff (A3, A5): by name + last 4 of the ID, card, appointment or visit code; every
 * look-up audited with the staff member and the reason; numbers masked; the audit trail filtered by actor,
 * card, action and date.
 */
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { hold, slotIdsOn } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, person } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

interface Person {
  patient: { id: string; name: string; idNumber: string; phone: string; managers: number };
  appointments: { id: string; statusLabel: string }[];
  restriction: { restricted: boolean; message: string };
  payments: unknown[];
}

describe('admin.lookupPatient and admin.audit', () => {
  let his: TestHis;
  let runtime: TestRuntime;
  const lookup = (query: Record<string, unknown>, caller = ADMIN) => callAs(adminMain, caller, { action: 'lookupPatient', reason: 'counter_service', ...query });

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] }, { his: his.client });
    for (const openid of [ADMIN, 'lookup-patient']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(runtime);
  });
  afterEach(async () => {
    await runtime.dispose();
    await his.standIn.close();
  });

  it('finds the person four ways, masks the numbers, and audits each look-up with its reason', async () => {
    const who = person(7);
    const card = await bindAs('lookup-patient', who);
    const { doctorId } = await createClinic({ places: 2, feeFen: 0 });
    const appointment = (await hold({ openid: 'lookup-patient', patientId: card.id }, (await slotIdsOn(doctorId, 1))[0])).appointment!;
    const { code } = dataOf<{ code: string }>(await callAs(patientMain, 'lookup-patient', { action: 'visitCode', patientId: card.id }));

    const byName = dataOf<{ people: Person[]; reasonLabel: string }>(await lookup({ by: 'nameId', name: who.name, idLast4: who.idNumber.slice(-4) }));
    expect(byName.people).toHaveLength(1);
    const found = byName.people[0];
    expect(found.patient).toMatchObject({ id: card.id, name: who.name, managers: 1 });
    expect(found.patient.idNumber).toBe(`${who.idNumber.slice(0, 4)}**********${who.idNumber.slice(-4)}`);
    expect(found.patient.phone).toBe(`${who.phone.slice(0, 3)}****${who.phone.slice(-4)}`);
    expect(JSON.stringify(byName)).not.toContain(who.idNumber);
    expect(JSON.stringify(byName)).not.toContain(who.phone);
    expect(found.appointments).toEqual([expect.objectContaining({ id: appointment.id, statusLabel: '已预约' })]);
    expect(found.restriction).toMatchObject({ restricted: false });

    for (const query of [{ by: 'card', patientId: card.id }, { by: 'appointment', appointmentId: appointment.id }, { by: 'visitCode', code }]) {
      expect(dataOf<{ people: Person[] }>(await lookup({ ...query, reason: 'refund_inquiry' })).people[0].patient.id).toBe(card.id);
    }
    // A wrong last 4 finds nobody, and is audited all the same.
    expect(await lookup({ by: 'nameId', name: who.name, idLast4: '0000' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const trail = dataOf<{ entries: { action: string; patientId: string | null; details: { by: string; reason: string; matches: number } }[] }>(
      await callAs(adminMain, ADMIN, { action: 'audit', patientId: card.id }),
    );
    const lookups = trail.entries.filter((entry) => entry.action === 'admin.lookupPatient');
    expect(lookups.map((entry) => `${entry.details.by}:${entry.details.reason}`).sort()).toEqual(['appointment:refund_inquiry', 'card:refund_inquiry', 'nameId:counter_service', 'visitCode:refund_inquiry']);
    // The card's whole story: who booked for it, and who looked it up.
    expect(trail.entries.map((entry) => entry.action)).toContain('booking.hold');

    const byAction = dataOf<{ entries: { action: string; details: { matches: number } }[] }>(
      await callAs(adminMain, ADMIN, { action: 'audit', auditAction: 'admin.lookupPatient', from: dayFromToday(0), to: dayFromToday(0), limit: 200 }),
    );
    expect(byAction.entries).toHaveLength(5);
    expect(byAction.entries.every((entry) => entry.action === 'admin.lookupPatient')).toBe(true);
    expect(dataOf<{ entries: unknown[] }>(await callAs(adminMain, ADMIN, { action: 'audit', from: dayFromToday(-3), to: dayFromToday(-2) })).entries).toEqual([]);
  });

  it('refuses patients and bad input', async () => {
    const card = await bindAs('lookup-patient', person(8));
    expect(await lookup({ by: 'card', patientId: card.id }, 'lookup-patient')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await callAs(adminMain, 'lookup-patient', { action: 'audit' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const bad: Record<string, unknown>[] = [
      { by: 'card', patientId: card.id, reason: 'curiosity' },
      { by: 'card', patientId: card.id, reason: undefined },
      { by: 'card', patientId: { $ne: null } },
      { by: 'nameId', name: '张三', idLast4: '12' },
      { by: 'nameId', name: '', idLast4: '1234' },
      { by: 'nameId', name: { $regex: '.*' }, idLast4: '1234' },
      { by: 'phone', phone: '13800000000' },
      { by: 'visitCode', code: '' },
    ];
    for (const query of bad) expect(await lookup(query)).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(await lookup({ by: 'visitCode', code: 'YY1.forged' })).toMatchObject({ ok: false, code: 'VISIT_CODE_INVALID' });
    for (const query of [{ from: '2026/01/01' }, { auditAction: 'drop table' }, { auditAction: { $ne: null } }, { limit: 1000 }, { actorUserId: 'x' }]) {
      expect(await callAs(adminMain, ADMIN, { action: 'audit', ...query })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    }
  });
});
