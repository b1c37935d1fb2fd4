/**
 * Two managers of one card paying for the same held appointment, against the WeChat Pay stand-in (orders bound to
 * the payer's openid, closed orders not payable, real notifications to the host) and the HIS stand-in.
 */
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as paymentMain } from '../../../cloudfunctions/payment';
import { main as userMain } from '../../../cloudfunctions/user';
import type { StandInOrder } from '../../../cloudfunctions/local/wechatPayStandIn';
import { transactionResource } from '../../../cloudfunctions/local/wechatPayStandInNotices';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { sweepBookings } from '../../../cloudfunctions/shared/booking/sweeper';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { reconcile } from '../../../cloudfunctions/shared/payment/reconcile';
import { beijingDate } from '../../../cloudfunctions/shared/payment/wechatPay';
import { newRequestId } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindAs, PEOPLE } from '../../support/patients';
import { callAs, dataOf } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';
import { until as waitUntil } from '../../support/until';

jest.setTimeout(60_000);

const OWNER = 'family-owner';
const SON = 'family-son';
const STRANGER = 'family-stranger';

describe('a family member can pay', () => {
  let his: TestHis;
  let pay: TestWeChatPay;
  let host: TestHost;
  let patientId: string;
  let slots: { id: string }[];

  const appointment = async (id: string) => (await appointmentsOf(host.runtime.db).findOne({ _id: new ObjectId(id) }))!;
  const orders = (id: string) => paymentsOf(host.runtime.db).find({ appointmentId: new ObjectId(id) }).toArray();
  const prepay = (openid: string, appointmentId: string) => callAs(paymentMain, openid, { action: 'prepay', appointmentId });
  const prepaid = async (openid: string, appointmentId: string) => dataOf<{ outTradeNo: string; payParams: { package: string } }>(await prepay(openid, appointmentId));
  const until = (check: () => Promise<boolean>, what: string) => waitUntil(check, 20_000, what);
  /** Every order the stand-in holds for this appointment, including any that never made it into our store. */
  const ordersAtWeChat = async (id: string) =>
    ((await (await fetch(`${pay.standIn.origin}/__control/orders`)).json()) as StandInOrder[]).filter((order) => order.outTradeNo.startsWith(`YY${id}`));

  async function hold(): Promise<string> {
    const held = dataOf<{ outcome: string; appointment: { id: string } }>(await callAs(bookingMain, OWNER, { action: 'hold', slotId: slots[0].id, patientId, requestId: newRequestId() }));
    expect(held.outcome).toBe('pending_payment');
    return held.appointment.id;
  }

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    his = await startTestHis();
    pay = await startTestWeChatPay();
    pay.standIn.setMode({ bills: 'immediate' });
    host = await startTestHost({ adminOpenids: [ADMIN], his: his.client, pay: pay.client, payStandIn: pay.standIn });
    for (const openid of [ADMIN, OWNER, SON, STRANGER]) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(host.runtime);
    const clinic = await createClinic({ places: 2, feeFen: 2500 });
    patientId = (await bindAs(OWNER, PEOPLE.grandmother)).id;
    const { code } = dataOf<{ code: string }>(await callAs(patientMain, OWNER, { action: 'invite', patientId }));
    dataOf(await callAs(patientMain, SON, { action: 'accept', code, relation: 'parent' }));
    const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, OWNER, { action: 'schedules', doctorId: clinic.doctorId }));
    slots = days.find((day) => day.date === dayFromToday(1))!.periods.flatMap((period) => period.slots);
  });
  afterEach(async () => {
    await pay.standIn.notificationsIdle();
    await host.close();
    await pay.standIn.close();
    await his.standIn.close();
  });

  it("closes the first manager's order when the second pays: the second's payment books it, the first's order cannot be paid, reconciliation is clean", async () => {
    const id = await hold();
    const mine = await prepaid(OWNER, id);
    expect((await prepaid(OWNER, id)).outTradeNo).toBe(mine.outTradeNo); // the same payer again: the same order

    const sons = await prepaid(SON, id);
    expect(sons.outTradeNo).not.toBe(mine.outTradeNo);
    expect(sons.outTradeNo).toMatch(/^[0-9A-Za-z_\-|*]{6,32}$/);
    expect(pay.standIn.order(sons.outTradeNo)).toMatchObject({ payerOpenid: SON, tradeState: 'NOTPAY', amountFen: 2500 });
    expect(pay.standIn.order(mine.outTradeNo)).toMatchObject({ payerOpenid: OWNER, tradeState: 'CLOSED' });
    expect((await orders(id)).map((order) => [order._id, order.status]).sort()).toEqual([[mine.outTradeNo, 'closed'], [sons.outTradeNo, 'created']].sort());
    expect((await prepaid(SON, id)).outTradeNo).toBe(sons.outTradeNo);

    // The owner's cashier still shows the old order: WeChat refuses it.
    expect(() => pay.standIn.pay(mine.outTradeNo)).toThrow(/not payable/);
    pay.standIn.pay(sons.outTradeNo);
    await until(async () => (await orders(id)).some((order) => order.his?.status === 'confirmed'), 'the HIS confirmation');
    expect(await appointment(id)).toMatchObject({ status: 'booked' });
    expect((await orders(id)).filter((order) => order.status === 'paid').map((order) => [order._id, order.payerOpenid])).toEqual([[sons.outTradeNo, SON]]);
    expect(await prepay(OWNER, id)).toMatchObject({ ok: false, code: 'ALREADY_PAID' });

    const { appointment: view } = dataOf<{ appointment: { status: string; payment: { refund: unknown } | null } }>(await callAs(bookingMain, OWNER, { action: 'get', appointmentId: id }));
    expect(view.status).toBe('booked');
    const report = await reconcile({ ...host.runtime, now: host.runtime.clock.now() }, beijingDate(host.runtime.clock.now()));
    expect(report).toMatchObject({ billTrades: 1, matched: 1, findings: [] });
  });

  it('answers ALREADY_PAID when the first order was paid meanwhile (its notification not yet in), and applies that payment', async () => {
    const id = await hold();
    const mine = await prepaid(OWNER, id);
    pay.standIn.pay(mine.outTradeNo, { notify: false });
    expect(await prepay(SON, id)).toMatchObject({ ok: false, code: 'ALREADY_PAID' });
    expect(await appointment(id)).toMatchObject({ status: 'booked' });
    expect((await orders(id)).map((order) => [order._id, order.status])).toEqual([[mine.outTradeNo, 'paid']]);
    expect(await ordersAtWeChat(id)).toHaveLength(1);
  });

  it('leaves exactly one open order after parallel prepays by both managers, and that one can be paid', async () => {
    const id = await hold();
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all([OWNER, SON, OWNER, SON].map((openid) => prepay(openid, id)));
      for (const answer of answers) if (!answer.ok) expect(answer.code).toBe('CONFLICT');
      const open = (await orders(id)).filter((order) => order.status === 'created');
      expect(open).toHaveLength(1);
      const payable = (await ordersAtWeChat(id)).filter((order) => order.tradeState === 'NOTPAY');
      expect(payable.map((order) => order.outTradeNo)).toEqual([open[0]._id]);
    }
    const [open] = (await orders(id)).filter((order) => order.status === 'created');
    pay.standIn.pay(open._id);
    await until(async () => (await appointment(id)).status === 'booked', 'the booking');
    expect((await orders(id)).filter((order) => order.status === 'paid')).toHaveLength(1);
  });

  it('refunds a payment that lands on an order closed here after another order booked the appointment; reconciliation stays clean', async () => {
    const id = await hold();
    const mine = await prepaid(OWNER, id);
    // The owner's payment reaches WeChat while this side believes the order closed (the close lost a race).
    const landed = pay.standIn.pay(mine.outTradeNo, { notify: false });
    await paymentsOf(host.runtime.db).updateOne({ _id: mine.outTradeNo }, { $set: { status: 'closed' } });
    const sons = await prepaid(SON, id);
    pay.standIn.pay(sons.outTradeNo);
    await until(async () => (await appointment(id)).status === 'booked', 'the booking');

    const late = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: transactionResource(landed) });
    const answer = await fetch(`${host.url}/http/payment/notify/transaction`, { method: 'POST', headers: late.headers, body: late.body });
    expect(answer.status).toBe(204);
    await until(async () => (await paymentsOf(host.runtime.db).findOne({ _id: mine.outTradeNo }))?.refund?.status === 'succeeded', 'the late payment refunded');
    expect(await paymentsOf(host.runtime.db).findOne({ _id: mine.outTradeNo })).toMatchObject({ status: 'paid', refund: { reason: 'late_payment', outRefundNo: `RF${mine.outTradeNo.slice(2)}` } });
    expect(await paymentsOf(host.runtime.db).findOne({ _id: sons.outTradeNo })).toMatchObject({ status: 'paid' });
    expect((await paymentsOf(host.runtime.db).findOne({ _id: sons.outTradeNo }))?.refund).toBeUndefined();
    expect(await appointment(id)).toMatchObject({ status: 'booked' });
    // What the family sees is the booking's own payment, not the refunded one.
    const { appointment: view } = dataOf<{ appointment: { status: string; payment: { refund: unknown } | null } }>(await callAs(bookingMain, SON, { action: 'get', appointmentId: id }));
    expect(view).toMatchObject({ status: 'booked', payment: { refund: null } });
    const report = await reconcile({ ...host.runtime, now: host.runtime.clock.now() }, beijingDate(host.runtime.clock.now()));
    expect(report).toMatchObject({ billTrades: 3, matched: 2, findings: [] }); // two payments and the refund
  });

  it('lets a switched hold expire with every order closed, at WeChat and here', async () => {
    const id = await hold();
    const mine = await prepaid(OWNER, id);
    const sons = await prepaid(SON, id);
    await sweepBookings({ ...host.runtime, now: new Date(host.runtime.clock.now().getTime() + 11 * 60_000) });
    expect(await appointment(id)).toMatchObject({ status: 'expired' });
    expect((await ordersAtWeChat(id)).map((order) => [order.outTradeNo, order.tradeState]).sort()).toEqual([[mine.outTradeNo, 'CLOSED'], [sons.outTradeNo, 'CLOSED']].sort());
    expect((await orders(id)).map((order) => order.status)).toEqual(['closed', 'closed']);
    expect(await prepay(SON, id)).toMatchObject({ ok: false, code: 'PAYMENT_WINDOW_CLOSED' });
  });

  it('refunds at reconciliation a payment on an order closed here whose notification never came', async () => {
    const id = await hold();
    const mine = await prepaid(OWNER, id);
    pay.standIn.pay(mine.outTradeNo, { notify: false });
    await paymentsOf(host.runtime.db).updateOne({ _id: mine.outTradeNo }, { $set: { status: 'closed' } });
    const sons = await prepaid(SON, id);
    pay.standIn.pay(sons.outTradeNo);
    await until(async () => (await appointment(id)).status === 'booked', 'the booking');

    const report = await reconcile({ ...host.runtime, now: host.runtime.clock.now() }, beijingDate(host.runtime.clock.now()));
    expect(report.findings).toEqual([expect.objectContaining({ kind: 'paid_not_registered', outTradeNo: mine.outTradeNo, action: 'refunded' })]);
    expect(report.matched).toBe(1);
    await until(async () => (await paymentsOf(host.runtime.db).findOne({ _id: mine.outTradeNo }))?.refund?.status === 'succeeded', 'the refund');
    expect(await appointment(id)).toMatchObject({ status: 'booked' });
    expect((await paymentsOf(host.runtime.db).findOne({ _id: sons.outTradeNo }))?.refund).toBeUndefined();
  });

  it('still refuses a prepay from someone who does not manage the card, changing nothing', async () => {
    const id = await hold();
    const mine = await prepaid(OWNER, id);
    expect(await prepay(STRANGER, id)).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(pay.standIn.order(mine.outTradeNo)).toMatchObject({ tradeState: 'NOTPAY' });
    expect((await orders(id)).map((order) => order.status)).toEqual(['created']);
  });
});
