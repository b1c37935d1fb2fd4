/**
 * The payment function's HTTP access as the platform invokes it: `main` called with the gateway's event (and through the
 * local host's /http/payment/...). WeChat Pay retries anything but 200/204, so every failure of ours must be a 500 in
 * the integrated-response shape, every route must match with or without 路径透传, and other paths are 404.
 */
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import { transactionResource, refundResource } from '../../../cloudfunctions/local/wechatPayStandInNotices';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import type { HttpEvent } from '../../../cloudfunctions/shared/createMain';
import { withPlatformCall } from '../../../cloudfunctions/shared/identity';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { startRefund } from '../../../cloudfunctions/shared/payment/settlement';
import { getRuntime, setRuntime } from '../../../cloudfunctions/shared/runtime';
import { newRequestId } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf, openTestRuntime } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

jest.setTimeout(60_000);

const PATIENT = 'http-patient';

/** An HTTP-access event as the gateway builds it: no caller identity, the raw (possibly base64) body. */
function httpEvent(path: string, request: { headers: Record<string, string>; body: string }, options: { base64?: boolean; method?: string } = {}): HttpEvent {
  return {
    httpMethod: options.method ?? 'POST',
    path,
    headers: request.headers,
    body: options.base64 ? Buffer.from(request.body, 'utf8').toString('base64') : request.body,
    isBase64Encoded: Boolean(options.base64),
  };
}

const invoke = (event: HttpEvent) => withPlatformCall({ identity: null }, () => paymentMain(event, { request_id: newRequestId() }));

/** The integrated-response shape: a status WeChat Pay reads, headers, and a body that is not base64. */
const httpShape = (statusCode: number) => ({ statusCode, headers: { 'content-type': expect.stringContaining('application/json') }, body: expect.any(String), isBase64Encoded: false });

describe('payment HTTP access: failures before the handler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    setRuntime(undefined);
  });

  it('answers 500 (WeChat Pay retries) when production configuration is incomplete and the runtime cannot open', async () => {
    setRuntime(undefined);
    process.env.NODE_ENV = 'production';
    delete process.env.MONGODB_URI;
    delete process.env.WXPAY_MCHID;
    await expect(getRuntime('payment')).rejects.toThrow();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      for (const path of ['/transaction', '/payment/notify/refund']) {
        const answer = await invoke(httpEvent(path, { headers: { 'content-type': 'application/json' }, body: '{}' }));
        expect(answer).toEqual(httpShape(500));
        expect(JSON.parse((answer as { body: string }).body)).toMatchObject({ code: 'FAIL' });
      }
      // A client's call in the same state still gets the coded envelope.
      expect(await callAs(paymentMain, PATIENT, { action: 'prepay', appointmentId: 'x' })).toMatchObject({ ok: false, code: 'INTERNAL' });
    } finally {
      stderr.mockRestore();
    }
  });

  it('answers 500 when MongoDB cannot be reached', async () => {
    setRuntime(undefined);
    // A port nothing listens on; the short selection timeout stands in for the function's own deadline.
    process.env.MONGODB_URI = 'mongodb://127.0.0.1:9/yiyue?serverSelectionTimeoutMS=300&connectTimeoutMS=300';
    process.env.PII_ENCRYPTION_KEY = Buffer.alloc(32, 1).toString('base64');
    process.env.PII_HASH_KEY = Buffer.alloc(32, 2).toString('base64');
    process.env.PII_KEY_ID = 'k1';
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const answer = await invoke(httpEvent('/transaction', { headers: { 'content-type': 'application/json' }, body: '{}' }));
      expect(answer).toEqual(httpShape(500));
      const logged = stderr.mock.calls.map(([line]) => String(line)).join('');
      expect(logged).toContain('runtime unavailable');
      expect(logged).toContain('MongoServerSelectionError'); // the database, not a missing setting
    } finally {
      stderr.mockRestore();
    }
  });

  it('answers 500 when the database fails under the runtime (index creation at the first call)', async () => {
    const runtime = await openTestRuntime();
    await runtime.close(); // the store now refuses every operation, as an unreachable MongoDB would
    setRuntime(runtime);
    const answer = await invoke(httpEvent('/payment/notify/transaction', { headers: { 'content-type': 'application/json' }, body: '{}' }));
    expect(answer).toEqual(httpShape(500));
    await runtime.dispose();
  });

  it('answers 500 through the local host when its store has failed', async () => {
    const host = await startTestHost();
    await host.runtime.close();
    const response = await fetch(`${host.url}/http/payment/notify/transaction`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toMatchObject({ code: 'FAIL' });
    await host.close();
  });
});

