/**
 * Money path: a genuine WeChat Pay payment notification we cannot match (an order we never issued, or an amount that
 * is not the order's). Answered 204 (WeChat Pay stops: no retry could make it applicable), recorded once as a payment
 * alert for staff however often it is delivered, and nothing moves: no order paid, no appointment booked, no place
 * taken, nothing sent to the HIS, nothing refunded on a guess.
 */
import { paymentAlertsOf } from '../../../cloudfunctions/shared/payment/paymentAlerts';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { FEE_FEN, openMoneyWorld, PLACES, type MoneyWorld } from '../../support/moneyPaths';

jest.setTimeout(60_000);

const NEVER_ISSUED = 'YY0000000000000000000000000STRAY';

describe('money path: payment notifications that match no order', () => {
  let world: MoneyWorld;
  beforeEach(async () => {
    world = await openMoneyWorld({ patient: 'stray-notify-patient' });
  });
  afterEach(() => world.close());

  /** Everything a stray notification must not change. */
  async function snapshot() {
    const { db } = world.host.runtime;
    return {
      payments: await paymentsOf(db).find({}).sort({ _id: 1 }).toArray(),
      appointments: await appointmentsOf(db).find({}).sort({ _id: 1 }).toArray(),
      places: await Promise.all(world.slotIds.map((slotId) => world.place(slotId))),
      hisRequests: world.his.standIn.requestCount(),
      refunds: world.pay.standIn.refunds(),
    };
  }

  it('a payment for an order we never issued: 204 to every delivery, one alert counting them, nothing booked', async () => {
    const id = await world.hold(world.slotIds[0]);
    await world.prepay(id);
    const before = await snapshot();
    const { merchant } = world.pay.standIn;
    const resource = {
      mchid: merchant.mchid,
      appid: merchant.appid,
      out_trade_no: NEVER_ISSUED,
      transaction_id: '4200002026120100000000000001',
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      success_time: '2026-12-01T10:00:00+08:00',
      payer: { openid: 'o-someone-else' },
      amount: { total: FEE_FEN, payer_total: FEE_FEN, currency: 'CNY' },
    };
    // WeChat Pay delivers the same notification (same id) again when an answer is lost.
    const notification = world.pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource });
    for (let delivery = 0; delivery < 3; delivery++) {
      const answer = await world.notify('transaction', notification);
      expect(answer.status).toBe(204);
      expect(await answer.text()).toBe('');
    }

    expect(await snapshot()).toEqual(before);
    expect(await paymentsOf(world.host.runtime.db).findOne({ _id: NEVER_ISSUED })).toBeNull();
    expect((await world.appointment(id)).status).toBe('pending_payment');
    expect(await paymentAlertsOf(world.host.runtime.db).find({}).toArray()).toEqual([
      expect.objectContaining({ kind: 'unknown_order', outTradeNo: NEVER_ISSUED, deliveries: 3, received: expect.objectContaining({ totalFen: FEE_FEN }), detail: expect.stringContaining('本系统没有这笔订单') }),
    ]);
  });

  it('a payment of another amount for our order: 204, one alert, the hold untouched; the real payment still books once', async () => {
    const slotId = world.slotIds[0];
    const id = await world.hold(slotId);
    const { outTradeNo } = await world.prepay(id);
    const before = await snapshot();

    const notificationId = world.pay.standIn.sendMisleadingNotification({ outTradeNo, totalFen: 1, payerTotalFen: 1 });
    await world.pay.standIn.notificationsIdle();
    expect(world.pay.standIn.notifications().filter((attempt) => attempt.notificationId === notificationId).map((attempt) => attempt.status)).toEqual([204]);

    expect(await snapshot()).toEqual(before);
    expect(await world.payment(id)).toMatchObject({ status: 'created' });
    expect(await world.appointment(id)).toMatchObject({ status: 'pending_payment' });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect(await paymentAlertsOf(world.host.runtime.db).find({}).toArray()).toEqual([
      expect.objectContaining({ _id: notificationId, kind: 'amount_mismatch', outTradeNo, deliveries: 1, expected: expect.objectContaining({ totalFen: FEE_FEN }), received: expect.objectContaining({ totalFen: 1 }) }),
    ]);

    world.pay.standIn.pay(outTradeNo);
    await world.until(async () => (await world.payment(id)).his?.status === 'confirmed', 'the real payment');
    expect(await world.appointment(id)).toMatchObject({ status: 'booked' });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect(world.his.standIn.requestCount() - before.hisRequests).toBe(1);
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  });
});
