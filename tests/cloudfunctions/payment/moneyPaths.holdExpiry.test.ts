/**
 * Money path: the last moments of a priced hold, on a frozen business clock. The booking sweep runs a minute and a few
 * seconds before the hold ends and just after. A payer in the middle of paying (USERPAYING) keeps the hold: the order
 * is not closed under their feet and the payment books the place. A payment the bank declined, or a WeChat Pay that
 * cannot be asked, never releases a place blind: the order is closed at WeChat Pay first. A payment made at the last
 * second books the place whether the sweep or the notification gets there first, and the other changes nothing.
 */
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { transactionResource } from '../../../cloudfunctions/local/wechatPayStandInNotices';
import { sweepBookings } from '../../../cloudfunctions/shared/booking/sweeper';
import { createControlledClock, type ControlledClock } from '../../../cloudfunctions/shared/clock';
import { openMoneyWorld, PLACES, type MoneyWorld } from '../../support/moneyPaths';
import { callAs } from '../../support/runtime';

jest.setTimeout(60_000);

describe('money path: payments in the last moments of a hold', () => {
  let world: MoneyWorld;
  let clock: ControlledClock;
  let slotId: string;
  let id: string;
  let outTradeNo: string;
  let expiresAt: Date;

  beforeEach(async () => {
    // Frozen at the real now: WeChat Pay's stand-in keeps real time, so the order's time_expire is still ahead of it.
    clock = createControlledClock({ at: new Date(), running: false });
    world = await openMoneyWorld({ patient: 'hold-expiry-patient', clock });
    slotId = world.slotIds[0];
    id = await world.hold(slotId);
    outTradeNo = (await world.prepay(id)).outTradeNo;
    expiresAt = (await world.appointment(id)).holdExpiresAt!;
  });
  afterEach(() => world.close());

  /** The booking sweep at `ms` from the hold's end (negative: before it). */
  async function sweepAt(ms: number) {
    clock.set(new Date(expiresAt.getTime() + ms));
    return sweepBookings(world.services());
  }
  const holding = async () => {
    expect(await world.appointment(id)).toMatchObject({ status: 'pending_payment', active: true });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect((await world.payment(id)).status).toBe('created');
  };
  const released = async () => {
    expect(await world.appointment(id)).toMatchObject({ status: 'expired' });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES, holders: [] });
    expect((await world.payment(id)).status).toBe('closed');
    expect(world.pay.standIn.order(outTradeNo)?.tradeState).toBe('CLOSED');
  };

  it('keeps the hold of a payer who is paying (USERPAYING) past its end, and their payment books the place once', async () => {
    world.pay.standIn.startPaying(outTradeNo);
    for (const ms of [-60_000, -3_000, 5_000, 65_000]) {
      expect(await sweepAt(ms)).toMatchObject({ expired: 0, released: 0 });
      await holding();
      expect(world.pay.standIn.order(outTradeNo)?.tradeState).toBe('USERPAYING');
    }
    world.pay.standIn.pay(outTradeNo);
    await world.until(async () => (await world.payment(id)).his?.status === 'confirmed', 'the payment to book');
    expect(await world.appointment(id)).toMatchObject({ status: 'booked', holdExpiresAt: null });
    expect(await sweepAt(125_000)).toMatchObject({ expired: 0, released: 0 });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  });

  it('a payment the bank declined (PAYERROR) after USERPAYING: closed at WeChat Pay, then expired and the place given back', async () => {
    world.pay.standIn.startPaying(outTradeNo);
    await sweepAt(5_000);
    await holding();
    world.pay.standIn.failPayment(outTradeNo);
    expect(await sweepAt(65_000)).toMatchObject({ expired: 1 });
    await released();
    // Nobody can pay the closed order any more, so no payment can land on a released place.
    expect(() => world.pay.standIn.pay(outTradeNo, { late: true })).toThrow(/CLOSED/);
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  });

  it.each([
    ['answers 5xx', { unavailable: true }],
    ['times out', { delayMs: 2_500 }],
  ])('when WeChat Pay %s at the hold’s end, the hold is kept until it can be asked; then closed and released', async (_case, mode) => {
    expect(await sweepAt(-3_000)).toMatchObject({ expired: 0 });
    world.pay.standIn.setMode(mode);
    expect(await sweepAt(5_000)).toMatchObject({ expired: 0 });
    await holding();
    expect(world.pay.standIn.order(outTradeNo)?.tradeState).toBe('NOTPAY');
    world.pay.standIn.setMode({ unavailable: false, delayMs: 0 });
    expect(await sweepAt(65_000)).toMatchObject({ expired: 1 });
    await released();
  });

  it('a payment made 2 s before the end whose notification is late: the sweep books it, the notification then changes nothing', async () => {
    const hisBefore = world.his.standIn.requestCount();
    world.pay.standIn.pay(outTradeNo, { at: new Date(expiresAt.getTime() - 2_000), notify: false });
    expect(await sweepAt(5_000)).toMatchObject({ expired: 0, released: 0 });
    expect(await world.appointment(id)).toMatchObject({ status: 'booked' });
    await world.until(async () => (await world.payment(id)).his?.status === 'confirmed', 'the HIS confirmation');
    const settled = await world.payment(id);

    const late = world.pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: transactionResource(world.pay.standIn.order(outTradeNo)!) });
    expect((await world.notify('transaction', late)).status).toBe(204);
    expect(await world.payment(id)).toEqual(settled);
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect(world.his.standIn.requestCount() - hisBefore).toBe(1);
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  });

  it('a notification for a payment made in time that arrives after the end, before any sweep: booked, and the sweep leaves it', async () => {
    clock.set(new Date(expiresAt.getTime() + 30_000));
    world.pay.standIn.pay(outTradeNo, { at: new Date(expiresAt.getTime() - 1_000) });
    await world.until(async () => (await world.payment(id)).his?.status === 'confirmed', 'the payment to book');
    expect(await world.appointment(id)).toMatchObject({ status: 'booked' });
    expect(await sweepAt(65_000)).toMatchObject({ expired: 0, released: 0 });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  });

  it('the patient cannot cancel a hold while it is being paid (USERPAYING): coded error, hold and order untouched', async () => {
    world.pay.standIn.startPaying(outTradeNo);
    clock.set(new Date(expiresAt.getTime() - 60_000));
    const answer = await callAs(bookingMain, world.patient, { action: 'cancel', appointmentId: id });
    expect(answer).toMatchObject({ ok: false, code: 'PAYMENT_IN_PROGRESS' });
    await holding();
    expect(world.pay.standIn.order(outTradeNo)?.tradeState).toBe('USERPAYING');
    world.pay.standIn.pay(outTradeNo);
    await world.until(async () => (await world.payment(id)).his?.status === 'confirmed', 'the payment to book');
    expect(await world.appointment(id)).toMatchObject({ status: 'booked' });
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  });

  it('the patient cannot cancel a hold while WeChat Pay cannot say whether it was paid; once it can, the order is closed first', async () => {
    world.pay.standIn.setMode({ unavailable: true });
    const answer = await callAs(bookingMain, world.patient, { action: 'cancel', appointmentId: id });
    expect(answer).toMatchObject({ ok: false, code: 'PAY_UNAVAILABLE' });
    await holding();
    world.pay.standIn.setMode({ unavailable: false });
    expect(await callAs(bookingMain, world.patient, { action: 'cancel', appointmentId: id })).toMatchObject({ ok: true });
    expect(await world.appointment(id)).toMatchObject({ status: 'cancelled' });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES, holders: [] });
    expect(world.pay.standIn.order(outTradeNo)?.tradeState).toBe('CLOSED');
    expect(world.refundsAt(outTradeNo)).toEqual([]);
  });
});
