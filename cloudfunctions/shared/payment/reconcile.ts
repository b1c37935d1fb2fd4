// T+1 reconciliation (Y5): the day's trade bill against our orders. Paid but not registered is
// refunded; paid locally but missing from the bill, or a different amount, is reported for staff;
// a registration the HIS has not confirmed yet is tried once more; refunds queued for the next
// reconciliation are sent. The report is kept per bill date.
import type { Db } from 'mongodb';
import { addDays, zonedInstant } from '../domain/releaseRules';
import { paymentsOf, type PaymentDoc } from './payments';
import { applyPayment, confirmWithHis, sendRefund, startRefund, type Services } from './settlement';
import { parseTradeBill, type BillTrade } from './tradeBill';
import { PayError } from './wechatPay';

export type FindingKind = 'unknown_trade' | 'amount_mismatch' | 'paid_not_registered' | 'missing_from_bill' | 'his_pending';

export interface Finding {
  kind: FindingKind;
  outTradeNo: string;
  /** What was found, for staff, in Chinese. */
  detail: string;
  /** What reconciliation did about it. */
  action: 'refunded' | 'reported';
}

export interface ReconciliationDoc {
  /** The bill date, YYYY-MM-DD (Beijing). */
  _id: string;
  ranAt: Date;
  billTrades: number;
  matched: number;
  findings: Finding[];
  /** Refunds queued for T+1 that this run sent. */
  refundsSent: number;
}

export const reconciliationsOf = (db: Db) => db.collection<ReconciliationDoc>('reconciliations');

const yuan = (fen: number) => (fen / 100).toFixed(2);

export async function reconcile(services: Services, billDate: string): Promise<ReconciliationDoc> {
  const timeZone = services.config.timeZone;
  let trades: BillTrade[] = [];
  try {
    trades = parseTradeBill(await services.pay.downloadTradeBill(billDate)).trades;
  } catch (error) {
    // A day without any trade has no bill; anything else (not ready yet, outage) is a failed run.
    if (!(error instanceof PayError && error.code === 'NO_STATEMENT_EXIST')) throw error;
  }
  const payments = trades.filter((trade) => trade.tradeState === 'SUCCESS');
  const findings: Finding[] = [];
  const seen = new Set<string>();
  let matched = 0;

  // All of the bill's orders in one read: a day's bill has thousands of lines.
  const locals = await paymentsOf(services.db).find({ _id: { $in: payments.map((trade) => trade.outTradeNo) } }).toArray();
  const byTradeNo = new Map(locals.map((local) => [local._id, local]));
  for (const trade of payments) {
    seen.add(trade.outTradeNo);
    const local = byTradeNo.get(trade.outTradeNo);
    if (!local) {
      findings.push({ kind: 'unknown_trade', outTradeNo: trade.outTradeNo, detail: `账单中有一笔 ${yuan(trade.orderFen)} 元的交易，本系统没有这笔订单。`, action: 'reported' });
      continue;
    }
    if (local.amountFen !== trade.orderFen) {
      findings.push({ kind: 'amount_mismatch', outTradeNo: trade.outTradeNo, detail: `订单金额 ${yuan(local.amountFen)} 元，账单金额 ${yuan(trade.orderFen)} 元。`, action: 'reported' });
      continue;
    }
    const outcome = await settlePaidTrade(services, local, trade);
    if (outcome) findings.push(outcome);
    else matched += 1;
  }

  // Paid here but not in the bill: the money may never have arrived.
  const dayStart = zonedInstant(billDate, '00:00', timeZone);
  const dayEnd = zonedInstant(addDays(billDate, 1), '00:00', timeZone);
  for (const local of await paymentsOf(services.db).find({ status: 'paid', paidAt: { $gte: dayStart, $lt: dayEnd } }).toArray()) {
    if (seen.has(local._id)) continue;
    findings.push({ kind: 'missing_from_bill', outTradeNo: local._id, detail: `本系统记为已支付 ${yuan(local.amountFen)} 元，但账单中没有这笔交易。`, action: 'reported' });
  }

  let refundsSent = 0;
  for (const queued of await paymentsOf(services.db).find({ 'refund.status': 'queued' }).toArray()) {
    await sendRefund(services, queued);
    refundsSent += 1;
  }

  const report: ReconciliationDoc = { _id: billDate, ranAt: services.now, billTrades: trades.length, matched, findings, refundsSent };
  await reconciliationsOf(services.db).replaceOne({ _id: billDate }, report, { upsert: true });
  services.log.info('reconciliation', { billDate, billTrades: trades.length, matched, findings: findings.length, refundsSent });
  return report;
}

/** A trade the bill says was paid: fine if registered or already refunding; otherwise it is refunded. */
async function settlePaidTrade(services: Services, local: PaymentDoc, trade: BillTrade): Promise<Finding | null> {
  let payment = local;
  if (payment.status !== 'paid') {
    // The notification never arrived and nothing queried in time: record the payment first. If the
    // hold had already ended, applying it refunds it.
    const outcome = await applyPayment(services, { outTradeNo: trade.outTradeNo, transactionId: trade.transactionId, amountFen: trade.orderFen });
    payment = (await paymentsOf(services.db).findOne({ _id: local._id })) ?? local;
    if (outcome === 'refunded') {
      return { kind: 'paid_not_registered', outTradeNo: payment._id, detail: `支付通知没有送达，预约已过保留时间，${yuan(payment.amountFen)} 元已原路退款。`, action: 'refunded' };
    }
  }
  if (payment.refund) return null;
  if (payment.his?.status === 'confirmed') return null;
  if (payment.his?.status === 'pending' && local.status === 'paid') {
    // Paid a while ago and still not registered: the minute sweep retries these, and so does the reconciliation (one
    // more attempt), so the patient is registered, or refunded once the attempts are used up, even if the sweep
    // stopped running; the report then says where it stands. (A payment applied just above had its attempt already.)
    await confirmWithHis(services, payment);
    payment = (await paymentsOf(services.db).findOne({ _id: local._id })) ?? payment;
    if (payment.his?.status === 'confirmed') return null;
    if (payment.refund) {
      return { kind: 'paid_not_registered', outTradeNo: payment._id, detail: `已支付 ${yuan(payment.amountFen)} 元，医院系统没有确认这次挂号，预约已取消并原路退款。`, action: 'refunded' };
    }
  }
  if (payment.his?.status === 'pending') {
    return { kind: 'his_pending', outTradeNo: payment._id, detail: '已支付，医院系统仍在确认挂号，下次对账再核对。', action: 'reported' };
  }
  await startRefund(services, payment, 'reconciliation', true);
  return { kind: 'paid_not_registered', outTradeNo: payment._id, detail: `已支付 ${yuan(payment.amountFen)} 元但没有挂号成功，已原路退款。`, action: 'refunded' };
}
