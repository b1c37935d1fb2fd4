/**
 * Money path: a refund whose outcome we could not learn. WeChat Pay answered 5xx (the refund never arrived), the call
 * timed out after the refund had arrived, or it answered PROCESSING and its notification was lost. The minute sweep
 * asks WeChat Pay again, re-sends a refund it never got, and the patient ends with exactly one successful refund of the
 * full fee at WeChat Pay. The refund here comes from the HIS refusing the paid registration (refunded at once).
 */
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { sweepPayments } from '../../../cloudfunctions/shared/payment/sweep';
import { callAs, dataOf } from '../../support/runtime';
import { startNotifyReceiver, type NotifyReceiver } from '../../support/wechatPay';
import { FEE_FEN, openMoneyWorld, PLACES, type MoneyWorld } from '../../support/moneyPaths';

jest.setTimeout(60_000);

describe('money path: a refund whose outcome is unknown', () => {
  let world: MoneyWorld;
  let lostNotifications: NotifyReceiver;

  beforeEach(async () => {
    world = await openMoneyWorld({ patient: 'refund-unknown-patient' });
    lostNotifications = await startNotifyReceiver();
  });
  afterEach(async () => {
    await world.close();
    await lostNotifications.close();
  });

  /** A paid hold whose registration the HIS refuses: the refund starts inside the payment notification. */
  async function paidAndRefused(): Promise<{ id: string; outTradeNo: string }> {
    const id = await world.hold(world.slotIds[0]);
    const { outTradeNo } = await world.prepay(id);
    world.his.standIn.setMode('refuse');
    return { id, outTradeNo };
  }

  /** The minute sweep, as its timer runs it a minute later. */
  async function sweepAMinuteLater() {
    world.host.runtime.clock.advance(60_000);
    return sweepPayments(world.services());
  }

  it('re-sends a refund that WeChat Pay answered 5xx to (it never arrived): one SUCCESS at WeChat Pay, the patient reads 已原路退款', async () => {
    const { id, outTradeNo } = await paidAndRefused();
    world.pay.standIn.setMode({ unavailable: true });
    world.pay.standIn.pay(outTradeNo);
    await world.until(async () => (await world.payment(id)).refund?.status === 'processing', 'the refund to be asked for');
    await world.pay.standIn.notificationsIdle();
    expect(world.refundsAt(outTradeNo)).toEqual([]);
    expect(await world.appointment(id)).toMatchObject({ status: 'cancelled' });
    expect(await world.place(world.slotIds[0])).toEqual({ remaining: PLACES, holders: [] });

    // Still down at the first sweep: nothing sent twice, nothing settled on a guess.
    expect(await sweepAMinuteLater()).toMatchObject({ refundsChecked: 1 });
    expect(world.refundsAt(outTradeNo)).toEqual([]);
    expect((await world.payment(id)).refund?.status).toBe('processing');

    world.pay.standIn.setMode({ unavailable: false });
    expect(await sweepAMinuteLater()).toMatchObject({ refundsChecked: 1 });
    await world.until(async () => (await world.payment(id)).refund?.status === 'succeeded', 'the re-sent refund to succeed');
    expect(world.refundsAt(outTradeNo)).toEqual([{ outRefundNo: (await world.payment(id)).refund!.outRefundNo, status: 'SUCCESS', refundFen: FEE_FEN }]);
    const { appointment: view } = dataOf<{ appointment: { status: string; payment: { refund: { label: string; amountFen: number } } } }>(
      await callAs(bookingMain, world.patient, { action: 'get', appointmentId: id }),
    );
    expect(view).toMatchObject({ status: 'cancelled', payment: { refund: { label: '已原路退款', amountFen: FEE_FEN } } });

    // Later sweeps leave a settled refund alone.
    expect(await sweepAMinuteLater()).toMatchObject({ refundsChecked: 0 });
    expect(world.refundsAt(outTradeNo)).toHaveLength(1);
  });

  it.each([
    ['answered PROCESSING', 0],
    ['timed out after the refund arrived', 2_500],
  ])('settles a refund WeChat Pay %s, whose notification was lost, from the query: never sent twice', async (_case, delayMs) => {
    const { id, outTradeNo } = await paidAndRefused();
    // Refund notifications go to a receiver that drops them (the order's own notification still reaches the host).
    world.host.runtime.config.payNotifyBase = lostNotifications.url;
    world.pay.standIn.setMode({ refund: 'processing', delayMs });
    world.pay.standIn.pay(outTradeNo);
    await world.until(() => world.refundsAt(outTradeNo).length === 1, 'the refund to reach WeChat Pay');
    await world.until(async () => (await world.payment(id)).refund?.status === 'processing', 'the refund to be recorded as processing');
    world.pay.standIn.setMode({ delayMs: 0 });

    // WeChat Pay is still processing it: the sweep asks and leaves it be.
    expect(await sweepAMinuteLater()).toMatchObject({ refundsChecked: 1 });
    expect((await world.payment(id)).refund?.status).toBe('processing');

    const { outRefundNo } = (await world.payment(id)).refund!;
    world.pay.standIn.settleRefund(outRefundNo, 'SUCCESS');
    await world.pay.standIn.notificationsIdle();
    expect(lostNotifications.received.length).toBeGreaterThan(0);
    expect((await world.payment(id)).refund?.status).toBe('processing');

    expect(await sweepAMinuteLater()).toMatchObject({ refundsChecked: 1 });
    expect((await world.payment(id)).refund).toMatchObject({ status: 'succeeded', amountFen: FEE_FEN, reason: 'his_refused', refundId: expect.any(String) });
    expect(world.refundsAt(outTradeNo)).toEqual([{ outRefundNo, status: 'SUCCESS', refundFen: FEE_FEN }]);
  });
});
