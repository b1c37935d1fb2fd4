// Genuine WeChat Pay notifications we refused to apply (Y5): kept for staff and reconciliation, once per notification
// however often WeChat retries it. Amounts and merchant numbers only: never an openid or anything about the patient.
import type { Db } from 'mongodb';
import type { AlertReason } from './notificationChecks';

export type PaymentAlertKind = AlertReason | 'other_merchant' | 'other_app';

export interface PaymentAlertDoc {
  /** WeChat's notification id: its retries carry the same one. */
  _id: string;
  kind: PaymentAlertKind;
  eventType: string;
  outTradeNo: string;
  outRefundNo?: string;
  /** What our records say and what the notification said (fen, merchant number, AppID). */
  expected: Record<string, string | number | null>;
  received: Record<string, string | number | null>;
  /** For staff, in Chinese: what happened and what to do. */
  detail: string;
  firstAt: Date;
  lastAt: Date;
  deliveries: number;
}

export const paymentAlertsOf = (db: Db) => db.collection<PaymentAlertDoc>('paymentAlerts');

export async function ensurePaymentAlertIndexes(db: Db): Promise<void> {
  await paymentAlertsOf(db).createIndex({ outTradeNo: 1 });
  await paymentAlertsOf(db).createIndex({ firstAt: -1 });
}

const yuan = (fen: unknown) => (typeof fen === 'number' ? `${(fen / 100).toFixed(2)} 元` : '（无）');

/** What staff read for each kind of alert. */
export function alertDetail(kind: PaymentAlertKind, expected: PaymentAlertDoc['expected'], received: PaymentAlertDoc['received']): string {
  switch (kind) {
    case 'unknown_order':
      return `微信支付通知一笔 ${yuan(received.totalFen)} 的支付成功，本系统没有这笔订单。请在商户平台核实这笔交易，确认无对应挂号后为患者原路退款。`;
    case 'amount_mismatch':
      return `订单金额 ${yuan(expected.totalFen)}，微信支付通知的金额为 ${yuan(received.totalFen)}（用户实付 ${yuan(received.payerTotalFen)}）。预约没有因此改变，请在商户平台核实后处理退款。`;
    case 'unknown_refund':
      return `微信支付通知了一笔本系统没有发起的退款（${yuan(received.refundFen)}）。请在商户平台核实这笔退款。`;
    case 'refund_amount_mismatch':
      return `退款金额应为 ${yuan(expected.refundFen)}（订单 ${yuan(expected.totalFen)}），微信支付通知的是 ${yuan(received.refundFen)}（订单 ${yuan(received.totalFen)}）。退款状态没有因此改变，请在商户平台核实。`;
    case 'other_merchant':
    case 'other_app':
      return '收到发给其他商户号或小程序的支付通知，本系统没有处理。请检查微信支付的商户号、AppID 与回调地址配置。';
  }
}

/** Records the alert once per notification id; a retry only counts another delivery. */
export async function recordPaymentAlert(
  db: Db,
  now: Date,
  alert: Pick<PaymentAlertDoc, '_id' | 'kind' | 'eventType' | 'outTradeNo' | 'outRefundNo' | 'expected' | 'received'>,
): Promise<void> {
  const { _id, outRefundNo, ...fields } = alert;
  await paymentAlertsOf(db).updateOne(
    { _id },
    {
      $setOnInsert: { ...fields, ...(outRefundNo && { outRefundNo }), detail: alertDetail(alert.kind, alert.expected, alert.received), firstAt: now },
      $set: { lastAt: now },
      $inc: { deliveries: 1 },
    },
    { upsert: true },
  );
}
