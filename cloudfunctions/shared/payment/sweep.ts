// The payment sweep (every minute): HIS confirmations that failed for a moment are tried again, and
// refunds whose outcome is not known yet are asked about (and re-sent if WeChat Pay never got them).
import { paymentsOf } from './payments';
import { confirmWithHis, sendRefund, settleRefund, type Services } from './settlement';
import { PayError } from './wechatPay';

/** Give the request that started something this long before the sweep takes it over. */
const SETTLE_MS = 20_000;

export interface PaymentSweepReport {
  hisRetried: number;
  refundsChecked: number;
}

export async function sweepPayments(services: Services): Promise<PaymentSweepReport> {
  const report: PaymentSweepReport = { hisRetried: 0, refundsChecked: 0 };
  const settled = new Date(services.now.getTime() - SETTLE_MS);

  for (const payment of await paymentsOf(services.db).find({ 'his.status': 'pending', status: 'paid', updatedAt: { $lte: settled } }).toArray()) {
    await confirmWithHis(services, payment);
    report.hisRetried += 1;
  }

  for (const payment of await paymentsOf(services.db).find({ 'refund.status': 'processing', updatedAt: { $lte: settled } }).toArray()) {
    report.refundsChecked += 1;
    try {
      const known = await services.pay.queryRefund(payment.refund!.outRefundNo);
      if (!known) await sendRefund(services, payment);
      else if (known.status !== 'PROCESSING') await settleRefund(services, payment._id, { status: known.status === 'SUCCESS' ? 'succeeded' : 'failed', refundId: known.refundId });
    } catch (error) {
      if (!(error instanceof PayError)) throw error;
      services.log.warn('could not check a refund', { outTradeNo: payment._id, kind: error.kind });
    }
  }
  return report;
}
