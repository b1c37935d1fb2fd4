/**
 * Money path: the T+1 reconciliation meets a paid booking the HIS has not confirmed (`his_pending`). It tries the
 * registration once more: confirmed, it is simply matched; still down with attempts left, it is reported; down with the
 * last attempt used, the booking is cancelled and refunded. Running the reconciliation again never registers twice
 * at the HIS and never refunds twice.
 */
import { HIS_CONFIRM_ATTEMPTS } from '../../../cloudfunctions/shared/payment/settlement';
import { paymentsOf } from '../../../cloudfunctions/shared/payment/payments';
import { reconcile } from '../../../cloudfunctions/shared/payment/reconcile';
import { beijingDate } from '../../../cloudfunctions/shared/payment/wechatPay';
import { FEE_FEN, openMoneyWorld, PLACES, type MoneyWorld } from '../../support/moneyPaths';

jest.setTimeout(60_000);

describe('money path: reconciliation and a registration the HIS never confirmed', () => {
  let world: MoneyWorld;
  beforeEach(async () => {
    world = await openMoneyWorld({ patient: 'his-pending-patient' });
    world.pay.standIn.setMode({ bills: 'immediate' });
  });
  afterEach(() => world.close());

  /** Paid while the HIS was down: booked here, `his.status` pending after the notification's attempt. */
  async function paidWhileHisDown(): Promise<{ id: string; outTradeNo: string }> {
    const id = await world.hold(world.slotIds[0]);
    const { outTradeNo } = await world.prepay(id);
    world.his.standIn.setMode('fail');
    world.pay.standIn.pay(outTradeNo);
    await world.until(async () => (await world.payment(id)).his?.attempts === 1, 'the first HIS attempt');
    await world.pay.standIn.notificationsIdle();
    expect(await world.payment(id)).toMatchObject({ status: 'paid', his: { status: 'pending' } });
    return { id, outTradeNo };
  }
  /** The reconciliation of today's bill, and how many requests the HIS received while it ran. */
  async function reconcileToday() {
    const before = world.his.standIn.requestCount();
    const report = await reconcile(world.services(), beijingDate(world.host.runtime.clock.now()));
    return { report, hisRequests: world.his.standIn.requestCount() - before };
  }

  it('reports it while the HIS is down, registers it once the HIS is back, and a second run changes nothing', async () => {
    const { id, outTradeNo } = await paidWhileHisDown();

    const whileDown = await reconcileToday();
    expect(whileDown.report.findings).toEqual([expect.objectContaining({ kind: 'his_pending', outTradeNo, action: 'reported' })]);
    expect(whileDown.hisRequests).toBeGreaterThan(0); // one attempt (the HIS client retries a 503 once)
    expect(await world.payment(id)).toMatchObject({ his: { status: 'pending', attempts: 2 } });

    world.his.standIn.setMode('normal');
    const back = await reconcileToday();
    expect(back.report).toMatchObject({ findings: [], matched: 1, refundsSent: 0 });
    expect(back.hisRequests).toBe(1);
    const registered = await world.payment(id);
    expect(registered).toMatchObject({ his: { status: 'confirmed', attempts: 3, registrationId: expect.any(String) } });
    expect(world.his.standIn.registrationStatus(id)).toBe('confirmed');
    expect((await world.appointment(id)).status).toBe('booked');

    const again = await reconcileToday();
    expect(again.report).toMatchObject({ findings: [], matched: 1, refundsSent: 0 });
    expect(again.hisRequests).toBe(0);
    expect(await world.payment(id)).toEqual(registered);
    expect(world.refundsAt(outTradeNo)).toEqual([]);
    expect(await world.place(world.slotIds[0])).toEqual({ remaining: PLACES - 1, holders: [id] });
  });

  it('uses the last attempt when the HIS is still down: cancelled, the place back, refunded once however often it runs', async () => {
    const { id, outTradeNo } = await paidWhileHisDown();
    // The sweep used every attempt but one.
    await paymentsOf(world.host.runtime.db).updateOne({ _id: outTradeNo }, { $set: { 'his.attempts': HIS_CONFIRM_ATTEMPTS - 1 } });

    const first = await reconcileToday();
    expect(first.report.findings).toEqual([expect.objectContaining({ kind: 'paid_not_registered', outTradeNo, action: 'refunded' })]);
    await world.until(async () => (await world.payment(id)).refund?.status === 'succeeded', 'the refund');
    expect(await world.payment(id)).toMatchObject({ his: { status: 'failed', attempts: HIS_CONFIRM_ATTEMPTS }, refund: { reason: 'his_unavailable', amountFen: FEE_FEN } });
    expect((await world.appointment(id)).status).toBe('cancelled');
    expect(await world.place(world.slotIds[0])).toEqual({ remaining: PLACES, holders: [] });

    world.his.standIn.setMode('normal');
    const second = await reconcileToday();
    expect(second.report).toMatchObject({ findings: [], matched: 1, refundsSent: 0 });
    expect(second.hisRequests).toBe(0);
    expect(world.his.standIn.registrationStatus(id)).toBeNull();
    expect(world.refundsAt(outTradeNo)).toEqual([expect.objectContaining({ status: 'SUCCESS', refundFen: FEE_FEN })]);
  });
});
