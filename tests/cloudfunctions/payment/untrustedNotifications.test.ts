/**
 * Genuine WeChat Pay notifications (signed and encrypted by the stand-in, delivered and retried over HTTP to the host's
 * /http/payment/notify) that say something we must not act on: another trade state, amount, merchant, AppID or order,
 * or a resource that does not parse. Each changes nothing, is answered as notify.ts explains, and a real payment
 * afterwards still books.
 */
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import type { MisleadingNotificationInput } from '../../../cloudfunctions/local/wechatPayStandIn';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { paymentAlertsOf, type PaymentAlertKind } from '../../../cloudfunctions/shared/payment/paymentAlerts';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { startRefund } from '../../../cloudfunctions/shared/payment/settlement';
import { WECHAT_NOTIFY_RETRY_SECONDS } from '../../../cloudfunctions/local/wechatPayStandInNotifier';
import { newRequestId } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';
import { until as waitUntil } from '../../support/until';

jest.setTimeout(60_000);

const PATIENT = 'untrusted-notify-patient';
/** Every attempt WeChat makes when it is never answered 2xx. */
const ALL_ATTEMPTS = WECHAT_NOTIFY_RETRY_SECONDS.length + 1;

describe('payment notifications that must not be trusted', () => {
  let his: TestHis;
  let pay: TestWeChatPay;
  let host: TestHost;
  let patientId: string;
  let slotIds: string[];
  let logged: { level: string; message: string; fields?: Record<string, unknown> }[];

  const appointment = async (id: string) => (await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(id) }))!;
  const payment = async (id: string) => (await paymentsOf(host.runtime.db).findOne({ appointmentId: new ObjectId(id) }))!;
  const until = (check: () => Promise<boolean>, what: string) => waitUntil(check, 20_000, what);

  /** A priced hold with its WeChat Pay order (NOTPAY at the stand-in). */
  async function heldAndOrdered(): Promise<{ id: string; outTradeNo: string }> {
    const held = dataOf<{ outcome: string; appointment: { id: string } }>(
      await callAs(bookingMain, PATIENT, { action: 'hold', slotId: slotIds.shift(), patientId, requestId: newRequestId() }),
    );
    expect(held.outcome).toBe('pending_payment');
    const { outTradeNo } = dataOf<{ outTradeNo: string }>(await callAs(paymentMain, PATIENT, { action: 'prepay', appointmentId: held.appointment.id }));
    return { id: held.appointment.id, outTradeNo };
  }

  /** Sends the notification, lets WeChat's retries run out or succeed, and returns the status of every attempt. */
  async function deliver(input: MisleadingNotificationInput): Promise<{ id: string; statuses: (number | undefined)[] }> {
    const id = pay.standIn.sendMisleadingNotification(input);
    await pay.standIn.notificationsIdle();
    const attempts = pay.standIn.notifications().filter((attempt) => attempt.notificationId === id);
    return { id, statuses: attempts.map((attempt) => attempt.status) };
  }

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    // WeChat's 24 hours of retries in about a second.
    pay = await startTestWeChatPay({ notifyRetryScale: 0.00001 });
    host = await startTestHost({ adminOpenids: [ADMIN], his: his.client, pay: pay.client, payStandIn: pay.standIn });
    logged = [];
    for (const level of ['info', 'warn', 'error'] as const) host.runtime.log[level] = (message, fields) => logged.push({ level, message, fields });
    for (const openid of [ADMIN, PATIENT]) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(host.runtime);
    const clinic = await createClinic({ places: 2, feeFen: 2500 });
    patientId = (await bindAs(PATIENT, PEOPLE.grandmother)).id;
    const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, PATIENT, { action: 'schedules', doctorId: clinic.doctorId }));
    // One hold per doctor and day: one slot from each day.
    slotIds = [1, 2, 3, 4, 5, 6].map((offset) => days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots)[0].id);
  });
  afterEach(async () => {
    await pay.standIn.notificationsIdle();
    await host.close();
    await pay.standIn.close();
    await his.standIn.close();
  });

  const UNKNOWN_ORDER = 'YY000000000000000000009999';

  it.each<[string, number, Omit<MisleadingNotificationInput, 'outTradeNo'>, PaymentAlertKind | null]>([
    ['trade_state NOTPAY', 204, { tradeState: 'NOTPAY' }, null],
    ['trade_state CLOSED', 204, { tradeState: 'CLOSED' }, null],
    ['trade_state PAYERROR', 204, { tradeState: 'PAYERROR' }, null],
    ['an amount that is not the order’s', 204, { totalFen: 1, payerTotalFen: 1 }, 'amount_mismatch'],
    ['a payer_total above the total', 204, { payerTotalFen: 2600 }, 'amount_mismatch'],
    ['an out_trade_no we never issued', 204, { outTradeNoInResource: UNKNOWN_ORDER }, 'unknown_order'],
    ['another merchant number', 400, { mchid: '1900000999' }, 'other_merchant'],
    ['another mini program', 400, { appid: 'wx1111111111111111' }, 'other_app'],
    ['a decrypted resource that is not JSON', 400, { malformed: 'not_json' }, null],
    ['a decrypted resource without its amount', 400, { malformed: 'missing_fields' }, null],
    ['a decrypted resource with the amount as a string', 400, { malformed: 'wrong_types' }, null],
  ])('a transaction notification with %s changes nothing and is answered %d; a real payment afterwards books', async (_title, status, says, alertKind) => {
    const { id, outTradeNo } = await heldAndOrdered();
    const before = { payment: await payment(id), appointment: await appointment(id) };

    const sent = await deliver({ outTradeNo, ...says });
    // 204 ends WeChat's deliveries at once; a failure answer is retried on WeChat's whole schedule.
    expect(sent.statuses).toEqual(Array(status === 204 ? 1 : ALL_ATTEMPTS).fill(status));
    expect(await payment(id)).toEqual(before.payment);
    expect(await appointment(id)).toEqual(before.appointment);
    expect(await paymentsOf(host.runtime.db).findOne({ _id: UNKNOWN_ORDER })).toBeNull();

    const alerts = await paymentAlertsOf(host.runtime.db).find({}).toArray();
    if (alertKind) {
      expect(alerts).toEqual([
        expect.objectContaining({ _id: sent.id, kind: alertKind, outTradeNo: says.outTradeNoInResource ?? outTradeNo, deliveries: sent.statuses.length, detail: expect.stringMatching(/请/) }),
      ]);
      expect(logged).toContainEqual(expect.objectContaining({ level: 'error', fields: expect.objectContaining({ reason: alertKind, notificationId: sent.id }) }));
    } else expect(alerts).toEqual([]);
    // Nothing about the payer reaches the log or the alert: amounts and merchant numbers only.
    expect(JSON.stringify([logged, alerts])).not.toContain(PATIENT);

    if (status === 400) {
      // The documented failure body, on a replay of exactly what WeChat sent.
      const [attempt] = pay.standIn.notifications().filter((delivery) => delivery.notificationId === sent.id);
      const replay = await fetch(`${host.url}/http/payment/notify/transaction`, { method: 'POST', headers: attempt.headers, body: attempt.body });
      expect(replay.status).toBe(400);
      expect(await replay.json()).toEqual({ code: 'FAIL', message: expect.any(String) });
    }

    pay.standIn.pay(outTradeNo);
    await until(async () => (await payment(id)).his?.status === 'confirmed', 'the real payment to be applied');
    expect(await appointment(id)).toMatchObject({ status: 'booked' });
    expect(await payment(id)).toMatchObject({ status: 'paid', amountFen: 2500 });
  });

  it.each<[string, number, Omit<MisleadingNotificationInput, 'outRefundNo'>, PaymentAlertKind | null]>([
    ['a refund amount we did not ask for', 204, { refundFen: 100 }, 'refund_amount_mismatch'],
    ['another order total', 204, { totalFen: 9900 }, 'refund_amount_mismatch'],
    ['an out_refund_no we never sent', 204, { outRefundNoInResource: 'RF000000000000000000009999' }, 'unknown_refund'],
    ['another merchant number', 400, { mchid: '1900000999' }, 'other_merchant'],
    ['a decrypted resource without its amount', 400, { malformed: 'missing_fields' }, null],
  ])('a refund notification with %s leaves the refund as it was and is answered %d; the real one settles it', async (_title, status, says, alertKind) => {
    const { id, outTradeNo } = await heldAndOrdered();
    pay.standIn.pay(outTradeNo);
    await until(async () => (await payment(id)).his?.status === 'confirmed', 'the payment to be applied');
    pay.standIn.setMode({ refund: 'processing' });
    await startRefund({ ...host.runtime, now: host.runtime.clock.now() }, await payment(id), 'cancelled', true);
    const before = await payment(id);
    expect(before.refund?.status).toBe('processing');

    const sent = await deliver({ outRefundNo: before.refund!.outRefundNo, ...says });
    expect(sent.statuses).toEqual(Array(status === 204 ? 1 : ALL_ATTEMPTS).fill(status));
    expect(await payment(id)).toEqual(before);
    const alerts = await paymentAlertsOf(host.runtime.db).find({}).toArray();
    expect(alerts.map((alert) => alert.kind)).toEqual(alertKind ? [alertKind] : []);

    pay.standIn.settleRefund(before.refund!.outRefundNo, 'SUCCESS');
    await until(async () => (await payment(id)).refund?.status === 'succeeded', 'the real refund notification');
  });
});
