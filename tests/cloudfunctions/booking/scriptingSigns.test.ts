// Signs of scripting per account (X1): a scripted burst (polling and tapping before the release, every
// 100 ms, from an account holding strangers' cards) shows up for staff with its counts, most suspicious
// first and masked; a person at a person's pace does not; only staff may look.
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { holdCache } from '../../../cloudfunctions/shared/booking/holdCache';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_RELEASE_RULES } from '../../../cloudfunctions/shared/catalog/model';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { createControlledClock } from '../../../cloudfunctions/shared/clock';
import { releaseInstant } from '../../../cloudfunctions/shared/domain/releaseRules';
import { flushScriptingSigns, MAX_ACCOUNTS, noteRequest, scriptingSignsOf } from '../../../cloudfunctions/shared/scriptingSigns';
import { createLogger } from '../../../cloudfunctions/shared/log';
import { findUserByIdentity } from '../../../cloudfunctions/shared/users/userRepository';
import { booking, newRequestId, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, person as nthPerson } from '../../support/patients';
import { ADMIN, createClinic, seedHospital, ZONE, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

interface AccountView {
  account: string;
  userId: string | null;
  score: number;
  signs: string[];
  early: number;
  subSecond: number;
  throttled: number;
  strangerCards: number;
  cards: number;
}

let runtime: TestRuntime;
let his: TestHis;
let clinic: TestClinic;
let slotId: string;
let opensAt: Date;

const tap = (who: QuickPatient) => booking(who.openid, { action: 'hold', slotId, patientId: who.patientId, requestId: newRequestId() });
const poll = (openid: string) => callAs(catalogMain, openid, { action: 'schedules', doctorId: clinic.doctorId });
const signs = (openid: string, payload: Record<string, unknown> = {}) => callAs(adminMain, openid, { action: 'scriptingSigns', ...payload });
const at = (ms: number) => runtime.clock.set(new Date(opensAt.getTime() + ms));

beforeEach(async () => {
  scheduleCache.clear();
  catalogCache.invalidate();
  holdCache.clear();
  // Frozen: each request happens exactly when the test says, as a script's timer would fire.
  his = await startTestHis();
  runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits: true }, { his: his.client, clock: createControlledClock({ running: false }) });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  clinic = await createClinic({ places: 2, feeFen: 0 });
  [slotId] = await slotIdsOn(clinic.doctorId, 7);
  const slot = (await slotsOf(runtime.db).findOne({ _id: new ObjectId(slotId) }))!;
  opensAt = releaseInstant(slot.date, DEFAULT_RELEASE_RULES, ZONE);
});
afterEach(async () => {
  await runtime.dispose();
  await his.standIn.close();
});

/** Binds a card the way the app does (bind, the SMS code, verify), as `relation` to this account. */
async function bound(openid: string, who: ReturnType<typeof nthPerson>, relation: string): Promise<QuickPatient> {
  dataOf(await callAs(userMain, openid, { action: 'login' }));
  return { openid, patientId: (await bindAs(openid, who, relation)).id };
}

/** One account holding four cards of strangers (bound as 'other', four surnames). */
async function scalper(): Promise<QuickPatient[]> {
  const cards: QuickPatient[] = [];
  for (const [n, name] of ['赵德明', '钱桂兰', '孙立新', '李秀珍'].entries()) cards.push(await bound('scalper-tool', { ...nthPerson(n), name }, 'other'));
  return cards;
}

