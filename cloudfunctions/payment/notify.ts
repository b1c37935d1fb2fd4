// WeChat Pay notifications (Y2, Y4) through the function's HTTP access: verified on the raw body,
// decrypted, applied once. 204 = handled (also a duplicate or a late retry); 401 = not from WeChat
// Pay; 500 = try again later (WeChat retries on its schedule).
import type { Context } from '../shared/context';
import type { HttpEvent, HttpResponse } from '../shared/createMain';
import { applyPayment, settleRefund } from '../shared/payment/settlement';
import { PayNotifyError, refundFromResource, transactionFromResource } from '../shared/payment/wechatPay';

const answer = (statusCode: number, code?: string, message?: string): HttpResponse =>
  statusCode === 204 ? { statusCode, body: '' } : { statusCode, body: JSON.stringify({ code, message }) };

export async function handleNotification(context: Context, request: HttpEvent & { rawBody: string }): Promise<HttpResponse> {
  if (request.httpMethod !== 'POST') return answer(405, 'FAIL', 'POST only');
  let notification;
  try {
    notification = context.pay.parseNotification({ headers: request.headers, body: request.rawBody });
  } catch (error) {
    if (!(error instanceof PayNotifyError)) throw error;
    context.log.warn('refused a payment notification', { kind: error.kind, path: request.path });
    return error.kind === 'malformed' ? answer(400, 'FAIL', 'malformed') : answer(401, 'FAIL', 'verification failed');
  }

  if (request.path === '/notify/transaction' && notification.eventType === 'TRANSACTION.SUCCESS') {
    const paid = transactionFromResource(notification.resource);
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
  if (request.path === '/notify/refund' && notification.eventType.startsWith('REFUND.')) {
    const refund = refundFromResource(notification.resource);
    const status = refund.status === 'SUCCESS' ? 'succeeded' : refund.status === 'PROCESSING' ? 'processing' : 'failed';
    await settleRefund(context, refund.outTradeNo, { status, refundId: refund.refundId });
    context.log.info('refund notification', { outTradeNo: refund.outTradeNo, status });
    return answer(204);
  }
  context.log.warn('payment notification of an unexpected kind', { path: request.path, eventType: notification.eventType });
  return answer(204);
}
