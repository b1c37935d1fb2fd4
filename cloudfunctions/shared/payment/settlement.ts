// What happens to money after the patient taps 支付 (Y2-Y4, B4): a payment is applied once, the
// registration is confirmed with the HIS, and every way an appointment can end without a visit ends
// in a refund. Each step is a conditional update, so a notification, a query at expiry, a sweep and
// a reconciliation can all race over the same order and the outcome is still applied once.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ObjectId } from 'mongodb';
import { appointmentsOf, releasePlace, type AppointmentDoc } from '../booking/appointments';
import { scheduleCache } from '../catalog/scheduleCache';
import type { Context } from '../context';
import { dateIn, formatClock } from '../domain/releaseRules';
import { AppError } from '../errors';
import { HisError } from '../his/his';
import { describeError } from '../log';
import { patientsOf } from '../patients/patientRepository';
import { queueBookingConfirmed, queueRefundCompleted, queueRefundUnderway } from '../messages/events';
import { orderOfAppointment, outRefundNoFor, paymentsOf, type PaymentDoc, type RefundReason, type RefundState } from './payments';
import { PayError } from './wechatPay';

export type Services = Pick<Context, 'db' | 'log' | 'his' | 'pay' | 'config' | 'now'>;

/** How long applying a payment waits for the HIS before answering (the notification must be answered within 5 s). */
export const HIS_CONFIRM_BUDGET_MS = 2500;

/** HIS confirmations are retried by the minute sweep this many times before the payment is refunded. */
export const HIS_CONFIRM_ATTEMPTS = 5;

export const REFUND_SENTENCES: Record<RefundReason, string> = {
  cancelled: '您已取消预约，挂号费将原路退回。',
  late_payment: '支付完成时预约已超过保留时间，号源已释放，挂号费将原路退回，请重新预约。',
  his_refused: '医院系统未能确认这次挂号，预约已取消，挂号费将原路退回。给您添麻烦了。',
  his_unavailable: '医院系统一直没有确认这次挂号，预约已取消，挂号费将原路退回。给您添麻烦了。',
  reconciliation: '对账发现这笔挂号费没有对应的挂号，已为您原路退回。',
  clinic_stopped: '医生停诊，预约已由医院取消，挂号费将原路退回。给您添麻烦了。',
};

