/**
 * The payment function against the WeChat Pay stand-in (real signatures, encryption, notifications
 * delivered over HTTP to the host's /http/payment/notify) and the HIS stand-in.
 */
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf, type AppointmentDoc } from '../../../cloudfunctions/shared/booking/appointments';
import { sweepBookings } from '../../../cloudfunctions/shared/booking/sweeper';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { paymentsOf, type PaymentDoc } from '../../../cloudfunctions/shared/payment/payments';
import { reconcile } from '../../../cloudfunctions/shared/payment/reconcile';
import { sweepPayments } from '../../../cloudfunctions/shared/payment/sweep';
import { confirmWithHis, HIS_CONFIRM_ATTEMPTS, refundsAtOnce, startRefund } from '../../../cloudfunctions/shared/payment/settlement';
import { beijingDate } from '../../../cloudfunctions/shared/payment/wechatPay';
import { generateKeyPairSync } from 'node:crypto';
import { createControlledClock, type ControlledClock } from '../../../cloudfunctions/shared/clock';
import { newRequestId } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, type TestClinic } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';
import { until as waitUntil } from '../../support/until';

jest.setTimeout(60_000);

const PATIENT = 'pay-patient';

describe('payment function', () => {
  let his: TestHis;
  let pay: TestWeChatPay;
  let host: TestHost;
  let clinic: TestClinic;
  let patientId: string;
  let slotsByDay: Record<number, { id: string }[]>;
  let clock: ControlledClock;

  const services = () => ({ ...host.runtime, now: host.runtime.clock.now() });
  const appointment = async (id: string) => (await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(id) }))!;
  const payment = async (id: string) => (await paymentsOf(host.runtime.db).findOne({ appointmentId: new ObjectId(id) }))!;
  const until = (check: () => Promise<boolean>, what: string) => waitUntil(check, 20_000, what);
  const notify = (kind: 'transaction' | 'refund', request: { headers: Record<string, string>; body: string }) =>
    fetch(`${host.url}/http/payment/notify/${kind}`, { method: 'POST', headers: request.headers, body: request.body });

  /** One priced hold on the first slot of day `day` (1 = tomorrow): one per doctor and day is the rule. */
  async function holdPriced(day = 1): Promise<string> {
    const result = dataOf<{ outcome: string; appointment: { id: string } }>(
      await callAs(bookingMain, PATIENT, { action: 'hold', slotId: slotsByDay[day][0].id, patientId, requestId: newRequestId() }),
    );
    expect(result.outcome).toBe('pending_payment');
    return result.appointment.id;
  }
  async function prepay(appointmentId: string) {
    return dataOf<{ outTradeNo: string; amountFen: number; payParams: { package: string; paySign: string } }>(
      await callAs(paymentMain, PATIENT, { action: 'prepay', appointmentId }),
    );
  }
  async function payAndWait(appointmentId: string): Promise<string> {
    const { outTradeNo } = await prepay(appointmentId);
    pay.standIn.pay(outTradeNo);
    await until(async () => (await payment(appointmentId)).status === 'paid' && (await payment(appointmentId)).his?.status !== 'pending', 'the payment to be applied');
    return outTradeNo;
  }

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    // One business clock for the functions and WeChat Pay, as on the local host.
    clock = createControlledClock({ running: true });
    pay = await startTestWeChatPay({ clock });
    host = await startTestHost({ adminOpenids: [ADMIN], his: his.client, pay: pay.client, payStandIn: pay.standIn, clock });
    for (const openid of [ADMIN, PATIENT]) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(host.runtime);
    clinic = await createClinic({ places: 2, feeFen: 2500 });
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

  it('pays through the notification: the appointment is booked and confirmed with the HIS; a second prepay reuses the order', async () => {
    const id = await holdPriced();
    const first = await prepay(id);
    const again = await prepay(id);
    expect(again.outTradeNo).toBe(first.outTradeNo);
    expect(again.payParams.package).toBe(first.payParams.package);
    expect(first.amountFen).toBe(2500);
    expect(pay.standIn.order(first.outTradeNo)).toMatchObject({ amountFen: 2500 });

    pay.standIn.pay(first.outTradeNo);
    await until(async () => (await payment(id)).his?.status === 'confirmed', 'HIS confirmation');
    expect(await appointment(id)).toMatchObject({ status: 'booked', holdExpiresAt: null });
    expect(his.standIn.registrationStatus(id)).toBe('confirmed');
    expect(await callAs(paymentMain, PATIENT, { action: 'prepay', appointmentId: id })).toMatchObject({ ok: false, code: 'ALREADY_PAID' });
  });

  it('applies a notification replayed 15 times exactly once, answering 204 each time', async () => {
    const id = await holdPriced();
    await payAndWait(id);
    const before: PaymentDoc = await payment(id);
    const beforeAppointment: AppointmentDoc = await appointment(id);
    await pay.standIn.notificationsIdle(); // the stand-in logs a delivery once our answer is back
    const [delivered] = pay.standIn.notifications();
    for (let i = 0; i < 15; i++) expect((await notify('transaction', delivered)).status).toBe(204);
    expect(await payment(id)).toEqual(before);
    expect(await appointment(id)).toEqual(beforeAppointment);
  });

  it('refuses a forged signature with 401 and a tampered ciphertext with a valid signature, changing nothing', async () => {
    const id = await holdPriced();
    const { outTradeNo } = await prepay(id);
    const resource = { mchid: pay.config.mchid, appid: pay.config.appid, out_trade_no: outTradeNo, transaction_id: '4200000000000000001', trade_type: 'JSAPI', trade_state: 'SUCCESS', trade_state_desc: '支付成功', success_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'), amount: { total: 2500, payer_total: 2500, currency: 'CNY' }, payer: { openid: 'o-someone' } };
    const forged = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource, signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey });
    expect((await notify('transaction', forged)).status).toBe(401);
    const tampered = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource, tamperCiphertext: true });
    expect((await notify('transaction', tampered)).status).toBe(401);
    const stale = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource, at: new Date(Date.now() - 6 * 60_000) });
    expect((await notify('transaction', stale)).status).toBe(401);
    expect((await payment(id)).status).toBe('created');
    expect((await appointment(id)).status).toBe('pending_payment');
  });

  it('refunds a payment that arrives after the hold ended, and the patient reads why', async () => {
    const id = await holdPriced();
    const { outTradeNo } = await prepay(id);
    // The hold ended (here: the patient cancelled while the bank was still processing the payment).
    await appointmentsOf(host.runtime.db).updateOne({ _id: new ObjectId(id) }, { $set: { status: 'expired' }, $unset: { active: '' } });
    pay.standIn.pay(outTradeNo, { late: true });
    await until(async () => (await payment(id)).refund?.status === 'succeeded', 'the refund to succeed');
    expect(await payment(id)).toMatchObject({ status: 'paid', refund: { reason: 'late_payment', amountFen: 2500 } });
    expect(pay.standIn.refund((await payment(id)).refund!.outRefundNo)).toMatchObject({ status: 'SUCCESS' });
    const { appointment: view } = dataOf<{ appointment: { message: string; payment: { refund: { label: string } } } }>(await callAs(bookingMain, PATIENT, { action: 'get', appointmentId: id }));
    // The money is back, so the sentence says so (not 将原路退回).
    expect(view.message).toContain('挂号费已原路退回，请重新预约');
    expect(view.payment.refund.label).toBe('已原路退款');
  });

  it('refunds and gives the place back when the HIS refuses the registration', async () => {
    const id = await holdPriced();
    his.standIn.setMode('refuse');
    await payAndWait(id);
    await until(async () => (await payment(id)).refund?.status === 'succeeded', 'the refund');
    expect(await appointment(id)).toMatchObject({ status: 'cancelled' });
    expect(await payment(id)).toMatchObject({ his: { status: 'refused' }, refund: { reason: 'his_refused' } });
    const slot = await slotsOf(host.runtime.db).findOne({ _id: new ObjectId(slotsByDay[1][0].id) });
    expect(slot).toMatchObject({ remaining: 2, holders: [] });
  });

  it('answers the notification without waiting for a slow HIS, and the sweep confirms the registration later', async () => {
    const id = await holdPriced();
    his.standIn.setMode('slow', { delayMs: 10_000 });
    const { outTradeNo } = await prepay(id);
    pay.standIn.pay(outTradeNo);
    await until(async () => (await payment(id)).his?.attempts === 1, 'the first HIS attempt');
    expect(await payment(id)).toMatchObject({ status: 'paid', his: { status: 'pending' } });
    expect((await appointment(id)).status).toBe('booked');
    await pay.standIn.notificationsIdle();
    expect(pay.standIn.notifications().at(-1)?.status).toBe(204);

    his.standIn.setMode('normal');
    const report = await sweepPayments({ ...host.runtime, now: new Date(host.runtime.clock.now().getTime() + 60_000) });
    expect(report.hisRetried).toBe(1);
    expect(await payment(id)).toMatchObject({ his: { status: 'confirmed', attempts: 2 } });
    expect(his.standIn.registrationStatus(id)).toBe('confirmed');
  });

  it('a late HIS failure read before a confirmation loses: the registration stays confirmed and booked, nothing is refunded', async () => {
    const id = await holdPriced();
    his.standIn.setMode('fail');
    const { outTradeNo } = await prepay(id);
    pay.standIn.pay(outTradeNo);
    await until(async () => (await payment(id)).his?.attempts === 1, 'the first HIS attempt');
    await pay.standIn.notificationsIdle();
    // One more failure would give up: the slow attempt reads the payment now...
    await paymentsOf(host.runtime.db).updateOne({ _id: outTradeNo }, { $set: { 'his.attempts': HIS_CONFIRM_ATTEMPTS - 1 } });
    const stale = await payment(id);
    // ...another attempt confirms meanwhile...
    his.standIn.setMode('normal');
    await confirmWithHis(services(), await payment(id));
    expect(await payment(id)).toMatchObject({ his: { status: 'confirmed', attempts: HIS_CONFIRM_ATTEMPTS } });
    // ...and then the slow one fails, with what it read.
    his.standIn.setMode('fail');
    await confirmWithHis(services(), stale);
    expect(await payment(id)).toMatchObject({ status: 'paid', his: { status: 'confirmed', attempts: HIS_CONFIRM_ATTEMPTS } });
    expect((await payment(id)).refund).toBeUndefined();
    expect((await appointment(id)).status).toBe('booked');
    expect(his.standIn.registrationStatus(id)).toBe('confirmed');
  });

  it('before expiring an unpaid hold, finds a payment whose notification was lost, and otherwise closes the order', async () => {
    const paid = await holdPriced(1);
    const unpaid = await holdPriced(2);
    const paidOrder = (await prepay(paid)).outTradeNo;
    const unpaidOrder = (await prepay(unpaid)).outTradeNo;
    pay.standIn.pay(paidOrder, { notify: false });
    await sweepBookings({ ...host.runtime, now: new Date(host.runtime.clock.now().getTime() + 11 * 60_000) });
    expect((await appointment(paid)).status).toBe('booked');
    expect((await appointment(unpaid)).status).toBe('expired');
    expect(pay.standIn.order(unpaidOrder)?.tradeState).toBe('CLOSED');
    expect((await payment(unpaid)).status).toBe('closed');
  });

  it.each([
    ['00:58', '00:59', false],
    ['00:58', '01:00', true],
    ['22:58', '22:59', true],
    ['22:58', '23:00', false],
  ])('paid today at %s Beijing and cancelled at %s: refunded at once = %s (otherwise at the next reconciliation)', async (paidAt, cancelledAt, atOnce) => {
    const today = dayFromToday(0);
    clock.set(new Date(`${today}T${paidAt}:00+08:00`));
    const id = await holdPriced(2);
    await payAndWait(id);
    expect((await payment(id)).paidAt!.getTime() - Date.parse(`${today}T${paidAt}:00+08:00`)).toBeLessThan(10_000);
    clock.set(new Date(`${today}T${cancelledAt}:00+08:00`));
    const cancelled = dataOf<{ appointment: { status: string } }>(await callAs(bookingMain, PATIENT, { action: 'cancel', appointmentId: id }));
    expect(cancelled.appointment.status).toBe('cancelled');
    expect(his.standIn.registrationStatus(id)).toBe('cancelled');
    if (atOnce) await until(async () => (await payment(id)).refund?.status === 'succeeded', 'the immediate refund');
    else expect((await payment(id)).refund?.status).toBe('queued');
  });

  it.each([
    ['2026-11-26T01:00:00+08:00', '2026-11-26T10:00:00+08:00', true],
    ['2026-11-26T09:00:00+08:00', '2026-11-26T22:59:00+08:00', true],
    ['2026-11-26T09:00:00+08:00', '2026-11-26T23:00:00+08:00', false],
    ['2026-11-26T00:30:00+08:00', '2026-11-26T00:59:00+08:00', false],
    ['2026-11-25T22:00:00+08:00', '2026-11-26T09:00:00+08:00', false],
  ])('paid %s, cancelled %s: refunded at once = %s', (paidAt, now, expected) => {
    expect(refundsAtOnce(new Date(paidAt), new Date(now), 'Asia/Shanghai')).toBe(expected);
  });

  it('reconciles a bill with injected discrepancies: each one found and handled, queued refunds sent', async () => {
    pay.standIn.setMode({ bills: 'immediate' });
    const [matched, mismatched, missing, lost, queued] = [await holdPriced(1), await holdPriced(2), await holdPriced(3), await holdPriced(4), await holdPriced(5)];
    await payAndWait(matched);
    const mismatchedNo = await payAndWait(mismatched);
    const missingNo = await payAndWait(missing);
    await payAndWait(queued);
    await startRefund(services(), await payment(queued), 'cancelled', false);
    // Paid at WeChat, the notification lost, and the hold already ended here.
    const lostNo = (await prepay(lost)).outTradeNo;
    pay.standIn.pay(lostNo, { notify: false });
    await appointmentsOf(host.runtime.db).updateOne({ _id: new ObjectId(lost) }, { $set: { status: 'expired' }, $unset: { active: '' } });
    pay.standIn.tamperBill({ outTradeNo: mismatchedNo, amountFen: 2400 });
    pay.standIn.tamperBill({ outTradeNo: missingNo, drop: true });
    pay.standIn.tamperBill({ outTradeNo: 'YY000000000000000000000001', addTrade: { amountFen: 5000 } });

    const report = await reconcile(services(), beijingDate(host.runtime.clock.now()));
    const kinds = Object.fromEntries(report.findings.map((finding) => [finding.outTradeNo, `${finding.kind}/${finding.action}`]));
    expect(kinds).toEqual({
      [mismatchedNo]: 'amount_mismatch/reported',
      [missingNo]: 'missing_from_bill/reported',
      YY000000000000000000000001: 'unknown_trade/reported',
      [lostNo]: 'paid_not_registered/refunded',
    });
    expect(report.matched).toBe(2);
    expect(report.refundsSent).toBe(1);
    await until(async () => (await payment(queued)).refund?.status === 'succeeded' && (await payment(lost)).refund?.status === 'succeeded', 'refunds');
    const stored = dataOf<{ report: { findings: unknown[] } }>(await callAs(paymentMain, ADMIN, { action: 'reconciliation', date: beijingDate(host.runtime.clock.now()) }));
    expect(stored.report.findings).toHaveLength(4);
    expect(await callAs(paymentMain, PATIENT, { action: 'reconciliation', date: beijingDate(host.runtime.clock.now()) })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
  });
});
