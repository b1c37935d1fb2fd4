/** Every patient action, called with another account's card ids, answers NOT_FOUND and changes nothing. */
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const COLLECTIONS = ['users', 'patients', 'patientLinks', 'invites', 'audit', 'phoneProofs', 'patientNotices'];

describe('patient data is visible only to the card’s managers', () => {
  let his: TestHis;
  let runtime: TestRuntime;
  let cardId: string;
  let ownerUserId: string;
  let managerUserId: string;

  beforeAll(async () => {
    his = await startTestHis();
    runtime = await openTestRuntime({}, { his: his.client });
    for (const openid of ['owner', 'family', 'intruder']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    cardId = (await bindAs('owner', PEOPLE.grandmother, 'parent')).id;
    const { code } = dataOf<{ code: string }>(await callAs(patientMain, 'owner', { action: 'invite', patientId: cardId }));
    dataOf(await callAs(patientMain, 'family', { action: 'accept', code, relation: 'parent' }));
    await bindAs('intruder', PEOPLE.aunt);
    const links = await runtime.db.collection('patientLinks').find({}).toArray();
    ownerUserId = links.find((link) => link.role === 'owner')!.userId.toHexString();
    managerUserId = links.find((link) => link.role === 'manager' && link.patientId.toHexString() === cardId)!.userId.toHexString();
  });
  afterAll(async () => {
    await runtime.dispose();
    await his.standIn.close();
  });

  const snapshot = async () => Promise.all(COLLECTIONS.map((name) => runtime.db.collection(name).find({}).sort({ _id: 1 }).toArray()));

  // Built lazily: the ids exist only once beforeAll has run.
  const FOREIGN_CALLS: [string, () => Record<string, string>][] = [
    ['get', () => ({ action: 'get', patientId: cardId })],
    ['unbind', () => ({ action: 'unbind', patientId: cardId })],
    ['setDefault', () => ({ action: 'setDefault', patientId: cardId })],
    ['invite', () => ({ action: 'invite', patientId: cardId })],
    ['visitCode', () => ({ action: 'visitCode', patientId: cardId })],
    ['noShowRecord', () => ({ action: 'noShowRecord', patientId: cardId })],
    ['sendPhoneChangeCode', () => ({ action: 'sendPhoneChangeCode', patientId: cardId, phone: '15912348888' })],
    ['revokeManager (a manager)', () => ({ action: 'revokeManager', patientId: cardId, userId: managerUserId })],
    ['revokeManager (the owner)', () => ({ action: 'revokeManager', patientId: cardId, userId: ownerUserId })],
    // Ids that do not exist look exactly like ids the caller may not see.
    ['get (unknown id)', () => ({ action: 'get', patientId: '0123456789abcdef01234567' })],
    ['get (malformed id)', () => ({ action: 'get', patientId: 'not-an-id' })],
  ];

  it.each(FOREIGN_CALLS)('%s on someone else’s card answers NOT_FOUND and changes nothing', async (_label, event) => {
    const before = await snapshot();
    const result = await callAs(patientMain, 'intruder', event());
    expect(result).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await snapshot()).toEqual(before);
  });

  it('never lists someone else’s card', async () => {
    const listed = dataOf<{ patients: { id: string }[] }>(await callAs(patientMain, 'intruder', { action: 'list' }));
    expect(listed.patients.map((card) => card.id)).not.toContain(cardId);
  });

  it('answers the same for an id that exists and one that does not', async () => {
    const real = await callAs(patientMain, 'intruder', { action: 'get', patientId: cardId });
    const fake = await callAs(patientMain, 'intruder', { action: 'get', patientId: '0123456789abcdef01234567' });
    const strip = (result: Awaited<typeof real>) => ({ ...result, requestId: undefined });
    expect(strip(real)).toEqual(strip(fake));
  });
});