export interface PaidOrder {
  outTradeNo: string;
  transactionId: string;
  amountFen: number;
  payerOpenid?: string;
  successTime?: Date;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'refunded' | 'unknown_order' | 'amount_mismatch';

/** Applies a successful payment once: the order is paid, the appointment booked (or refunded if its hold ended). */
export async function applyPayment(services: Services, order: PaidOrder): Promise<ApplyOutcome> {
  const { db, log, now } = services;
  const payment = await paymentsOf(db).findOne({ _id: order.outTradeNo });
  if (!payment) {
    log.error('payment for an order we do not have', { outTradeNo: order.outTradeNo });
    return 'unknown_order';
  }
  if (order.amountFen !== payment.amountFen) {
    // Never mark it paid: reconciliation reports it, staff decide.
    log.error('payment amount differs from the order', { outTradeNo: order.outTradeNo, orderFen: payment.amountFen, paidFen: order.amountFen });
    return 'amount_mismatch';
  }
  const paid = await paymentsOf(db).findOneAndUpdate(
    { _id: payment._id, status: { $in: ['created', 'closed'] } },
    { $set: { status: 'paid', transactionId: order.transactionId, paidAt: order.successTime ?? now, his: { status: 'pending', attempts: 0 }, updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (!paid) return 'duplicate';

  const booked = await appointmentsOf(db).findOneAndUpdate(
    { _id: payment.appointmentId, status: 'pending_payment' },
    { $set: { status: 'booked', holdExpiresAt: null, updatedAt: now } },
    { returnDocument: 'after' },
  );
  if (!booked) {
    await paymentsOf(db).updateOne({ _id: payment._id }, { $set: { 'his.status': 'failed', 'his.lastError': 'hold ended before payment' } });
    await startRefund(services, paid, 'late_payment', true);
    await queueRefundUnderway(services, payment.appointmentId, REFUND_SENTENCES.late_payment);
    return 'refunded';
  }
  scheduleCache.invalidateDoctor(booked.doctorId);
  // WeChat Pay wants an answer within 5 s: a slow HIS is left to finish (or to the minute sweep,
  // which retries whatever is still 'pending') rather than holding the notification open.
  const budget = new AbortController();
  const confirming = confirmWithHis(services, paid)
    .catch((error: unknown) => services.log.error('HIS confirmation failed', describeError(error)))
    .finally(() => budget.abort());
  await Promise.race([confirming, sleep(HIS_CONFIRM_BUDGET_MS, undefined, { signal: budget.signal }).catch(() => undefined)]);
  return 'applied';
}

/**
 * One attempt to confirm the paid registration with the HIS; a refusal (or too many failures) cancels
 * and refunds. Attempts overlap (the notification's and the minute sweep's), so each outcome is
 * written only onto the state this attempt started from: a confirmation only while still pending, a
 * failure only if nobody counted another attempt meanwhile. A late failure therefore never undoes a
 * confirmation, and only the writer that recorded "giving up" cancels and refunds.
 */
export async function confirmWithHis(services: Services, payment: PaymentDoc): Promise<void> {
  const { db, his, log, now } = services;
  const appointment = await appointmentsOf(db).findOne({ _id: payment.appointmentId });
  const patient = appointment && (await patientsOf(db).findOne({ _id: appointment.patientId }));
  if (!appointment || !patient || appointment.status !== 'booked') return;
  const seenAttempts = payment.his?.attempts ?? 0;
  try {
    const registration = await his.confirmRegistration({
      bookingId: appointment._id.toHexString(),
      hisPatientId: patient.hisPatientId,
      doctorId: appointment.doctorId.toHexString(),
      departmentId: appointment.departmentId.toHexString(),
      date: appointment.date,
      start: appointment.start.toISOString(),
      end: appointment.end.toISOString(),
      number: appointment.number ?? 0,
      feeFen: appointment.feeFen,
    });
    const confirmed = await paymentsOf(db).updateOne(
      { _id: payment._id, 'his.status': 'pending' },
      { $set: { 'his.status': 'confirmed', 'his.registrationId': registration.hisRegistrationId, updatedAt: now }, $inc: { 'his.attempts': 1 }, $unset: { 'his.lastError': '' } },
    );
    if (confirmed.modifiedCount === 0) log.warn('HIS confirmed a registration whose payment had already moved on', { outTradeNo: payment._id });
    else await queueBookingConfirmed(services, appointment);
  } catch (error) {
    if (!(error instanceof HisError)) throw error;
    const attempts = seenAttempts + 1;
    const givingUp = error.kind === 'refused' || attempts >= HIS_CONFIRM_ATTEMPTS;
    log.warn('HIS did not confirm a paid registration', { outTradeNo: payment._id, kind: error.kind, reason: error.reason, attempts, givingUp });
    const recorded = await paymentsOf(db).updateOne(
      { _id: payment._id, 'his.status': 'pending', 'his.attempts': seenAttempts },
      { $set: { 'his.status': givingUp ? (error.kind === 'refused' ? 'refused' : 'failed') : 'pending', 'his.lastError': error.hisCode ?? error.reason, updatedAt: now }, $inc: { 'his.attempts': 1 } },
    );
    // Another attempt confirmed or counted meanwhile: its outcome stands.
    if (recorded.modifiedCount === 0 || !givingUp) return;
    const cancelled = await cancelForRefund(services, appointment);
    if (!cancelled) return;
    const reason = error.kind === 'refused' ? 'his_refused' : 'his_unavailable';
    await startRefund(services, { ...payment, status: 'paid' }, reason, true);
    await queueRefundUnderway(services, appointment._id, REFUND_SENTENCES[reason]);
  }
}

/** booked -> cancelled by the system, the place back at once. */
async function cancelForRefund(services: Services, appointment: AppointmentDoc): Promise<boolean> {
  const cancelled = await appointmentsOf(services.db).findOneAndUpdate(
    { _id: appointment._id, status: 'booked' },
    { $set: { status: 'cancelled', cancelledAt: services.now, updatedAt: services.now }, $unset: { active: '' } },
    { returnDocument: 'after' },
  );
  if (!cancelled) return false;
  if (await releasePlace(services.db, appointment.slotId, appointment._id, appointment.number)) scheduleCache.invalidateDoctor(appointment.doctorId);
  return true;
}

/**
 * Y4: a cancellation booked and cancelled on the same calendar day between 01:00 and 23:00 is
 * refunded at once; otherwise it is queued and settled by the next reconciliation (T+1), when the
 * day's bill is final.
 */
export function refundsAtOnce(paidAt: Date, now: Date, timeZone: string): boolean {
  if (dateIn(paidAt, timeZone) !== dateIn(now, timeZone)) return false;
  const clock = formatClock(now, timeZone);
  return clock >= '01:00' && clock < '23:00';
}

/** Records the refund (once per order) and, when `now`, asks WeChat Pay for it. */
export async function startRefund(services: Services, payment: PaymentDoc, reason: RefundReason, immediately: boolean): Promise<RefundState | null> {
  const refund: RefundState = {
    outRefundNo: outRefundNoFor(payment._id),
    status: immediately ? 'processing' : 'queued',
    reason,
    amountFen: payment.amountFen,
    requestedAt: services.now,
  };
  const recorded = await paymentsOf(services.db).findOneAndUpdate(
    { _id: payment._id, status: 'paid', refund: { $exists: false } },
    { $set: { refund, updatedAt: services.now } },
    { returnDocument: 'after' },
  );
  if (!recorded) return null;
  if (immediately) return sendRefund(services, recorded);
  return refund;
}

/** Sends (or re-sends: out_refund_no makes it idempotent) the recorded refund to WeChat Pay. */
export async function sendRefund(services: Services, payment: PaymentDoc): Promise<RefundState | null> {
  const refund = payment.refund;
  if (!refund || refund.status === 'succeeded') return refund ?? null;
  try {
    const answer = await services.pay.refund({
      outTradeNo: payment._id,
      outRefundNo: refund.outRefundNo,
      refundFen: refund.amountFen,
      totalFen: payment.amountFen,
      reason: REFUND_SENTENCES[refund.reason].slice(0, 80),
      notifyUrl: refundNotifyUrl(services),
    });
    const status = answer.status === 'SUCCESS' ? 'succeeded' : answer.status === 'PROCESSING' ? 'processing' : 'failed';
    return settleRefund(services, payment._id, { status, refundId: answer.refundId });
  } catch (error) {
    if (!(error instanceof PayError)) throw error;
    // Unknown outcome: keep it 'processing'; the sweep asks WeChat Pay again and re-sends if needed.
    services.log.warn('refund request failed', { outTradeNo: payment._id, kind: error.kind });
    await paymentsOf(services.db).updateOne({ _id: payment._id, 'refund.status': 'queued' }, { $set: { 'refund.status': 'processing' } });
    return { ...refund, status: 'processing' };
  }
}

export async function settleRefund(services: Services, outTradeNo: string, outcome: { status: RefundState['status']; refundId?: string }): Promise<RefundState | null> {
  const updated = await paymentsOf(services.db).findOneAndUpdate(
    { _id: outTradeNo, 'refund.status': { $in: ['queued', 'processing'] } },
    {
      $set: {
        'refund.status': outcome.status,
        ...(outcome.refundId && { 'refund.refundId': outcome.refundId }),
        ...(outcome.status === 'succeeded' && { 'refund.settledAt': services.now }),
        updatedAt: services.now,
      },
    },
    { returnDocument: 'after' },
  );
  if (updated && outcome.status === 'succeeded') await queueRefundCompleted(services, updated.appointmentId);
  return updated?.refund ?? (await paymentsOf(services.db).findOne({ _id: outTradeNo }))?.refund ?? null;
}

/**
 * Whether an unpaid hold may end now (expire, or be cancelled): 'may_end' once no payment can land any more (its
 * order closed, or none open); otherwise why not: a payment was found ('paid', applied now), the payer is paying
 * ('paying'), or WeChat Pay could not be asked ('unreachable').
 */
export type HoldEndCheck = 'may_end' | 'paid' | 'paying' | 'unreachable';

/**
 * Y5: before an unpaid hold ends, make sure no payment was missed (ask WeChat Pay), then close the order so it
 * cannot be paid afterwards.
 */
export async function settleBeforeExpiry(services: Services, appointment: AppointmentDoc): Promise<HoldEndCheck> {
  const orders = await paymentsOf(services.db).find({ appointmentId: appointment._id }).toArray();
  if (orders.some((order) => order.status === 'paid')) return 'paid';
  const open = orders.find((order) => order.status === 'created');
  if (!open) return 'may_end';
  try {
    const outcome = await closeUnpaidOrder(services, open);
    return outcome === 'closed' ? 'may_end' : outcome;
  } catch (error) {
    if (!(error instanceof PayError)) throw error;
    // Cannot tell whether the patient paid: keep the hold a little longer, the next sweep asks again.
    services.log.warn('could not settle an order before expiry', { outTradeNo: open._id, kind: error.kind });
    return 'unreachable';
  }
}

/**
 * Closes an open order at WeChat Pay and then here, unless it was paid: the order is asked about first (a payment
 * whose notification has not arrived yet is applied now) and a close WeChat refuses because the payment just
 * landed is asked about again. WeChat never takes a payment for an order it closed, so nothing paid is lost; a
 * notification for an order closed here is still applied (applyPayment accepts 'closed'). PayError when WeChat
 * Pay cannot be reached: the caller decides.
 */
export async function closeUnpaidOrder(services: Services, order: PaymentDoc): Promise<'closed' | 'paid' | 'paying'> {
  const applyIfPaid = async (): Promise<'paid' | 'paying' | 'unpaid' | 'closed'> => {
    const state = await services.pay.queryOrder(order._id);
    if (state?.tradeState === 'SUCCESS' || state?.tradeState === 'REFUND') {
      await applyPayment(services, {
        outTradeNo: order._id,
        transactionId: state.transactionId ?? '',
        amountFen: state.amountFen ?? order.amountFen,
        payerOpenid: state.payerOpenid,
        successTime: state.successTime,
      });
      return 'paid';
    }
    if (state?.tradeState === 'USERPAYING') return 'paying';
    // null: WeChat never got the order (its creation failed or never finished), so nobody can pay it.
    return !state || state.tradeState === 'CLOSED' ? 'closed' : 'unpaid';
  };
  const before = await applyIfPaid();
  if (before === 'paid' || before === 'paying') return before;
  if (before === 'unpaid') {
    try {
      await services.pay.closeOrder(order._id);
    } catch (error) {
      if (!(error instanceof PayError && error.kind === 'refused')) throw error;
      const after = await applyIfPaid(); // ORDERPAID, signed or not: the query is the answer
      if (after === 'paid' || after === 'paying') return after;
      if (after === 'unpaid') throw error;
    }
  }
  await paymentsOf(services.db).updateOne({ _id: order._id, status: 'created' }, { $set: { status: 'closed', updatedAt: services.now } });
  return 'closed';
}

export function transactionNotifyUrl(services: Pick<Services, 'config'>): string {
  return `${services.config.payNotifyBase}/transaction`;
}

export function refundNotifyUrl(services: Pick<Services, 'config'>): string {
  return `${services.config.payNotifyBase}/refund`;
}

/** The refund a patient sees next to the appointment. */
export async function refundOf(services: Pick<Services, 'db'>, appointmentId: ObjectId): Promise<RefundState | null> {
  return (await orderOfAppointment(services.db, appointmentId))?.refund ?? null;
}

/**
 * Before 退号 (B4, Y4): an unpaid order is settled (a payment that did arrive turns the appointment
 * into a paid one) and closed; a hold being paid, or whose payment WeChat Pay cannot tell us about,
 * is not cancelled. A registration the HIS confirmed is cancelled there first, so that nothing
 * changes here when the HIS cannot be reached. Returns the appointment as it now stands.
 */
export async function prepareCancellation(services: Services, appointment: AppointmentDoc): Promise<AppointmentDoc> {
  if (appointment.feeFen === 0) return appointment;
  if (appointment.status === 'pending_payment') {
    const check = await settleBeforeExpiry(services, appointment);
    const current = (await appointmentsOf(services.db).findOne({ _id: appointment._id })) ?? appointment;
    // A payment that just landed booked it: cancelled as a paid booking (the HIS first).
    if (current.status !== 'pending_payment') return prepareCancellation(services, current);
    // Someone is paying, or WeChat Pay cannot say whether they paid: cancelling now would let the payment land on a
    // released place (then refunded, told it came too late). The hold stays as it is.
    if (check === 'unreachable') throw new AppError('PAY_UNAVAILABLE', '微信支付暂时连接不上，现在还不能取消这个预约，请稍后再试一次。');
    if (check !== 'may_end') throw new AppError('PAYMENT_IN_PROGRESS', '这个预约正在付款，现在还不能取消。请稍等一两分钟，刷新后再看：付款成功后也可以退号，挂号费会原路退回。');
    return current;
  }
  const payment = await orderOfAppointment(services.db, appointment._id);
  if (payment?.status === 'paid' && (payment.his?.status === 'confirmed' || payment.his?.status === 'pending')) {
    try {
      await services.his.cancelRegistration(appointment._id.toHexString());
    } catch (error) {
      if (!(error instanceof HisError)) throw error;
      throw new AppError(error.kind === 'refused' ? 'HIS_REFUSED_CANCEL' : 'HIS_UNAVAILABLE');
    }
  }
  return appointment;
}

/** After 退号 of a paid appointment: the refund, at once or at the next reconciliation (Y4). */
export async function refundCancelled(services: Services, appointment: AppointmentDoc, hospitalCaused = false): Promise<void> {
  // The order that booked it: a second, late payment on another order has its own refund already.
  const payment = await orderOfAppointment(services.db, appointment._id);
  if (payment?.status !== 'paid' || !payment.paidAt) return;
  if (hospitalCaused) await startRefund(services, payment, 'clinic_stopped', true);
  else await startRefund(services, payment, 'cancelled', refundsAtOnce(payment.paidAt, services.now, services.config.timeZone));
}