describe('payment HTTP access: routes and bodies', () => {
  let his: TestHis;
  let pay: TestWeChatPay;
  let host: TestHost;
  let patientId: string;
  let slotsByDay: Record<number, { id: string }[]>;

  const appointmentStatus = async (id: string) => (await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(id) }))!.status;
  const order = async (id: string) => (await paymentsOf(host.runtime.db).findOne({ appointmentId: new ObjectId(id) }))!;

  /** A held appointment on day `day` with its order, paid at the stand-in without a notification: the test delivers it. */
  async function paidSilently(day: number): Promise<{ id: string; notification: { headers: Record<string, string>; body: string } }> {
    const held = dataOf<{ appointment: { id: string } }>(await callAs(bookingMain, PATIENT, { action: 'hold', slotId: slotsByDay[day][0].id, patientId, requestId: newRequestId() }));
    const { outTradeNo } = dataOf<{ outTradeNo: string }>(await callAs(paymentMain, PATIENT, { action: 'prepay', appointmentId: held.appointment.id }));
    const paid = pay.standIn.pay(outTradeNo, { notify: false });
    return { id: held.appointment.id, notification: pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: transactionResource(paid) }) };
  }

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    pay = await startTestWeChatPay();
    host = await startTestHost({ adminOpenids: [ADMIN], his: his.client, pay: pay.client, payStandIn: pay.standIn });
    for (const openid of [ADMIN, PATIENT]) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(host.runtime);
    const clinic = await createClinic({ places: 2, feeFen: 2500 });
    patientId = (await bindAs(PATIENT, PEOPLE.grandmother)).id;
    const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, PATIENT, { action: 'schedules', doctorId: clinic.doctorId }));
    slotsByDay = Object.fromEntries([1, 2, 3, 4, 5, 6].map((offset) => [offset, days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots)]));
  });
  afterEach(async () => {
    await pay.standIn.notificationsIdle();
    await host.close();
    await pay.standIn.close();
    await his.standIn.close();
  });

  it.each([
    ['路径透传 on, trigger /payment', '/payment/notify/transaction', false],
    ['路径透传 on, the local host form', '/http/payment/notify/transaction', false],
    ['路径透传 off, trigger /payment/notify', '/transaction', false],
    ['路径透传 off, trigger /payment', '/notify/transaction', false],
    ['a trailing slash, body base64-encoded by the gateway', '/payment/notify/transaction/', true],
  ])('applies a transaction notification at %s (%s)', async (_label, path, base64) => {
    const { id, notification } = await paidSilently(1);
    const answer = await invoke(httpEvent(path, notification, { base64 }));
    expect(answer).toEqual({ ...httpShape(204), body: '' });
    expect(await appointmentStatus(id)).toBe('booked');
    expect(await order(id)).toMatchObject({ status: 'paid' });
  });

  it.each([['/refund'], ['/payment/notify/refund']])('settles a refund notification at %s', async (path) => {
    const { id, notification } = await paidSilently(2);
    expect(await invoke(httpEvent('/transaction', notification))).toMatchObject({ statusCode: 204 });
    pay.standIn.setMode({ refund: 'processing' });
    const refund = await startRefund({ ...host.runtime, now: host.runtime.clock.now() }, await order(id), 'cancelled', true);
    expect(refund).toMatchObject({ status: 'processing' });
    const atStandIn = pay.standIn.refund(refund!.outRefundNo)!;
    const resource = refundResource({ ...atStandIn, status: 'SUCCESS', successTime: new Date() }, pay.config.mchid, pay.standIn.order(atStandIn.outTradeNo));
    const answer = await invoke(httpEvent(path, pay.standIn.craftNotification({ eventType: 'REFUND.SUCCESS', resource }), { base64: true }));
    expect(answer).toEqual({ ...httpShape(204), body: '' });
    expect((await order(id)).refund).toMatchObject({ status: 'succeeded' });
  });

  it('answers 404 to any other path, even for a genuine notification, and applies nothing', async () => {
    const { id, notification } = await paidSilently(3);
    for (const path of ['/', '', '/payment/notify', '/payment/notify/transactions', '/payment/notify/transaction/extra', '/reconcile']) {
      expect({ path, answer: await invoke(httpEvent(path, notification)) }).toEqual({ path, answer: httpShape(404) });
    }
    for (const path of ['/http/payment/notify/unknown', '/http/payment/']) {
      const response = await fetch(`${host.url}${path}`, { method: 'POST', headers: notification.headers, body: notification.body });
      expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status: 404, type: expect.stringContaining('application/json') });
    }
    expect(await appointmentStatus(id)).toBe('pending_payment');
  });

  it('answers every outcome in the integrated-response shape: 405 and 401 carry headers and isBase64Encoded false', async () => {
    const { notification } = await paidSilently(4);
    expect(await invoke(httpEvent('/transaction', notification, { method: 'GET' }))).toEqual(httpShape(405));
    expect(await invoke(httpEvent('/transaction', { ...notification, body: notification.body.replace('"id":"', '"id":"x') }))).toEqual(httpShape(401));
    // Base64 that decodes to other bytes than were signed does not verify.
    expect(await invoke({ ...httpEvent('/transaction', notification), isBase64Encoded: true })).toEqual(httpShape(401));
  });
});
