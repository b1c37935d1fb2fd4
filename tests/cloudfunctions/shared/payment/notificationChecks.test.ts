import { checkRefundNotice, checkTransactionNotice, type RecordedOrder } from '../../../../cloudfunctions/shared/payment/notificationChecks';
import type { RefundNotice, TransactionNotice } from '../../../../cloudfunctions/shared/payment/wechatPay';

const MERCHANT = { mchid: '1900000109', appid: 'wx0000000000000000' };
const ORDER: RecordedOrder = { amountFen: 2500, refund: { outRefundNo: 'RF0001', amountFen: 2500 } };

const paid = (changes: Partial<TransactionNotice> = {}): TransactionNotice => ({
  outTradeNo: 'YY0001',
  tradeState: 'SUCCESS',
  transactionId: '4200000000000001',
  amountFen: 2500,
  payerTotalFen: 2500,
  currency: 'CNY',
  ...MERCHANT,
  ...changes,
});

const refunded = (changes: Partial<RefundNotice> = {}): RefundNotice => ({
  outTradeNo: 'YY0001',
  outRefundNo: 'RF0001',
  refundId: '5030000001',
  status: 'SUCCESS',
  refundFen: 2500,
  totalFen: 2500,
  mchid: MERCHANT.mchid,
  ...changes,
});

describe('checkTransactionNotice', () => {
  it.each<[string, TransactionNotice, RecordedOrder | null, ReturnType<typeof checkTransactionNotice>]>([
    ['our order, paid in full', paid(), ORDER, { verdict: 'apply' }],
    ['a WeChat coupon paid part of it (payer_total below the total)', paid({ payerTotalFen: 2000 }), ORDER, { verdict: 'apply' }],
    ['no payer_total or currency at all', paid({ payerTotalFen: undefined, currency: undefined }), ORDER, { verdict: 'apply' }],
    ['another merchant number', paid({ mchid: '1900000999' }), ORDER, { verdict: 'not_ours', reason: 'other_merchant' }],
    ['another mini program', paid({ appid: 'wx9999999999999999' }), ORDER, { verdict: 'not_ours', reason: 'other_app' }],
    ['another merchant comes first, even when nothing else matches', paid({ mchid: 'x', tradeState: 'NOTPAY' }), null, { verdict: 'not_ours', reason: 'other_merchant' }],
    ...(['NOTPAY', 'CLOSED', 'PAYERROR', 'REVOKED', 'USERPAYING', 'REFUND'] as const).map(
      (tradeState): [string, TransactionNotice, RecordedOrder | null, ReturnType<typeof checkTransactionNotice>] => [
        `trade_state ${tradeState}`,
        paid({ tradeState }),
        ORDER,
        { verdict: 'ignore', reason: 'not_success' },
      ],
    ),
    ['an order we never issued', paid(), null, { verdict: 'alert', reason: 'unknown_order' }],
    ['one fen less than the order', paid({ amountFen: 2499, payerTotalFen: 2499 }), ORDER, { verdict: 'alert', reason: 'amount_mismatch' }],
    ['one fen more than the order', paid({ amountFen: 2501, payerTotalFen: 2501 }), ORDER, { verdict: 'alert', reason: 'amount_mismatch' }],
    ['no amount', paid({ amountFen: undefined }), ORDER, { verdict: 'alert', reason: 'amount_mismatch' }],
    ['the payer paid more than the total', paid({ payerTotalFen: 2501 }), ORDER, { verdict: 'alert', reason: 'amount_mismatch' }],
    ['another currency', paid({ currency: 'USD' }), ORDER, { verdict: 'alert', reason: 'amount_mismatch' }],
  ])('%s', (_title, notice, order, expected) => {
    expect(checkTransactionNotice(notice, MERCHANT, order)).toEqual(expected);
  });
});

describe('checkRefundNotice', () => {
  it.each<[string, RefundNotice, RecordedOrder | null, ReturnType<typeof checkRefundNotice>]>([
    ['the refund we asked for', refunded(), ORDER, { verdict: 'apply' }],
    ['a refund that ended ABNORMAL is still ours to record', refunded({ status: 'ABNORMAL' }), ORDER, { verdict: 'apply' }],
    ['another merchant number', refunded({ mchid: '1900000999' }), ORDER, { verdict: 'not_ours', reason: 'other_merchant' }],
    ['an order we never issued', refunded(), null, { verdict: 'alert', reason: 'unknown_refund' }],
    ['an order we never refunded', refunded(), { amountFen: 2500 }, { verdict: 'alert', reason: 'unknown_refund' }],
    ['an out_refund_no we did not send', refunded({ outRefundNo: 'RF9999' }), ORDER, { verdict: 'alert', reason: 'unknown_refund' }],
    ['less refunded than we asked', refunded({ refundFen: 2400 }), ORDER, { verdict: 'alert', reason: 'refund_amount_mismatch' }],
    ['another order total', refunded({ totalFen: 3000 }), ORDER, { verdict: 'alert', reason: 'refund_amount_mismatch' }],
  ])('%s', (_title, notice, order, expected) => {
    expect(checkRefundNotice(notice, MERCHANT, order)).toEqual(expected);
  });
});
