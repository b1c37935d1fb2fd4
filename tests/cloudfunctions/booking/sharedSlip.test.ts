// Sharing a slip with the family member who takes the patient: who may make a link, what the link shows
// to anyone holding it, and when it stops working.
import { main as userMain } from '../../../cloudfunctions/user';
import { booking, hold, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, admin, createClinic, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

interface Share {
  token: string;
  expiresAt: string;
  path: string;
}
interface Slip {
  status: string;
  comesIn: boolean;
  message: string;
  patientName: string;
  number: number | null;
  arriveBy: string | null;
  visitCode: { code: string; expiresAt: string } | null;
  linkExpiresAt: string;
}

describe('shared slips', () => {
  let runtime: TestRuntime;
  let clinic: TestClinic;
  let patient: QuickPatient;
  let appointmentId: string;

  const share = (openid: string, id = appointmentId) => booking(openid, { action: 'shareSlip', appointmentId: id });
  const open = (openid: string, token: string) => booking(openid, { action: 'sharedSlip', token });

  beforeEach(async () => {
    runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits: true });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    clinic = await createClinic({ places: 3, feeFen: 0 });
    patient = await quickPatient(runtime, 'patient-1', { name: '张秀英' });
    const [slot] = await slotIdsOn(clinic.doctorId, 2);
    appointmentId = (await hold(patient, slot)).appointment!.id;
  });
  afterEach(() => runtime.dispose());

  it('gives anyone holding the link a read-only slip with a masked name and a visit code valid through the visit window', async () => {
    const made = dataOf<Share>(await share(patient.openid));
    expect(made.path).toBe(`/pages/booking/shared/index?t=${encodeURIComponent(made.token)}`);
    const { appointment } = dataOf<{ appointment: { end: string } }>(await booking(patient.openid, { action: 'get', appointmentId }));
    expect(Date.parse(made.expiresAt)).toBe(Date.parse(appointment.end) + 60 * 60_000);

    // Whoever takes her reads the department's 就诊须知 too.
    await admin({ action: 'saveDepartment', id: clinic.departmentId, name: '皮肤科', locationId: 'opd-3b', preparation: '请带上皮疹的照片。' });
    const { slip } = dataOf<{ slip: Slip & Record<string, unknown> }>(await open('daughter-phone', made.token));
    expect(slip).toMatchObject({ status: 'booked', comesIn: true, patientName: '张*英', number: 1, arriveBy: '07:50', preparation: '请带上皮疹的照片。' });
    expect(Date.parse(slip.visitCode!.expiresAt)).toBe(Date.parse(made.expiresAt));
    // Far longer than the card holder's 5-minute code.
    expect(Date.parse(slip.visitCode!.expiresAt) - Date.now()).toBeGreaterThan(24 * 60 * 60_000);
    expect(JSON.stringify(slip)).not.toMatch(/张秀英|patientId|idNumber|phone/);
    expect(slip).not.toHaveProperty('cancel');
  });

  it('lets a stranger holding the link do nothing beyond reading it', async () => {
    const { token } = dataOf<Share>(await share(patient.openid));
    const stranger = await quickPatient(runtime, 'stranger');
    dataOf(await open(stranger.openid, token));
    for (const event of [
      { action: 'get', appointmentId },
      { action: 'cancel', appointmentId },
      { action: 'shareSlip', appointmentId },
    ]) {
      expect(await booking(stranger.openid, event)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    }
    // The appointment is untouched.
    const { appointment } = dataOf<{ appointment: { status: string } }>(await booking(patient.openid, { action: 'get', appointmentId }));
    expect(appointment.status).toBe('booked');
  });

  it('refuses a token pointed at another appointment, a forged one, and bad input, in Chinese', async () => {
    const { token } = dataOf<Share>(await share(patient.openid));
    const [, second] = await slotIdsOn(clinic.doctorId, 3);
    const other = (await hold(patient, second)).appointment!.id;
    const [prefix, , expires, signature] = token.split('.');
    const pointed = await open('someone', [prefix, other, expires, signature].join('.'));
    expect(pointed).toMatchObject({ ok: false, code: 'SLIP_LINK_INVALID', message: expect.stringMatching(/重新分享/) });
    for (const bad of ['', 'YS1.x', `${token}x`, 'a'.repeat(201), 42, null, { $gt: '' }]) {
      expect(await booking('someone', { action: 'sharedSlip', token: bad })).toMatchObject({ ok: false });
    }
  });

  it('says in Chinese that the visit is over once the window and its hour of grace have passed', async () => {
    const { token, expiresAt } = dataOf<Share>(await share(patient.openid));
    runtime.clock.set(new Date(Date.parse(expiresAt) + 1000));
    expect(await open('daughter-phone', token)).toMatchObject({ ok: false, code: 'SLIP_LINK_EXPIRED', message: expect.stringMatching(/就诊的时间已经过了/) });
  });

  it('never tells anyone to come in once cancelled, and a cancelled appointment cannot be shared', async () => {
    const { token } = dataOf<Share>(await share(patient.openid));
    dataOf(await booking(patient.openid, { action: 'cancel', appointmentId }));
    const { slip } = dataOf<{ slip: Slip }>(await open('daughter-phone', token));
    expect(slip).toMatchObject({ status: 'cancelled', comesIn: false, number: null, arriveBy: null, visitCode: null });
    expect(slip.message).not.toMatch(/提前|候诊|签到/);
    expect(await share(patient.openid)).toMatchObject({ ok: false, code: 'SLIP_NOT_SHAREABLE' });
    // The owner's own view drops the number too.
    const { appointment } = dataOf<{ appointment: { number: number | null; comesIn: boolean } }>(await booking(patient.openid, { action: 'get', appointmentId }));
    expect(appointment).toMatchObject({ number: null, comesIn: false });
  });

  it('limits how many links an account makes and how often one account opens links', async () => {
    for (let i = 0; i < 20; i++) dataOf(await share(patient.openid));
    expect(await share(patient.openid)).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    for (let i = 0; i < 30; i++) await open('scraper', 'YS1.guess');
    expect(await open('scraper', 'YS1.guess')).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  });
});
