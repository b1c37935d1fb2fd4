// What a verified and decrypted WeChat Pay notification must also say before it may move anything (Y2, Y4): it is for
// our merchant and mini program, it reports a success, and its order and amounts are the ones we recorded. A valid
// signature only proves WeChat Pay sent it; WeChat asks merchants to check the content against their own records too.
// @see https://pay.weixin.qq.com/docs/partner/apis/partner-native-payment/payment-notice.html (every v3 支付通知 page:
//      "校验通知的信息是否与商户侧的信息一致，防止…假通知")
import type { RefundNotice, TransactionNotice } from './wechatPay';

export interface Merchant {
  mchid: string;
  appid: string;
}

/** Our record of the order the notification names (null: we have none). */
export interface RecordedOrder {
  amountFen: number;
  refund?: { outRefundNo: string; amountFen: number };
}

/**
 * - apply: everything matches.
 * - ignore: ours and readable, but nothing to apply (a trade state other than SUCCESS).
 * - not_ours: for another merchant number or mini program.
 * - alert: ours, but money moved in a way we cannot match to an order: staff must look.
 */
export type NoticeVerdict =
  | { verdict: 'apply' }
  | { verdict: 'ignore'; reason: 'not_success' }
  | { verdict: 'not_ours'; reason: 'other_merchant' | 'other_app' }
  | { verdict: 'alert'; reason: AlertReason };

export type AlertReason = 'unknown_order' | 'amount_mismatch' | 'unknown_refund' | 'refund_amount_mismatch';

export function checkTransactionNotice(notice: TransactionNotice, merchant: Merchant, order: RecordedOrder | null): NoticeVerdict {
  if (notice.mchid !== merchant.mchid) return { verdict: 'not_ours', reason: 'other_merchant' };
  if (notice.appid !== merchant.appid) return { verdict: 'not_ours', reason: 'other_app' };
  if (notice.tradeState !== 'SUCCESS') return { verdict: 'ignore', reason: 'not_success' };
  if (!order) return { verdict: 'alert', reason: 'unknown_order' };
  // payer_total below the total is a WeChat coupon paying part of it; above it, or another currency, is not our order.
  const payerTotalFits = notice.payerTotalFen === undefined || notice.payerTotalFen <= (notice.amountFen ?? -1);
  if (notice.amountFen !== order.amountFen || !payerTotalFits || (notice.currency !== undefined && notice.currency !== 'CNY')) {
    return { verdict: 'alert', reason: 'amount_mismatch' };
  }
  return { verdict: 'apply' };
}

export function checkRefundNotice(notice: RefundNotice, merchant: Pick<Merchant, 'mchid'>, order: RecordedOrder | null): NoticeVerdict {
  if (notice.mchid !== merchant.mchid) return { verdict: 'not_ours', reason: 'other_merchant' };
  if (!order?.refund || order.refund.outRefundNo !== notice.outRefundNo) return { verdict: 'alert', reason: 'unknown_refund' };
  if (notice.refundFen !== order.refund.amountFen || notice.totalFen !== order.amountFen) return { verdict: 'alert', reason: 'refund_amount_mismatch' };
  return { verdict: 'apply' };
}
