/**
 * Money path: the HIS never confirms a paid registration (HIS down, stand-in mode fail). The notification's attempt
 * and the minute sweep's retries count up to HIS_CONFIRM_ATTEMPTS; the one that gives up cancels the appointment,
 * gives the place back and refunds the full fee once. A paid booking the patient wants to cancel while the HIS
 * refuses or fails to cancel it stays exactly as it was: a coded error, no refund, the place and the HIS
 * registration kept (the money never leaves while the hospital still holds the registration).
 */
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { refundSentence } from '../../../cloudfunctions/shared/domain/slipWording';
import { HIS_CONFIRM_ATTEMPTS } from '../../../cloudfunctions/shared/payment/settlement';
import { sweepPayments } from '../../../cloudfunctions/shared/payment/sweep';
import { FEE_FEN, openMoneyWorld, PLACES, type MoneyWorld } from '../../support/moneyPaths';
import { callAs, dataOf } from '../../support/runtime';

jest.setTimeout(60_000);

describe('money path: the HIS and a paid registration', () => {
  let world: MoneyWorld;
  beforeEach(async () => {
    world = await openMoneyWorld({ patient: 'his-gives-up-patient' });
  });
  afterEach(() => world.close());

  const sweepAMinuteLater = () => {
    world.host.runtime.clock.advance(60_000);
    return sweepPayments(world.services());
  };
  const view = async (id: string) =>
    dataOf<{ appointment: { status: string; message: string; payment: { paid: boolean; refund: { label: string; amountFen: number } | null } } }>(
      await callAs(bookingMain, world.patient, { action: 'get', appointmentId: id }),
    ).appointment;

  it(`gives up after ${HIS_CONFIRM_ATTEMPTS} failed confirmations: cancelled, the place back, the fee refunded once`, async () => {
    const slotId = world.slotIds[0];
    const id = await world.hold(slotId);
    const { outTradeNo } = await world.prepay(id);
    world.his.standIn.setMode('fail');
    world.pay.standIn.pay(outTradeNo);
    await world.until(async () => (await world.payment(id)).his?.attempts === 1, 'the first HIS attempt');
    await world.pay.standIn.notificationsIdle();
    expect(await world.appointment(id)).toMatchObject({ status: 'booked' });
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });

    for (let attempt = 2; attempt < HIS_CONFIRM_ATTEMPTS; attempt++) {
      expect(await sweepAMinuteLater()).toMatchObject({ hisRetried: 1 });
      expect(await world.payment(id)).toMatchObject({ his: { status: 'pending', attempts: attempt } });
      expect((await world.appointment(id)).status).toBe('booked');
    }
    expect(world.refundsAt(outTradeNo)).toEqual([]);

    expect(await sweepAMinuteLater()).toMatchObject({ hisRetried: 1 });
    await world.until(async () => (await world.payment(id)).refund?.status === 'succeeded', 'the refund');
    expect(await world.payment(id)).toMatchObject({ status: 'paid', his: { status: 'failed', attempts: HIS_CONFIRM_ATTEMPTS }, refund: { reason: 'his_unavailable', amountFen: FEE_FEN } });
    expect(await world.appointment(id)).toMatchObject({ status: 'cancelled' });
    expect((await world.appointment(id)).active).toBeUndefined();
    expect(await world.place(slotId)).toEqual({ remaining: PLACES, holders: [] });
    expect(world.his.standIn.registrationStatus(id)).toBeNull();
    expect(world.refundsAt(outTradeNo)).toEqual([expect.objectContaining({ status: 'SUCCESS', refundFen: FEE_FEN })]);
    expect(await view(id)).toMatchObject({ status: 'cancelled', message: refundSentence('his_unavailable', 'succeeded'), payment: { refund: { label: '已原路退款', amountFen: FEE_FEN } } });

    // The HIS comes back: nothing left to retry, nothing refunded twice, and the place can be booked again.
    world.his.standIn.setMode('normal');
    expect(await sweepAMinuteLater()).toMatchObject({ hisRetried: 0, refundsChecked: 0 });
    expect(world.his.standIn.registrationStatus(id)).toBeNull();
    expect(world.refundsAt(outTradeNo)).toHaveLength(1);
  });

  it.each([
    ['refuses', 'refuse', 'HIS_REFUSED_CANCEL'],
    ['cannot be reached', 'fail', 'HIS_UNAVAILABLE'],
  ] as const)('when the HIS %s to cancel a paid booking: a coded error and nothing half-done; cancelled and refunded once it agrees', async (_case, mode, code) => {
    const slotId = world.slotIds[0];
    const id = await world.hold(slotId);
    const { outTradeNo } = await world.prepay(id);
    world.pay.standIn.pay(outTradeNo);
    await world.until(async () => (await world.payment(id)).his?.status === 'confirmed', 'the HIS confirmation');
    const paidBefore = await world.payment(id);
    const bookedBefore = await world.appointment(id);

    world.his.standIn.setMode(mode);
    const refused = await callAs(bookingMain, world.patient, { action: 'cancel', appointmentId: id });
    expect(refused).toMatchObject({ ok: false, code, message: expect.stringMatching(/[\u4e00-\u9fff]/) });
    expect(await world.appointment(id)).toEqual(bookedBefore);
    expect(await world.payment(id)).toEqual(paidBefore);
    expect(await world.place(slotId)).toEqual({ remaining: PLACES - 1, holders: [id] });
    expect(world.his.standIn.registrationStatus(id)).toBe('confirmed');
    expect(world.refundsAt(outTradeNo)).toEqual([]);
    expect(await view(id)).toMatchObject({ status: 'booked', payment: { paid: true, refund: null } });

    world.his.standIn.setMode('normal');
    const cancelled = dataOf<{ appointment: { status: string } }>(await callAs(bookingMain, world.patient, { action: 'cancel', appointmentId: id }));
    expect(cancelled.appointment.status).toBe('cancelled');
    expect(world.his.standIn.registrationStatus(id)).toBe('cancelled');
    expect(await world.place(slotId)).toEqual({ remaining: PLACES, holders: [] });
    const refund = (await world.payment(id)).refund!;
    expect(refund).toMatchObject({ reason: 'cancelled', amountFen: FEE_FEN });
    // Y4: refunded at once on the day it was paid (01:00-23:00), otherwise queued for the next reconciliation.
    if (refund.status === 'queued') expect(world.refundsAt(outTradeNo)).toEqual([]);
    else await world.until(() => world.refundsAt(outTradeNo).some((entry) => entry.status === 'SUCCESS'), 'the refund at WeChat Pay');
    expect(world.refundsAt(outTradeNo).length).toBeLessThanOrEqual(1);
  });
});