it('counts a scripted burst per account and shows it to staff, most suspicious first, masked; a person is not listed', async () => {
  const cards = await scalper();
  const person = await quickPatient(runtime, 'person-at-home', { name: '周文静' });
  // Another script, only polling a little too often: listed below the scalper.
  const poller = 'poller-script';

  // The scalper polls every 100 ms for the last 10 s before the release and taps every 500 ms meanwhile.
  for (let ms = -10_000; ms < 0; ms += 100) {
    at(ms);
    await poll(cards[0].openid);
    if (ms % 500 === 0) expect(await tap(cards[(ms / 500) & 3])).toMatchObject({ ok: false, code: 'NOT_RELEASED' });
  }
  for (let ms = -3000; ms < 0; ms += 400) {
    at(ms);
    await poll(poller);
  }
  // At the release instant it fires every 50 ms until the limits stop it.
  let throttled = 0;
  for (let ms = 0; ms < 1500; ms += 50) {
    at(ms);
    const answer = await tap(cards[(ms / 50) & 3]);
    if (!answer.ok && answer.code === 'RATE_LIMITED') throttled += 1;
  }
  expect(throttled).toBeGreaterThan(0);

  // A person opens the doctor's page 20 s after the release, reads for 4 s, taps, and looks again later.
  at(20_000);
  dataOf(await poll(person.openid));
  at(24_000);
  expect((await tap(person)).ok).toBe(true);
  at(31_000);
  dataOf(await poll(person.openid));

  at(60_000);
  const { accounts } = dataOf<{ accounts: AccountView[] }>(await signs(ADMIN));
  const scalperUser = await findUserByIdentity(runtime.db, { openid: 'scalper-tool', appid: 'wx-test-app' });
  const personUser = await findUserByIdentity(runtime.db, { openid: 'person-at-home', appid: 'wx-test-app' });
  expect(accounts.map((account) => account.userId)).not.toContain(personUser!._id.toHexString());
  expect(accounts).toHaveLength(2);
  const [first, second] = accounts;
  expect(first).toMatchObject({ userId: scalperUser!._id.toHexString(), early: 20, strangerCards: 4, cards: 4, signs: ['early', 'subSecond', 'throttled', 'strangerCards'] });
  // 100 polls 100 ms apart, 20 taps at the same instants as polls, 29 taps 50 ms apart after the release.
  expect(first.subSecond).toBeGreaterThanOrEqual(100 + 20 + 29 - 1);
  expect(first.throttled).toBeGreaterThanOrEqual(throttled);
  expect(first.account).toBe('scal*****ool');
  expect(second).toMatchObject({ userId: null, early: 0, throttled: 0, subSecond: 7, signs: ['subSecond'] });
  expect(first.score).toBeGreaterThan(second.score);
  // Nothing personal in the list: no openid, no card names.
  expect(JSON.stringify(accounts)).not.toMatch(/scalper-tool|poller-script|赵德明|钱桂兰/);
});

it('keeps counting across reads: counts of later requests add to the record', async () => {
  const [card] = await scalper();
  for (let ms = -1000; ms < 0; ms += 100) {
    at(ms);
    await tap(card);
  }
  const first = dataOf<{ accounts: AccountView[] }>(await signs(ADMIN)).accounts[0];
  expect(first).toMatchObject({ early: 10, subSecond: 9 });
  for (let ms = -5000; ms < -4000; ms += 250) {
    at(ms);
    await tap(card);
  }
  expect(dataOf<{ accounts: AccountView[] }>(await signs(ADMIN)).accounts[0]).toMatchObject({ early: 14, subSecond: 12 });
  expect(await scriptingSignsOf(runtime.db).countDocuments({})).toBe(1);
});

it('lists a family holding its own cards nowhere, and an account of strangers even when it taps slowly', async () => {
  const cards = await scalper();
  const family: QuickPatient[] = [];
  // Wives keep their surname, a child carries a parent's; none of them is a stranger.
  for (const [n, [name, relation]] of ([['王建华', 'self'], ['李桂芳', 'spouse'], ['王小宝', 'child'], ['陈淑珍', 'parent'], ['李明', 'child']] as const).entries()) {
    family.push(await bound('family', { ...nthPerson(10 + n), name }, relation));
  }
  at(60_000);
  await tap(family[0]);
  at(120_000);
  await tap(cards[0]);
  const { accounts } = dataOf<{ accounts: AccountView[] }>(await signs(ADMIN));
  expect(accounts).toHaveLength(1);
  expect(accounts[0]).toMatchObject({ strangerCards: 4, cards: 4, signs: ['strangerCards'], early: 0, subSecond: 0, throttled: 0 });
});

