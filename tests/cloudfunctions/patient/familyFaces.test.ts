// 家人共享 with faces: the owner sees each family member as a name they recognize and what each did for the card.
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { booking, slotIdsOn, newRequestId } from '../../support/booking';
import { ADMIN, createClinic, seedHospital } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

interface CardWithFaces {
  id: string;
  managers?: { userId: string; name: string; role: string }[];
  activity?: { at: string; who: string; what: string }[];
}

describe('family faces on a card', () => {
  let his: TestHis;
  let runtime: TestRuntime;
  const call = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);
  const cardOf = async (openid: string, patientId: string) => dataOf<{ patient: CardWithFaces }>(await call(openid, { action: 'get', patientId })).patient;

  beforeAll(async () => {
    his = await startTestHis();
  });
  afterAll(() => his.standIn.close());
  beforeEach(async () => {
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] }, { his: his.client });
    for (const openid of ['son', 'daughter', 'stranger', ADMIN]) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(runtime);
  });
  afterEach(() => runtime.dispose());

  it('names each manager by relation and own card, lists who booked and cancelled, and shows nothing of it to others', async () => {
    const clinic = await createClinic({ places: 3, feeFen: 0 });
    await bindAs('son', PEOPLE.son);
    const grandmother = await bindAs('son', PEOPLE.grandmother, 'parent');
    await bindAs('daughter', PEOPLE.aunt);
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: grandmother.id }));
    dataOf(await call('daughter', { action: 'accept', code, relation: 'parent' }));

    const [slot] = await slotIdsOn(clinic.doctorId, 2);
    const held = dataOf<{ appointment: { id: string } }>(await booking('daughter', { action: 'hold', slotId: slot, patientId: grandmother.id, requestId: newRequestId() }));
    dataOf(await booking('daughter', { action: 'cancel', appointmentId: held.appointment.id }));

    const seen = await cardOf('son', grandmother.id);
    const daughter = seen.managers!.find((manager) => manager.role === 'manager')!;
    expect(daughter.name).toBe('张秀英的子女 李*芳');
    expect(seen.managers!.find((manager) => manager.role === 'owner')!.name).toBe('您');
    const lines = seen.activity!.map((entry) => `${entry.who}${entry.what}`);
    expect(lines[0]).toMatch(/^张秀英的子女 李\*芳取消了王建国医生 \d+月\d+日 08:00 的号$/);
    expect(lines[1]).toMatch(/^张秀英的子女 李\*芳预约了王建国医生 \d+月\d+日 08:00 的号$/);
    expect(lines[2]).toBe('张秀英的子女 李*芳加入了管理这张就诊卡');

    // The manager and a stranger see neither the family nor the activity.
    const managerView = await cardOf('daughter', grandmother.id);
    expect(managerView.managers).toBeUndefined();
    expect(managerView.activity).toBeUndefined();
    expect(await call('stranger', { action: 'get', patientId: grandmother.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    // Removed: the history keeps what she did, and says who removed whom.
    const after = dataOf<{ patient: CardWithFaces }>(await call('son', { action: 'revokeManager', patientId: grandmother.id, userId: daughter.userId })).patient;
    expect(after.managers!.map((manager) => manager.name)).toEqual(['您']);
    expect(after.activity![0]).toMatchObject({ who: '您', what: '移除了已不再管理的家人' });
    expect(after.activity!.some((entry) => entry.who === '已不再管理的家人' && entry.what.startsWith('预约了王建国医生'))).toBe(true);
  });

  it('says so when a manager has no card of their own', async () => {
    const grandmother = await bindAs('son', PEOPLE.grandmother, 'parent');
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: grandmother.id }));
    dataOf(await call('stranger', { action: 'accept', code, relation: 'other' }));
    const seen = await cardOf('son', grandmother.id);
    expect(seen.managers!.map((manager) => manager.name)).toEqual(['您', '张秀英的家人（还没有登记自己的就诊卡）']);
  });

  it('tells a person who typed 8 characters which ones codes never use, not that codes have 8 characters', async () => {
    const refused = await call('stranger', { action: 'accept', code: 'ABCD EFG0' });
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(JSON.stringify(refused)).toContain('不会有数字 0、1');
    expect(JSON.stringify(await call('stranger', { action: 'accept', code: 'ABCDEFG' }))).toContain('8 位');
  });
});
