// PATIENT_BINDS_PER_30_DAYS: new card links per account in any 30 days, counted from a durable record
// (unbinding gives nothing back), new cards, proof joins and invite accepts alike. Time is driven through the
// context's `now`, on the path that makes a new person's card once their phone is proven (createOwnedCard).
import { main as patientMain } from '../../../cloudfunctions/patient';
import { createOwnedCard, identifyPerson } from '../../../cloudfunctions/patient/bindPatient';
import { hospitalToday } from '../../../cloudfunctions/patient/cardView';
import { accept, unbind } from '../../../cloudfunctions/patient/family';
import { main as userMain } from '../../../cloudfunctions/user';
import { createContext, requireUser, type UserContext } from '../../../cloudfunctions/shared/context';
import { makeBindPatientSchema } from '../../../cloudfunctions/shared/domain/patientSchemas';
import { AppError } from '../../../cloudfunctions/shared/errors';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, person, type Card } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const DAY = 86_400_000;
const T0 = new Date('2026-12-01T02:00:00Z'); // 10:00 in Beijing

describe('new cards per 30 days', () => {
  let his: TestHis;
  let runtime: TestRuntime;
  beforeAll(async () => {
    his = await startTestHis();
  });
  afterAll(() => his.standIn.close());
  beforeEach(async () => {
    his.standIn.setMode('normal');
    runtime = await openTestRuntime({}, { his: his.client });
    for (const openid of ['churner', 'owner', 'relative']) dataOf(await callAs(userMain, openid, { action: 'login' }));
  });
  afterEach(() => runtime.dispose());

  const contextAt = (openid: string, now: Date): Promise<UserContext> =>
    requireUser(createContext({ runtime, identity: { openid, appid: 'wx-test-app' }, now }));
  const bindAt = async (openid: string, n: number, now: Date) => {
    const context = await contextAt(openid, now);
    const input = makeBindPatientSchema({ today: hospitalToday(context), guardianPathAllowed: true }).parse({ ...person(n), relation: 'other' });
    const card = await createOwnedCard(context, await identifyPerson(context, input), input.phone, input.relation, 'sms');
    if (!card) throw new Error('another account made this card');
    return card;
  };
  const refusal = (work: Promise<unknown>) =>
    work.then(
      () => 'bound',
      (error: unknown) => (error instanceof AppError ? error : Promise.reject(error)),
    );
  const unbindAt = async (openid: string, patientId: string, now: Date) => unbind(await contextAt(openid, now), patientId);

  it('allows five new cards in 30 days, unbinding gives none back, and the sixth opens exactly 30 days after the first', async () => {
    const bound = [];
    for (let i = 0; i < 5; i++) bound.push(await bindAt('churner', i, new Date(T0.getTime() + i * DAY)));
    const day5 = new Date(T0.getTime() + 5 * DAY);
    // Five cards is also the card limit: that is said first, since unbinding is what the person must do anyway.
    await expect(refusal(bindAt('churner', 5, day5))).resolves.toMatchObject({ code: 'PATIENT_LIMIT_REACHED' });

    await unbindAt('churner', bound[0]._id.toHexString(), day5);
    const refused = await refusal(bindAt('churner', 5, day5));
    expect(refused).toMatchObject({ code: 'NEW_CARD_LIMIT' });
    expect((refused as AppError).message).toBe('为保护就诊人的信息安全，一个账号 30 天内最多添加 5 位新的就诊人，您已经添加满了。请在12月31日 10:00以后再添加；如有急需，请到医院门诊服务台办理。');
    // Binding the card just unbound again is a new link too.
    await expect(refusal(bindAt('churner', 0, day5))).resolves.toMatchObject({ code: 'NEW_CARD_LIMIT' });

    await expect(refusal(bindAt('churner', 5, new Date(T0.getTime() + 30 * DAY - 1)))).resolves.toMatchObject({ code: 'NEW_CARD_LIMIT' });
    await expect(refusal(bindAt('churner', 5, new Date(T0.getTime() + 30 * DAY)))).resolves.toBe('bound');

    // The next one opens 30 days after the second bind (day 1), not before.
    await unbindAt('churner', bound[1]._id.toHexString(), new Date(T0.getTime() + 30 * DAY));
    await expect(refusal(bindAt('churner', 6, new Date(T0.getTime() + 31 * DAY - 1)))).resolves.toMatchObject({ code: 'NEW_CARD_LIMIT' });
    await expect(refusal(bindAt('churner', 6, new Date(T0.getTime() + 31 * DAY)))).resolves.toBe('bound');
    expect(await runtime.db.collection('patientLinks').countDocuments({})).toBe(5);
  });

  it('counts an accepted invite as a new card, and refuses an invite once the 30-day budget is spent', async () => {
    const grandmother = await bindAs('owner', person(100), 'parent');
    const invite = async () => dataOf<{ code: string }>(await callAs(patientMain, 'owner', { action: 'invite', patientId: grandmother.id })).code;

    const accepted = await accept(await contextAt('relative', T0), await invite(), 'parent');
    expect(accepted.link.role).toBe('manager');
    for (let i = 0; i < 4; i++) await bindAt('relative', 10 + i, T0); // 1 accepted + 4 bound = 5
    await unbindAt('relative', accepted.patient._id.toHexString(), T0);
    await expect(refusal(bindAt('relative', 20, T0))).resolves.toMatchObject({ code: 'NEW_CARD_LIMIT' });
    const code = await invite();
    await expect(refusal(accept(await contextAt('relative', T0), code, 'parent'))).resolves.toMatchObject({ code: 'NEW_CARD_LIMIT' });
    // The refused accept changed nothing: the invitation is still unused, the card count unchanged.
    expect(await runtime.db.collection('invites').countDocuments({ acceptedBy: { $exists: false } })).toBe(1);
    const relative = await runtime.db.collection('users').findOne({ _id: (await contextAt('relative', T0)).user._id });
    expect(relative?.patientCount).toBe(4);
  });

  it('gives the slot back when a bind fails (the HIS refused), so honest mistakes cost nothing', async () => {
    his.standIn.setMode('refuse');
    for (let i = 0; i < 7; i++) await expect(refusal(bindAt('churner', i, T0))).resolves.toMatchObject({ code: 'HIS_REFUSED' });
    his.standIn.setMode('normal');
    for (let i = 0; i < 5; i++) await expect(refusal(bindAt('churner', i, T0))).resolves.toBe('bound');
  });

  it('lets exactly five of eight parallel binds from one account through', async () => {
    runtime.config.patientCardLimit = 10;
    // One account has one pending code at a time, so eight parallel cards can only come from the creation path itself.
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        refusal(bindAt('churner', 200 + i, new Date())),
      ),
    );
    expect(answers.filter((answer) => answer === 'bound')).toHaveLength(5);
    expect(answers.filter((answer) => answer !== 'bound').map((answer) => (answer as AppError).code)).toEqual(['NEW_CARD_LIMIT', 'NEW_CARD_LIMIT', 'NEW_CARD_LIMIT']);
    const cards = dataOf<{ patients: Card[] }>(await callAs(patientMain, 'churner', { action: 'list' })).patients;
    expect(cards).toHaveLength(5);
  });

  it('reads the number from PATIENT_BINDS_PER_30_DAYS', async () => {
    runtime.config.patientBindsPer30Days = 2;
    await bindAt('churner', 0, T0);
    await bindAt('churner', 1, T0);
    const refused = await refusal(bindAt('churner', 2, T0));
    expect((refused as AppError).message).toContain('30 天内最多添加 2 位新的就诊人');
  });
});
