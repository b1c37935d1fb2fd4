/**
 * 爽约 (A3): the timer marks a booked, unchecked appointment once its session is over plus the grace period;
 * the person is then refused online booking on every account that manages the card, with the sentence that
 * says why and until when; staff waive it with a reason (audited) and booking opens again.
 */
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { markNoShows } from '../../../cloudfunctions/shared/clinicDay/noShows';
import { createContext } from '../../../cloudfunctions/shared/context';
import { linkId, linksOf } from '../../../cloudfunctions/shared/patients/patientRepository';
import { loginUser } from '../../../cloudfunctions/shared/users/userRepository';
import { hold, newRequestId, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

const beijing = (clock: string, offset = 0) => new Date(`${dayFromToday(offset)}T${clock}:00+08:00`);

describe('no-shows and penalties', () => {
  let runtime: TestRuntime;
  let owner: QuickPatient;
  let daughter: string;
  let other: QuickPatient;
  let doctorId: string;
  let missed: string;
  let attended: string;

  const sweep = () => markNoShows(createContext({ runtime, identity: null }));
  const holdTomorrow = async (openid: string, patientId: string) => callAs(bookingMain, openid, { action: 'hold', slotId: (await slotIdsOn(doctorId, 1))[0], patientId, requestId: newRequestId() });

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    doctorId = (await createClinic({ places: 4, feeFen: 0 })).doctorId;
    runtime.clock.set(beijing('07:00'));
    owner = await quickPatient(runtime, 'noshow-owner');
    other = await quickPatient(runtime, 'noshow-other');
    // A daughter's account manages the same card.
    daughter = 'noshow-daughter';
    const user = await loginUser(runtime.db, { openid: daughter, appid: 'wx-test-app' }, { now: new Date(), grantAdmin: false });
    const patientId = new ObjectId(owner.patientId);
    await linksOf(runtime.db).insertOne({ _id: linkId(user._id, patientId), userId: user._id, patientId, role: 'manager', relation: 'parent', via: 'invite', createdAt: new Date() });
    const slots = await slotIdsOn(doctorId, 0);
    missed = (await hold(owner, slots[3])).appointment!.id; // 09:30-10:00, the session's last window
    attended = (await hold(other, slots[0])).appointment!.id;
    runtime.clock.set(beijing('07:45'));
    dataOf(await callAs(bookingMain, other.openid, { action: 'checkIn', appointmentId: attended }));
  });
  afterEach(() => runtime.dispose());

  it('marks the no-show at session end plus grace, refuses the person on every account, and lifts it when waived', async () => {
    // The session ends at 10:00; the grace is 60 minutes.
    runtime.clock.set(beijing('10:59'));
    expect(await sweep()).toEqual({ marked: 0 });
    runtime.clock.set(beijing('11:00'));
    expect(await sweep()).toEqual({ marked: 1 });
    expect(await sweep()).toEqual({ marked: 0 });
    expect(await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(missed) })).toMatchObject({ status: 'no_show' });
    expect(await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(attended) })).toMatchObject({ status: 'checked_in' });

    // 1st no-show of the year: 30 days, reopening 30 days after today.
    const reopens = new Date(`${dayFromToday(30)}T12:00:00+08:00`);
    const sentence = `您在今年已有 1 次预约未就诊，${reopens.getUTCMonth() + 1} 月 ${reopens.getUTCDate()} 日前暂不能在线预约；如有特殊情况，请到门诊服务台说明。`;
    expect(await holdTomorrow(owner.openid, owner.patientId)).toMatchObject({ ok: false, code: 'PATIENT_RESTRICTED', message: sentence });
    expect(await holdTomorrow(daughter, owner.patientId)).toMatchObject({ ok: false, code: 'PATIENT_RESTRICTED', message: sentence });
    expect(await holdTomorrow(other.openid, other.patientId)).toMatchObject({ ok: true });

    // The slip says it plainly.
    const slip = dataOf<{ appointment: { statusLabel: string } }>(await callAs(bookingMain, owner.openid, { action: 'get', appointmentId: missed }));
    expect(slip.appointment.statusLabel).toBe('已爽约');

    // Staff waive it; the patient books again, from either account.
    expect(await callAs(adminMain, owner.openid, { action: 'waiveNoShow', appointmentId: missed, reason: '患者突发急病住院' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    for (const bad of [{ reason: '' }, { reason: 'x'.repeat(101) }, { appointmentId: 'nope' }, { appointmentId: { $ne: null } }, { reason: null }]) {
      expect(await callAs(adminMain, ADMIN, { action: 'waiveNoShow', appointmentId: missed, reason: '患者突发急病住院', ...bad })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    }
    expect(await callAs(adminMain, ADMIN, { action: 'waiveNoShow', appointmentId: attended, reason: '患者突发急病住院' })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    const waived = dataOf<{ penalty: { restricted: boolean }; message: string }>(await callAs(adminMain, ADMIN, { action: 'waiveNoShow', appointmentId: missed, reason: '患者突发急病住院' }));
    expect(waived).toMatchObject({ penalty: { restricted: false }, message: '已免除这次爽约，这位患者现在可以在网上预约了。' });
    expect(await callAs(adminMain, ADMIN, { action: 'waiveNoShow', appointmentId: missed, reason: '患者突发急病住院' })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });
    const audit = await runtime.db.collection('audit').findOne({ action: 'admin.waiveNoShow' });
    expect(audit).toMatchObject({ patientId: new ObjectId(owner.patientId), details: { appointmentId: missed, reason: '患者突发急病住院' } });
    expect(await holdTomorrow(daughter, owner.patientId)).toMatchObject({ ok: true });
  });
});
