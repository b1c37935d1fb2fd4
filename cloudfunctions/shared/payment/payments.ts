// Payment orders (Y1-Y5): one WeChat Pay order per priced appointment, its refund, and its HIS outcome.
// Money is integer fen everywhere; the order number is derived from the appointment, so a repeated
// prepay can only ever reuse the same order.
import type { Db, ObjectId } from 'mongodb';

export type OrderStatus = 'created' | 'paid' | 'closed';
export type RefundStatus = 'queued' | 'processing' | 'succeeded' | 'failed';
export type RefundReason = 'cancelled' | 'late_payment' | 'his_refused' | 'his_unavailable' | 'reconciliation';

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
  await paymentsOf(db).createIndex({ appointmentId: 1 }, { unique: true, name: 'one_order_per_appointment' });
  await paymentsOf(db).createIndex({ status: 1 });
  await paymentsOf(db).createIndex({ 'refund.status': 1 });
  await paymentsOf(db).createIndex({ 'his.status': 1 });
}

/** YY + the appointment's 24 hex digits: 26 characters, inside WeChat's 6-32 of [0-9A-Za-z_-|*]. */
export const outTradeNoFor = (appointmentId: ObjectId) => `YY${appointmentId.toHexString()}`;
export const outRefundNoFor = (appointmentId: ObjectId) => `RF${appointmentId.toHexString()}`;
