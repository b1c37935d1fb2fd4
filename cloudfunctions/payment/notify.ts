// WeChat Pay notifications (Y2, Y4) through the function's HTTP access: verified on the raw body, decrypted, checked
// against our records, applied once.
/*
 * How we answer. WeChat Pay v3 treats 200/204 as "received" and stops; any 4xx/5xx (body {code:'FAIL', message})
 * makes it retry 15 times over about 24 hours (15s, 15s, 30s, 3m, ... 6h). So a failure answer means "send it again",
 * and is only right where a later delivery could be handled or where acknowledging would be false:
 * - 401: not provably from WeChat Pay (signature, timestamp, GCM tag). A genuine one is retried and verifies later.
 * - 400: from WeChat Pay but unreadable (the decrypted resource is not JSON, or lacks or mistypes a field), or
 *   addressed to another merchant number or AppID. We did not process it and must not say we did.
 * - 204 with nothing changed, for genuine notifications that no retry can make applicable:
 *   - a trade_state other than SUCCESS (WeChat notifies successes only; a later real payment sends its own);
 *   - money we cannot match: an out_trade_no we never issued, an amount that is not the order's, a refund we never
 *     asked for or of another amount. These are recorded once in paymentAlerts (a retry only counts a delivery) and
 *     logged as errors for staff, and the T+1 reconciliation finds the same trade in the bill. Retrying would repeat
 *     the same facts for a day without helping anyone.
 * - 500: our failure (e.g. the database): WeChat retries and a later delivery is applied. createMain answers it,
 *   also for failures before this handler runs (the runtime cannot open, index creation fails).
 * - 404: a path that is not a notify route (WeChat Pay only posts to the URLs we gave it, so this is someone else).
 *
 * Which route. The HTTP access trigger hands us the path with its own prefix when 路径透传 is on
 * (`/payment/notify/transaction`, or locally the host's `/http/payment/notify/transaction` minus `/http/payment`)
 * and only the remainder when it is off (`/transaction` if the trigger path is `/payment/notify`). The one part
 * every form shares is the last segment, which we chose in transactionNotifyUrl/refundNotifyUrl: so the route is
 * the last path segment, `transaction` or `refund` (a trailing slash ignored), whatever comes before it.
 */
import type { Context } from '../shared/context';
import type { HttpEvent, HttpResponse } from '../shared/createMain';
import { checkRefundNotice, checkTransactionNotice, type NoticeVerdict } from '../shared/payment/notificationChecks';
import { recordPaymentAlert, type PaymentAlertDoc } from '../shared/payment/paymentAlerts';
import { paymentsOf } from '../shared/payment/payments';
import { applyPayment, settleRefund } from '../shared/payment/settlement';
import { PayNotifyError, refundFromResource, transactionFromResource, type PayNotification } from '../shared/payment/wechatPay';

const answer = (statusCode: number, code?: string, message?: string): HttpResponse =>
  statusCode === 204 ? { statusCode, body: '' } : { statusCode, body: JSON.stringify({ code, message }) };

const refused = (message: string) => answer(400, 'FAIL', message);

type Request = HttpEvent & { rawBody: string };

export type NotifyRoute = 'transaction' | 'refund';

/** The notify route a path names, with or without the trigger's prefix (see the header); undefined for any other. */
export function notifyRouteOf(path: string): NotifyRoute | undefined {
  const last = path.replace(/\/+$/, '').split('/').pop();
  return last === 'transaction' || last === 'refund' ? last : undefined;
}

export async function handleNotification(context: Context, request: Request): Promise<HttpResponse> {
  const route = notifyRouteOf(request.path);
  if (!route) return answer(404, 'NOT_FOUND', 'no such notify route');
  if (request.httpMethod !== 'POST') return answer(405, 'FAIL', 'POST only');
  try {
    const notification = context.pay.parseNotification({ headers: request.headers, body: request.rawBody });
    if (route === 'transaction' && notification.eventType.startsWith('TRANSACTION.')) return await onTransaction(context, notification);
    if (route === 'refund' && notification.eventType.startsWith('REFUND.')) return await onRefund(context, notification);
    context.log.warn('payment notification of an unexpected kind', { path: request.path, eventType: notification.eventType });
    return answer(204);
  } catch (error) {
    if (!(error instanceof PayNotifyError)) throw error;
    context.log.warn('refused a payment notification', { kind: error.kind, reason: error.message, path: request.path });
    return error.kind === 'malformed' ? refused('malformed') : answer(401, 'FAIL', 'verification failed');
  }
}

