/**
 * 爽约 record on the card (A3): the people who manage a card read its no-shows (when, where, waived or not) and
 * the restriction they cause, in the words a refused booking uses; a clean card shows nothing; anybody else
 * gets the answer of a card that does not exist; bad input and a polling script are refused.
 */
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { markNoShows } from '../../../cloudfunctions/shared/clinicDay/noShows';
import { createContext } from '../../../cloudfunctions/shared/context';
import { linkId, linksOf } from '../../../cloudfunctions/shared/patients/patientRepository';
import { RATE_RULES } from '../../../cloudfunctions/shared/rateLimit';
import { loginUser } from '../../../cloudfunctions/shared/users/userRepository';
import { hold, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

const beijing = (clock: string, offset = 0) => new Date(`${dayFromToday(offset)}T${clock}:00+08:00`);
/** "12 月 30 日" for the day `offset` days from today, as the sentence spells it. */
const spaced = (offset: number) => {
  const [, month, day] = dayFromToday(offset).split('-').map(Number);
  return `${month} 月 ${day} 日`;
};

interface RecordView {
  noShows: { appointmentId: string; date: string; when: string; departmentName: string; doctorName: string; waived: boolean; label: string }[];
  noShowsThisYear: number;
  restriction: { reopensOn: string; message: string } | null;
}

describe('patient.noShowRecord', () => {
  let runtime: TestRuntime;
  let owner: QuickPatient;
  let other: QuickPatient;
  const daughter = 'record-daughter';

  const recordOf = async (openid: string, patientId: string) => dataOf<{ record: RecordView }>(await callAs(patientMain, openid, { action: 'noShowRecord', patientId })).record;

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits: true });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    runtime.clock.set(beijing('07:00'));
    owner = await quickPatient(runtime, 'record-owner');
    other = await quickPatient(runtime, 'record-other');
    // A daughter's account manages the owner's card too.
    const user = await loginUser(runtime.db, { openid: daughter, appid: 'wx-test-app' }, { now: new Date(), grantAdmin: false });
    const patientId = new ObjectId(owner.patientId);
    await linksOf(runtime.db).insertOne({ _id: linkId(user._id, patientId), userId: user._id, patientId, role: 'manager', relation: 'parent', via: 'invite', createdAt: new Date() });
  });
  afterEach(() => runtime.dispose());

  it('shows two no-shows recorded by the timer, one waived by staff, and the restriction as it then stands', async () => {
    const { doctorId } = await createClinic({ places: 4, feeFen: 0 });
    const today = (await hold(owner, (await slotIdsOn(doctorId, 0))[3])).appointment!.id;
    const tomorrow = (await hold(owner, (await slotIdsOn(doctorId, 1))[0])).appointment!.id;
    expect(await recordOf(owner.openid, owner.patientId)).toEqual({ noShows: [], noShowsThisYear: 0, restriction: null });

    // The timer runs after tomorrow's session and its grace: both are no-shows.
    runtime.clock.set(beijing('11:00', 1));
    expect(await markNoShows(createContext({ runtime, identity: null }))).toEqual({ marked: 2 });
    const both = await recordOf(owner.openid, owner.patientId);
    // The 2nd of the year restricts for 60 days from its date, tomorrow.
    const sentence = `您在今年已有 2 次预约未就诊，${spaced(61)}前暂不能在线预约；如有特殊情况，请到门诊服务台说明。`;
    expect(both.restriction).toEqual({ reopensOn: dayFromToday(61), message: sentence });
    expect(both.noShowsThisYear).toBe(2);
    expect(both.noShows.map((entry) => [entry.appointmentId, entry.date, entry.waived, entry.label])).toEqual([
      [tomorrow, dayFromToday(1), false, '未按时就诊'],
      [today, dayFromToday(0), false, '未按时就诊'],
    ]);
    expect(both.noShows[0]).toMatchObject({ departmentName: '皮肤科', doctorName: '王建国' });
    expect(both.noShows[0].when).toMatch(/^\d+月\d+日 上午 08:00-08:30$/);
    // The same words the booking refusal uses, on every account that manages the card.
    const refusal = await callAs(bookingMain, daughter, { action: 'hold', slotId: (await slotIdsOn(doctorId, 3))[0], patientId: owner.patientId, requestId: new ObjectId().toHexString() });
    expect(refusal).toMatchObject({ ok: false, code: 'PATIENT_RESTRICTED', message: sentence });
    expect(await recordOf(daughter, owner.patientId)).toEqual(both);

    // Staff waive tomorrow's: it stays listed as waived, and the first alone restricts for 30 days from today.
    dataOf(await callAs(adminMain, ADMIN, { action: 'waiveNoShow', appointmentId: tomorrow, reason: '患者突发急病住院' }));
    const one = await recordOf(owner.openid, owner.patientId);
    expect(one.noShows.map((entry) => [entry.appointmentId, entry.waived, entry.label])).toEqual([
      [tomorrow, true, '已由医院免除，不影响预约'],
      [today, false, '未按时就诊'],
    ]);
    expect(one.noShowsThisYear).toBe(1);
    expect(one.restriction).toEqual({ reopensOn: dayFromToday(30), message: `您在今年已有 1 次预约未就诊，${spaced(30)}前暂不能在线预约；如有特殊情况，请到门诊服务台说明。` });

    // Both waived: still listed, and nothing restricts any more.
    dataOf(await callAs(adminMain, ADMIN, { action: 'waiveNoShow', appointmentId: today, reason: '医院叫号系统故障' }));
    const cleared = await recordOf(owner.openid, owner.patientId);
    expect(cleared.restriction).toBeNull();
    expect(cleared.noShows.every((entry) => entry.waived)).toBe(true);
    // A card with no no-shows has nothing to show.
    expect(await recordOf(other.openid, other.patientId)).toEqual({ noShows: [], noShowsThisYear: 0, restriction: null });
  });

  it('answers anybody who does not manage the card as for a card that does not exist, and refuses bad input', async () => {
    const missing = await callAs(patientMain, other.openid, { action: 'noShowRecord', patientId: new ObjectId().toHexString() });
    expect(missing).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const theirs = await callAs(patientMain, other.openid, { action: 'noShowRecord', patientId: owner.patientId });
    expect({ ...theirs, requestId: undefined }).toEqual({ ...missing, requestId: undefined });
    expect(await callAs(patientMain, null, { action: 'noShowRecord', patientId: owner.patientId })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    // After the owner removes the daughter, she gets the same answer.
    await linksOf(runtime.db).deleteMany({ patientId: new ObjectId(owner.patientId), role: 'manager' });
    expect(await callAs(patientMain, daughter, { action: 'noShowRecord', patientId: owner.patientId })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const bad: unknown[] = [undefined, null, 42, '', 'x'.repeat(65), { $ne: null }, ['a'], owner.patientId.toUpperCase(), `${owner.patientId} `];
    for (const patientId of bad) {
      const answer = await callAs(patientMain, owner.openid, { action: 'noShowRecord', patientId });
      expect(answer).toMatchObject({ ok: false });
      expect(['INVALID_PARAMS', 'NOT_FOUND']).toContain((answer as { code: string }).code);
      expect(JSON.stringify(answer)).not.toMatch(/at \w+ \(|Error:/);
    }
  });

  it('refuses a script reading the record faster than a person would, and no one else', async () => {
    for (let i = 0; i < RATE_RULES.noShowRecordPerUser.limit; i++) await recordOf(owner.openid, owner.patientId);
    expect(await callAs(patientMain, owner.openid, { action: 'noShowRecord', patientId: owner.patientId })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(await recordOf(daughter, owner.patientId)).toMatchObject({ restriction: null });
    runtime.clock.advance(RATE_RULES.noShowRecordPerUser.windowMs);
    expect(await recordOf(owner.openid, owner.patientId)).toMatchObject({ noShows: [] });
  });
});
