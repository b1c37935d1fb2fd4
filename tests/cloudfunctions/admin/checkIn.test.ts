/**
 * 签到 (A3): staff check a patient in by visit code or typed appointment id; patients check themselves in
 * inside their window (edges at the minute, on the business clock); the queue position is live; a
 * checked-in appointment can no longer be cancelled.
 */
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { hold, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

const beijing = (clock: string) => new Date(`${dayFromToday(0)}T${clock}:00+08:00`);

interface CounterAppointment {
  id: string;
  status: string;
  number: number;
  canCheckIn: boolean;
  refusal: string | null;
  queue: { ahead: number; sentence: string } | null;
}

describe('check-in', () => {
  let runtime: TestRuntime;
  let people: QuickPatient[];
  let ids: string[];

  const self = (who: QuickPatient, appointmentId: string) => callAs(bookingMain, who.openid, { action: 'checkIn', appointmentId });
  const slip = async (who: QuickPatient, appointmentId: string) =>
    dataOf<{ appointment: { status: string; message: string; queue: { ahead: number; sentence: string } | null; cancel: { allowed: boolean } } }>(await callAs(bookingMain, who.openid, { action: 'get', appointmentId })).appointment;
  const lookup = (code: string, caller = ADMIN) => callAs(adminMain, caller, { action: 'checkInLookup', code });

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    const clinic = await createClinic({ places: 4, feeFen: 0 });
    runtime.clock.set(beijing('07:00'));
    const slots = await slotIdsOn(clinic.doctorId, 0);
    people = await Promise.all([0, 1, 2, 3].map((i) => quickPatient(runtime, `checkin-${i}`)));
    ids = [];
    // Numbers 1, 2, 3 in the 08:00 window; number 5 in the 08:30 window.
    for (const [i, who] of people.entries()) ids.push((await hold(who, slots[i < 3 ? 0 : 1])).appointment!.id);
  });
  afterEach(() => runtime.dispose());

  it('checks a patient in by visit code, self check-in at the edges of the window, queue positions live, no cancel after', async () => {
    // At the counter: the patient shows the visit code.
    const { code } = dataOf<{ code: string }>(await callAs(patientMain, people[2].openid, { action: 'visitCode', patientId: people[2].patientId }));
    const found = dataOf<{ patient: { name: string }; appointments: CounterAppointment[]; message: string }>(await lookup(code));
    expect(found.appointments).toHaveLength(1);
    expect(found.appointments[0]).toMatchObject({ id: ids[2], status: 'booked', number: 3, canCheckIn: true, refusal: null });
    const checked = dataOf<{ appointment: CounterAppointment; message: string }>(await callAs(adminMain, ADMIN, { action: 'checkIn', appointmentId: ids[2] }));
    expect(checked.appointment).toMatchObject({ status: 'checked_in', canCheckIn: false, queue: { ahead: 0 } });
    expect(checked.message).toBe('已签到，下一位就是您，请留意叫号。');
    expect(await callAs(adminMain, ADMIN, { action: 'checkIn', appointmentId: ids[2] })).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION' });

    // Self check-in for the 08:30 window: opens at 07:30.
    runtime.clock.set(beijing('07:29'));
    expect(await self(people[3], ids[3])).toMatchObject({ ok: false, code: 'CHECK_IN_TOO_EARLY', message: expect.stringContaining('07:30 以后') });
    runtime.clock.set(beijing('07:30'));
    const selfChecked = dataOf<{ appointment: { status: string; queue: { ahead: number; sentence: string } } }>(await self(people[3], ids[3]));
    expect(selfChecked.appointment).toMatchObject({ status: 'checked_in', queue: { ahead: 1, sentence: '已签到，前面还有 1 人，请留意叫号。' } });

    // The 08:00 window closes for self check-in at 08:15.
    runtime.clock.set(beijing('08:14'));
    expect(dataOf<{ appointment: { status: string } }>(await self(people[0], ids[0])).appointment.status).toBe('checked_in');
    runtime.clock.set(beijing('08:15'));
    expect(await self(people[1], ids[1])).toMatchObject({ ok: false, code: 'CHECK_IN_TOO_LATE', message: expect.stringContaining('门诊服务台') });

    // Live: number 1 checked in ahead of number 5, so two are ahead now.
    const later = await slip(people[3], ids[3]);
    expect(later.queue).toEqual({ ahead: 2, sentence: '已签到，前面还有 2 人，请留意叫号。' });
    expect(later.message).toContain('前面还有 2 人');
    expect(later.cancel.allowed).toBe(false);

    // No cancel after check-in.
    expect(await callAs(bookingMain, people[2].openid, { action: 'cancel', appointmentId: ids[2] })).toMatchObject({
      ok: false,
      code: 'ILLEGAL_TRANSITION',
      message: '这个预约已经签到，不能再退号；如需退费，请到医院窗口咨询。',
    });

    // Staff may still check the late one in at the counter, found by the typed appointment id.
    const typed = dataOf<{ appointments: CounterAppointment[] }>(await lookup(ids[1]));
    expect(typed.appointments[0]).toMatchObject({ id: ids[1], canCheckIn: true });
    expect(dataOf<{ appointment: CounterAppointment }>(await callAs(adminMain, ADMIN, { action: 'checkIn', appointmentId: ids[1] })).appointment.queue).toEqual({ ahead: 1, sentence: '已签到，前面还有 1 人，请留意叫号。' });
  });

  it('refuses expired and forged codes, other people, patients at the admin actions, bad input and a flood', async () => {
    const { code } = dataOf<{ code: string }>(await callAs(patientMain, people[0].openid, { action: 'visitCode', patientId: people[0].patientId }));
    expect(await lookup(`${code.slice(0, -2)}xx`)).toMatchObject({ ok: false, code: 'VISIT_CODE_INVALID' });
    for (const bad of ['', ' ', 'x'.repeat(201), 42, null, { $ne: null }, ['a']]) expect(await callAs(adminMain, ADMIN, { action: 'checkInLookup', code: bad })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    for (const bad of ['', 'nope', 42, null, { $gt: '' }]) expect(await callAs(adminMain, ADMIN, { action: 'checkIn', appointmentId: bad })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(await lookup('0123456789abcdef01234567')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    runtime.clock.advance(6 * 60_000);
    expect(await lookup(code)).toMatchObject({ ok: false, code: 'VISIT_CODE_EXPIRED' });

    // A patient cannot use the counter actions, nor check in someone else's appointment.
    expect(await lookup(ids[0], people[0].openid)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await callAs(adminMain, people[0].openid, { action: 'checkIn', appointmentId: ids[0] })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    runtime.clock.set(beijing('07:45'));
    expect(await self(people[1], ids[0])).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await slip(people[0], ids[0])).status).toBe('booked');

    // Tapping on and on: the eleventh try in a minute (the one above counts) is slowed down.
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await self(people[1], ids[1]));
    expect(answers[0]).toMatchObject({ ok: true });
    expect(answers.slice(1, 9).every((answer) => !answer.ok && answer.code === 'ILLEGAL_TRANSITION')).toBe(true);
    expect(answers[9]).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });
});