async function onTransaction(context: Context, notification: PayNotification): Promise<HttpResponse> {
  const paid = transactionFromResource(notification.resource);
  const order = await paymentsOf(context.db).findOne({ _id: paid.outTradeNo });
  const merchant = context.pay.merchant();
  const verdict = checkTransactionNotice(paid, merchant, order);
  const facts = {
    outTradeNo: paid.outTradeNo,
    expected: { totalFen: order?.amountFen ?? null, mchid: merchant.mchid, appid: merchant.appid },
    received: { totalFen: paid.amountFen ?? null, payerTotalFen: paid.payerTotalFen ?? null, currency: paid.currency ?? null, mchid: paid.mchid, appid: paid.appid, tradeState: paid.tradeState },
  };
  if (verdict.verdict !== 'apply') return refuseToApply(context, notification, verdict, facts);

  const outcome = await applyPayment(context, {
    outTradeNo: paid.outTradeNo,
    transactionId: paid.transactionId ?? '',
    amountFen: paid.amountFen ?? -1,
    payerOpenid: paid.payerOpenid,
    successTime: paid.successTime,
  });
  context.log.info('payment notification', { outTradeNo: paid.outTradeNo, outcome });
  return answer(204);
}

async function onRefund(context: Context, notification: PayNotification): Promise<HttpResponse> {
  const refund = refundFromResource(notification.resource);
  const order = await paymentsOf(context.db).findOne({ _id: refund.outTradeNo });
  const merchant = context.pay.merchant();
  const verdict = checkRefundNotice(refund, merchant, order);
  const facts = {
    outTradeNo: refund.outTradeNo,
    outRefundNo: refund.outRefundNo,
    expected: { refundFen: order?.refund?.amountFen ?? null, totalFen: order?.amountFen ?? null, mchid: merchant.mchid },
    received: { refundFen: refund.refundFen, totalFen: refund.totalFen, mchid: refund.mchid, refundStatus: refund.status },
  };
  if (verdict.verdict !== 'apply') return refuseToApply(context, notification, verdict, facts);

  const status = refund.status === 'SUCCESS' ? 'succeeded' : refund.status === 'PROCESSING' ? 'processing' : 'failed';
  await settleRefund(context, refund.outTradeNo, { status, refundId: refund.refundId });
  context.log.info('refund notification', { outTradeNo: refund.outTradeNo, status });
  return answer(204);
}

/** Changes nothing about the order; answers as the header explains. */
async function refuseToApply(
  context: Context,
  notification: PayNotification,
  verdict: Exclude<NoticeVerdict, { verdict: 'apply' }>,
  facts: Pick<PaymentAlertDoc, 'outTradeNo' | 'outRefundNo' | 'expected' | 'received'>,
): Promise<HttpResponse> {
  const logged = { notificationId: notification.id, eventType: notification.eventType, reason: verdict.reason, ...facts };
  if (verdict.verdict === 'ignore') {
    context.log.warn('payment notification without a success: nothing to apply', logged);
    return answer(204);
  }
  await recordPaymentAlert(context.db, context.now, { _id: notification.id, kind: verdict.reason, eventType: notification.eventType, ...facts });
  if (verdict.verdict === 'not_ours') {
    context.log.error('payment notification for another merchant or mini program: not applied', logged);
    return refused(verdict.reason === 'other_merchant' ? 'mchid is not this merchant' : 'appid is not this mini program');
  }
  context.log.error('payment notification does not match our records: not applied, kept for staff', logged);
  return answer(204);
}