it('counts stranger cards when the cards change, not when the account asks for anything', async () => {
  const patient = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);
  // Four strangers' cards bound, and not one request for a place or a schedule: staff see the account already.
  const cards = await scalper();
  const listed = async () => dataOf<{ accounts: AccountView[] }>(await signs(ADMIN)).accounts;
  expect(await listed()).toMatchObject([{ strangerCards: 4, cards: 4, signs: ['strangerCards'], early: 0, subSecond: 0, throttled: 0 }]);
  // Two given up: two strangers are under the threshold, and the account is a person again.
  for (const card of cards.slice(0, 2)) dataOf(await patient('scalper-tool', { action: 'unbind', patientId: card.patientId }));
  expect(await listed()).toEqual([]);
  expect(await scriptingSignsOf(runtime.db).findOne({ openid: 'scalper-tool' })).toMatchObject({ strangerCards: 2, cards: 2, score: 0 });
  // A family binding its own never gets a record at all.
  const family = await bound('family', { ...nthPerson(20), name: '王建华' }, 'self');
  await bound('family', { ...nthPerson(21), name: '王小宝' }, 'child');
  expect(await scriptingSignsOf(runtime.db).countDocuments({ openid: 'family' })).toBe(0);
  // Its first record, from three early taps, still carries its cards (counted then, once).
  for (const ms of [-9000, -6000, -3000]) {
    at(ms);
    await tap(family);
  }
  expect((await listed()).find((account) => account.early === 3)).toMatchObject({ cards: 2, strangerCards: 0, signs: ['early'] });
});

it('answers FORBIDDEN to anyone but staff, and INVALID_PARAMS to bad input', async () => {
  const cards = await scalper();
  at(-500);
  await tap(cards[0]);
  dataOf(await callAs(userMain, 'scalper-tool', { action: 'login' }));
  for (const payload of [{}, { days: 'all' }, { limit: -1, extra: { $gt: '' } }]) {
    const refused = await signs('scalper-tool', payload);
    expect(refused).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  }
  expect(await signs('never-logged-in')).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
  for (const payload of [{ days: 0 }, { days: 91 }, { days: '7' }, { limit: 0 }, { limit: 1000 }, { days: { $gt: 0 } }]) {
    const refused = await signs(ADMIN, payload);
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(!refused.ok && refused.fields?.[0].message).toMatch(/[\u4e00-\u9fa5]/);
  }
});

it('limits staff reads: 30 a minute shared with the delivery figures, then a wait in Chinese, and a new minute reads again', async () => {
  at(0);
  for (let i = 0; i < 20; i++) expect((await signs(ADMIN)).ok).toBe(true);
  for (let i = 0; i < 10; i++) expect((await callAs(adminMain, ADMIN, { action: 'messageStats' })).ok).toBe(true);
  const refused = await signs(ADMIN);
  expect(refused).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  expect(!refused.ok && refused.message).toMatch(/操作太频繁了，请 \d+ 秒后再试。/);
  expect(await callAs(adminMain, ADMIN, { action: 'messageStats' })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  at(61_000);
  expect((await signs(ADMIN)).ok).toBe(true);
});

it('loses no counts on a morning with more accounts than memory keeps, and still sees a repeat within the second', async () => {
  const log = createLogger('silent');
  const request = (openid: string, ms: number, early = false) =>
    noteRequest({ db: runtime.db, log, now: new Date(opensAt.getTime() + ms), identity: { openid, appid: 'wx-test-app' } }, { early });
  // A crowd larger than an instance's memory polls before the release, one early tap each, within a few seconds.
  const crowd = MAX_ACCOUNTS + 5000;
  for (let i = 0; i < crowd; i++) request(`crowd-${i}`, -5000 + Math.floor((i / crowd) * 2000), true);
  // A script taps twice 900 ms apart while 5,000 more accounts arrive in between.
  request('script', -2000);
  for (let i = 0; i < 5000; i++) request(`late-${i}`, -1500);
  request('script', -1100);
  await flushScriptingSigns(runtime.db);
  expect(await scriptingSignsOf(runtime.db).countDocuments({ early: 1 })).toBe(crowd);
  expect(await scriptingSignsOf(runtime.db).findOne({ openid: 'script' })).toMatchObject({ subSecond: 1 });
});
