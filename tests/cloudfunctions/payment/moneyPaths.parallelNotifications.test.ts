/**
 * Money path: WeChat Pay delivers the same payment notification several times at once (its retries overlap a slow
 * answer, or several gateway instances receive it). Eight identical signed notifications POSTed together to the host's
 * HTTP access: all answered 204, and exactly one settlement, one HIS registration, one place. The same for a payment
 * notification racing the expiry sweep's query, and for overlapping refund notifications.
 */
import { transactionResource } from '../../../cloudfunctions/local/wechatPayStandInNotices';
import { sweepBookings } from '../../../cloudfunctions/shared/booking/sweeper';
import { createControlledClock, type ControlledClock } from '../../../cloudfunctions/shared/clock';
import { FEE_FEN, openMoneyWorld, PLACES, type MoneyWorld } from '../../support/moneyPaths';

jest.setTimeout(60_000);

const COPIES = 8;

describe('money path: duplicate payment notifications in parallel', () => {
  let world: MoneyWorld;
  let clock: ControlledClock;
  let slotId: string;
  let id: string;
  let outTradeNo: string;

  beforeEach(async () => {
    clock = createControlledClock({ at: new Date(), running: false });
    world = await openMoneyWorld({ patient: 'parallel-notify-patient', clock });
    slotId = world.slotIds[0];
    id = await world.hold(slotId);
    outTradeNo = (await world.prepay(id)).outTradeNo;
  });
  afterEach(() => world.close());

  /** The payment at WeChat Pay (its own delivery held back) and one signed notification of it, as WeChat would send it. */
  function paidWithNotification() {
    world.pay.standIn.pay(outTradeNo, { notify: false });
    return world.pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: transactionResource(world.pay.standIn.order(outTradeNo)!) });
  }
  async function expectBookedOnce(hisBefore: number) {
    await world.until(async () => (await world.payment(id)).his?.status === 'confirmed', 'the HIS confirmation');
    expect(await world.payment(id)).toMatchObject({ status: 'paid', amountFen: FEE_FEN, his: { status: 'confirmed', attempts: 1 } });
    expect((await world.payment(id)).refund).toBeUndefined();
    expect(await world.appointment(id)).toMatchObject({ status: 'booked' });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect(world.his.standIn.requestCount() - hisBefore).toBe(1);
    expect(world.his.standIn.registrationStatus(id)).toBe('confirmed');
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  }

  it(`${COPIES} identical notifications at once: all 204, one settlement, one HIS registration, one place`, async () => {
    const hisBefore = world.his.standIn.requestCount();
    const notification = paidWithNotification();
    const answers = await Promise.all(Array.from({ length: COPIES }, () => world.notify('transaction', notification)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(COPIES).fill(204));
    await expectBookedOnce(hisBefore);
    // One settlement: the payment was recorded once (paidAt and the transaction are those of the single write).
    expect(await world.payment(id)).toMatchObject({ transactionId: world.pay.standIn.order(outTradeNo)!.transactionId });

    // WeChat's later retries find it settled.
    const settled = await world.payment(id);
    const replays = await Promise.all(Array.from({ length: COPIES }, () => world.notify('transaction', notification)));
    expect(replays.map((answer) => answer.status)).toEqual(Array(COPIES).fill(204));
    expect(await world.payment(id)).toEqual(settled);
  });

  it('notifications racing the expiry sweep’s query of the same payment: booked once, never expired or refunded', async () => {
    const hisBefore = world.his.standIn.requestCount();
    const notification = paidWithNotification();
    clock.set(new Date((await world.appointment(id)).holdExpiresAt!.getTime() + 1_000));
    const [report, ...answers] = await Promise.all([
      sweepBookings(world.services()),
      ...Array.from({ length: COPIES / 2 }, () => world.notify('transaction', notification)),
    ]);
    expect(report).toMatchObject({ expired: 0, released: 0 });
    expect(answers.map((answer) => answer.status)).toEqual(Array(COPIES / 2).fill(204));
    await expectBookedOnce(hisBefore);
  });

  it('overlapping refund notifications settle the refund once', async () => {
    // The HIS refuses the registration, so the payment is refunded at once; WeChat Pay keeps it PROCESSING for now.
    world.his.standIn.setMode('refuse');
    world.pay.standIn.setMode({ refund: 'processing' });
    expect((await world.notify('transaction', paidWithNotification())).status).toBe(204);
    await world.until(async () => (await world.payment(id)).refund?.status === 'processing', 'the refund request');
    const { outRefundNo } = (await world.payment(id)).refund!;

    const settledAtWeChat = world.pay.standIn.settleRefund(outRefundNo, 'SUCCESS');
    await world.pay.standIn.notificationsIdle();
    const [delivered] = world.pay.standIn.notifications().filter((attempt) => attempt.eventType === 'REFUND.SUCCESS');
    const answers = await Promise.all(Array.from({ length: COPIES }, () => world.notify('refund', delivered)));
    expect(answers.map((answer) => answer.status)).toEqual(Array(COPIES).fill(204));
    expect((await world.payment(id)).refund).toMatchObject({ status: 'succeeded', refundId: settledAtWeChat.refundId, amountFen: FEE_FEN, reason: 'his_refused' });
    expect(world.refundsAt(outTradeNo)).toEqual([{ outRefundNo, status: 'SUCCESS', refundFen: FEE_FEN }]);
    expect(await world.appointment(id)).toMatchObject({ status: 'cancelled' });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES, holders: [] });
  });
});
