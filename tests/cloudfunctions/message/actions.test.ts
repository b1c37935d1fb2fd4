/** The message function's actions: only the caller's own messages, clear refusals of bad input, rate limits, staff figures. */
import { ObjectId } from 'mongodb';
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as messageMain } from '../../../cloudfunctions/message';
import { main as userMain } from '../../../cloudfunctions/user';
import { queueMessages } from '../../../cloudfunctions/shared/messages/outbox';
import { DEMO_TEMPLATES } from '../../../cloudfunctions/shared/messages/templates';
import { findUserByIdentity } from '../../../cloudfunctions/shared/users/userRepository';
import { ADMIN } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const ALICE = 'msg-alice';
const BOB = 'msg-bob';
let runtime: TestRuntime;
const message = (openid: string, event: Record<string, unknown>) => callAs(messageMain, openid, event);

beforeEach(async () => {
  runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits: true });
  for (const openid of [ALICE, BOB, ADMIN]) dataOf(await callAs(userMain, openid, { action: 'login' }));
  const alice = await findUserByIdentity(runtime.db, { openid: ALICE, appid: 'wx-test-app' });
  await queueMessages({ db: runtime.db, log: runtime.log, now: runtime.clock.now() }, [
    { event: 'booking_confirmed', userId: alice!._id, appointmentId: new ObjectId(), title: '预约成功', text: '张秀英的号约好了。', facts: {}, page: 'pages/booking/result/index?id=1' },
  ]);
});
afterEach(() => runtime.dispose());

it('never shows or marks another person’s messages', async () => {
  const mine = dataOf<{ messages: { id: string }[]; unread: number }>(await message(ALICE, { action: 'list' }));
  expect(mine.unread).toBe(1);
  expect(dataOf(await message(BOB, { action: 'list' }))).toEqual({ messages: [], unread: 0 });
  expect(dataOf(await message(BOB, { action: 'markRead', ids: [mine.messages[0].id] }))).toEqual({ marked: 0, unread: 0 });
  expect(dataOf(await message(BOB, { action: 'markRead', all: true }))).toEqual({ marked: 0, unread: 0 });
  expect(dataOf<{ unread: number }>(await message(ALICE, { action: 'list' })).unread).toBe(1);
  expect(await message(ALICE, { action: 'list', userId: 'x' })).toMatchObject({ ok: true }); // extra fields are ignored, identity is the caller's
});

it.each([
  ['list', { limit: 0 }],
  ['list', { limit: 'all' }],
  ['list', { before: 'yesterday' }],
  ['markRead', {}],
  ['markRead', { ids: [] }],
  ['markRead', { ids: 'abc' }],
  ['markRead', { all: false }],
  ['consent', { results: [] }],
  ['consent', { results: [{ templateId: DEMO_TEMPLATES.booking_confirmed!.id, result: 'yes' }] }],
  ['consent', { results: Array.from({ length: 4 }, () => ({ templateId: DEMO_TEMPLATES.booking_confirmed!.id, result: 'accept' })) }],
  ['consent', { results: [{ templateId: '../etc', result: 'accept' }] }],
  ['settings', { reminders: 'no' }],
  ['settings', { reminders: true, extra: 1 }],
])('refuses %s %j with INVALID_PARAMS and changes nothing', async (action, payload) => {
  expect(await message(ALICE, { action, ...payload })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
  expect(dataOf<{ unread: number }>(await message(ALICE, { action: 'list' })).unread).toBe(1);
});

it('refuses a template this hospital does not use, and anyone not logged in', async () => {
  expect(await message(ALICE, { action: 'consent', results: [{ templateId: 'not-ours', result: 'accept' }] })).toMatchObject({ ok: false, code: 'MESSAGE_TEMPLATE_UNKNOWN' });
  expect(await message('never-logged-in', { action: 'list' })).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
});

it('records consents and answers the prompts to show at each tap (at most 3 ids, one-time and long-term apart)', async () => {
  const answer = dataOf<{ reminders: boolean; prompts: { tap: string; kind: string; templateIds: string[] }[]; templates: { event: string; subscribed: boolean; quota: number }[] }>(
    await message(ALICE, { action: 'consent', results: [{ templateId: DEMO_TEMPLATES.booking_confirmed!.id, result: 'accept' }, { templateId: DEMO_TEMPLATES.visit_reminder!.id, result: 'accept' }] }),
  );
  expect(answer.reminders).toBe(true);
  for (const prompt of answer.prompts) expect(prompt.templateIds.length).toBeLessThanOrEqual(3);
  expect(answer.prompts).toContainEqual({ tap: 'booking', kind: 'long', templateIds: [DEMO_TEMPLATES.visit_reminder!.id] });
  expect(answer.templates.find((entry) => entry.event === 'booking_confirmed')).toMatchObject({ subscribed: true, quota: 1 });
  expect(answer.templates.find((entry) => entry.event === 'visit_reminder')).toMatchObject({ subscribed: true });
  const off = dataOf<{ reminders: boolean }>(await message(ALICE, { action: 'settings', reminders: false }));
  expect(off.reminders).toBe(false);
});

it('rate-limits the message center per account', async () => {
  let last;
  for (let i = 0; i < 61; i++) last = await message(BOB, { action: 'list' });
  expect(last).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  expect(await message(ALICE, { action: 'list' })).toMatchObject({ ok: true });
});

it('gives staff the day’s figures, and nobody else', async () => {
  const stats = dataOf<{ days: { queued: number; waiting: number }[]; lastErrors: unknown[] }>(await callAs(adminMain, ADMIN, { action: 'messageStats', days: 2 }));
  expect(stats.days).toHaveLength(2);
  expect(stats.days[0]).toMatchObject({ queued: 1, waiting: 1 });
  expect(await callAs(adminMain, ALICE, { action: 'messageStats' })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  expect(await callAs(adminMain, ADMIN, { action: 'messageStats', days: 99 })).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
});
