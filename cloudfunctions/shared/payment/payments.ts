// Payment orders (Y1-Y5): WeChat Pay orders for priced appointments, each with its refund and HIS outcome.
// Money is integer fen everywhere.
/*
 * One document per WeChat Pay order, `_id` = out_trade_no. An order is bound to the openid that will pay it, so
 * when another manager of the card pays, the open order is closed and a new one issued for that payer
 * (openOrder.ts): an appointment can have several orders, at most one of them open (`status: 'created'`, unique
 * partial index). Why not one document per appointment with a current order: WeChat Pay keys everything by
 * out_trade_no (notifications, the bill, refunds), and a closed order can still end up paid (a close that lost a
 * race), needing its own paid state and its own refund. One document per order keeps notifications, the
 * reconciliation and refunds as they were (they look orders up by `_id`); only questions about "the payment of an
 * appointment" pick among its orders (`orderOfAppointment`).
 */
import { randomBytes } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';

export type OrderStatus = 'created' | 'paid' | 'closed';
export type RefundStatus = 'queued' | 'processing' | 'succeeded' | 'failed';
export type RefundReason = 'cancelled' | 'late_payment' | 'his_refused' | 'his_unavailable' | 'reconciliation' | 'clinic_stopped';

export interface RefundState {
  outRefundNo: string;
  status: RefundStatus;
  reason: RefundReason;
  amountFen: number;
  requestedAt: Date;
  refundId?: string;
  settledAt?: Date;
}

export interface PaymentDoc {
  /** out_trade_no. */
  _id: string;
  appointmentId: ObjectId;
  patientId: ObjectId;
  createdBy: ObjectId;
  payerOpenid: string;
  amountFen: number;
  description: string;
  status: OrderStatus;
  prepayId: string;
  /** When the order (and the hold) expires. */
  expiresAt: Date;
  transactionId?: string;
  paidAt?: Date;
  /** The registration in the HIS after payment: pending until confirmed or given up. */
  his?: { status: 'pending' | 'confirmed' | 'refused' | 'failed'; attempts: number; registrationId?: string; lastError?: string };
  refund?: RefundState;
  createdAt: Date;
  updatedAt: Date;
}

export const paymentsOf = (db: Db) => db.collection<PaymentDoc>('payments');

export async function ensurePaymentIndexes(db: Db): Promise<void> {
  // Until several orders per appointment, appointmentId was unique under this name; its key is reused below.
  await paymentsOf(db)
    .dropIndex('one_order_per_appointment')
    .catch((error: unknown) => {
      const code = (error as { code?: unknown }).code;
      if (code !== 27 && code !== 26) throw error; // IndexNotFound, NamespaceNotFound: nothing to drop
    });
  await paymentsOf(db).createIndex({ appointmentId: 1 }, { name: 'orders_of_appointment' });
  // Never two open orders for one appointment: two managers prepaying at once cannot both insert one.
  await paymentsOf(db).createIndex({ appointmentId: 1, status: 1 }, { unique: true, partialFilterExpression: { status: 'created' }, name: 'one_open_order_per_appointment' });
  await paymentsOf(db).createIndex({ status: 1 });
  await paymentsOf(db).createIndex({ 'refund.status': 1 });
  await paymentsOf(db).createIndex({ 'his.status': 1 });
}

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * YY + the appointment's 24 hex digits + 6 random letters or digits: 32 characters, WeChat's maximum (6-32 of
 * [0-9A-Za-z_-|*]); staff can still read the appointment in the bill. Orders issued before several orders per
 * appointment were possible are `YY` + the 24 hex digits.
 */
export function newOutTradeNo(appointmentId: ObjectId): string {
  let suffix = '';
  for (const byte of randomBytes(6)) suffix += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return `YY${appointmentId.toHexString()}${suffix}`;
}

/** One refund per order, named after it (`RF` + the appointment's hex digits for the older 26-character orders). */
export const outRefundNoFor = (outTradeNo: string) => `RF${outTradeNo.slice(2)}`;

/**
 * The order that speaks for an appointment (what the patient sees, what a cancellation refunds): the one whose
 * payment booked it, else a payment refunded because it came too late, else the open order, else the newest.
 */
export function pickOrderOfAppointment(orders: PaymentDoc[]): PaymentDoc | null {
  const newestFirst = [...orders].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return (
    newestFirst.find((order) => order.status === 'paid' && order.refund?.reason !== 'late_payment') ??
    newestFirst.find((order) => order.status === 'paid') ??
    newestFirst.find((order) => order.status === 'created') ??
    newestFirst[0] ??
    null
  );
}

export async function orderOfAppointment(db: Db, appointmentId: ObjectId): Promise<PaymentDoc | null> {
  return pickOrderOfAppointment(await paymentsOf(db).find({ appointmentId }).toArray());
}
