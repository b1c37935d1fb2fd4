/**
 * Only the platform runs the hospital's timers, black-box through the local host: timer-shaped bodies over
 * /api (with and without a dev identity) and over the payment function's HTTP access change nothing, while
 * the same event marked the way the platform marks a timer run does its work.
 */
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import { schedulesOf, slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { startTimers } from '../../../cloudfunctions/local/timers';
import { createLogger } from '../../../cloudfunctions/shared/log';
import { reconciliationsOf } from '../../../cloudfunctions/shared/payment/reconcile';
import { ADMIN, createClinic, seedHospital } from '../../support/catalog';
import { startTestHost, type TestHost } from '../../support/host';
import { callAs, dataOf } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

jest.setTimeout(60_000);

describe('local host: only the platform runs timers', () => {
  let pay: TestWeChatPay;
  let host: TestHost;

  beforeAll(async () => {
    pay = await startTestWeChatPay();
    pay.standIn.setMode({ bills: 'immediate' });
    host = await startTestHost({ adminOpenids: [ADMIN], pay: pay.client, payStandIn: pay.standIn });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(host.runtime);
    await createClinic();
    // The clinic's schedules are gone: a generateAhead run would make them again, so a spoofed one would show.
    await schedulesOf(host.runtime.db).deleteMany({});
    await slotsOf(host.runtime.db).deleteMany({});
  });
  afterAll(async () => {
    await host.close();
    await pay.standIn.close();
  });

  /** What any timer run leaves behind: calls to WeChat Pay (bill downloads), reconciliation reports, schedules. */
  const traces = async () => ({
    payRequests: pay.standIn.requestCount().total,
    reconciliations: await reconciliationsOf(host.runtime.db).countDocuments(),
    schedules: await schedulesOf(host.runtime.db).countDocuments(),
  });

  const timerBodies: [string, string, Record<string, unknown>][] = [
    ['payment', 'reconcile', { Type: 'Timer', TriggerName: 'reconcile' }],
    ['payment', 'reconcile with a Time', { Type: 'Timer', TriggerName: 'reconcile', Time: new Date().toISOString() }],
    ['payment', 'sweep', { Type: 'Timer', TriggerName: 'sweep' }],
    ['admin', 'generateAhead', { Type: 'Timer', TriggerName: 'generateAhead', Time: new Date().toISOString() }],
    ['booking', 'sweep', { Type: 'Timer', TriggerName: 'sweep' }],
    ['payment', 'reconcile as an HTTP event', { Type: 'Timer', TriggerName: 'reconcile', httpMethod: 'POST', path: '/', headers: {}, body: '' }],
  ];
  const callers: [string, Record<string, string>][] = [
    ['no identity', {}],
    ['a patient', { 'x-dev-openid': 'demo-patient' }],
    ['the admin', { 'x-dev-openid': ADMIN }],
  ];

  it.each(callers)('refuses timer-shaped bodies over /api from %s with a coded 400, running nothing', async (_label, headers) => {
    const before = await traces();
    for (const [fn, , body] of timerBodies) {
      for (let i = 0; i < 5; i++) {
        const response = await host.post(fn, body, headers);
        expect({ fn, body, status: response.status, code: response.body.code }).toEqual({ fn, body, status: 400, code: 'PLATFORM_ONLY' });
      }
    }
    expect(await traces()).toEqual(before);
    expect(before).toEqual({ payRequests: 0, reconciliations: 0, schedules: 0 });
  });

  it("refuses timer-shaped bodies over the payment function's HTTP access: WeChat Pay's signature is missing, nothing runs", async () => {
    const before = await traces();
    const answered: string[] = [];
    for (const path of ['/http/payment/notify/transaction', '/http/payment/notify/refund', '/http/payment/', '/http/payment/reconcile']) {
      for (const [, , body] of timerBodies) {
        const response = await fetch(`${host.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        if (response.status < 400 || response.status >= 500) answered.push(`${path} ${JSON.stringify(body)}: ${response.status}`);
      }
    }
    expect(answered).toEqual([]);
    // A function without HTTP access refuses HTTP events outright.
    const admin = await fetch(`${host.url}/http/admin/`, { method: 'POST', body: JSON.stringify(timerBodies[3][2]) });
    expect(admin.status).toBe(400);
    expect(await traces()).toEqual(before);
  });

  it("still runs the jobs behind each function's one trigger from the host's own scheduler", async () => {
    const before = await traces();
    const everySecond = (name: string) => ({ triggers: [{ name, type: 'timer' as const, config: '* * * * * * *' }] });
    const timers = startTimers(
      [
        { name: 'payment', main: paymentMain, config: everySecond('tick') },
        { name: 'admin', main: adminMain, config: everySecond('tick') },
      ],
      createLogger('silent'),
    );
    try {
      for (let i = 0; i < 400 && ((await traces()).reconciliations === 0 || (await traces()).schedules === 0); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await timers.stop();
    }
    const after = await traces();
    expect(after.payRequests).toBeGreaterThan(before.payRequests);
    expect(after.reconciliations).toBe(1);
    expect(after.schedules).toBeGreaterThan(0);
  });
});
