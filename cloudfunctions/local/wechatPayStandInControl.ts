// The WeChat Pay stand-in's test controls over HTTP: what the payer does at the cashier (pay, cancel, USERPAYING,
// PAYERROR), how the stand-in behaves, tampered bills, refunds settled, certificates rotated, misleading notifications.
/*
 * Unsigned, so the local host's sandbox cashier and tests can drive it: callers on this machine without an Origin
 * header only, no CORS. Each route is also a method of the object `startWeChatPayStandIn` returns.
 *   POST /__control/pay {outTradeNo, at?, notify?, late?}   the payer pays: SUCCESS, then TRANSACTION.SUCCESS
 *   POST /__control/cancel {outTradeNo}                      the payer closes the cashier (the order stays NOTPAY)
 *   POST /__control/paying {outTradeNo}                      the payer is entering the password: USERPAYING until pay or close
 *   POST /__control/payError {outTradeNo}                    the bank declined the payment: PAYERROR (no money moved)
 *   POST /__control/mode {refund?, responseSignature?, unavailable?, delayMs?, billHash?, bills?}
 *   POST /__control/billTamper {outTradeNo, amountFen? | drop? | addTrade?: {amountFen, at?, payerOpenid?}}
 *   POST /__control/refund {outRefundNo, status}             settles a PROCESSING refund (and notifies)
 *   POST /__control/rotateCertificate                        certificate mode: sign with a new certificate from now on
 *   POST /__control/misleadingNotification {outTradeNo | outRefundNo, tradeState?, totalFen?, payerTotalFen?, refundFen?,
 *        mchid?, appid?, outTradeNoInResource?, outRefundNoInResource?, malformed?}  a genuine notification saying otherwise
 *   GET  /__control/orders, GET /__control/order?outTradeNo=, GET /__control/notifications
 */
import type http from 'node:http';
import { z } from 'zod';
import type { BillTamperInput, WeChatPayStandIn } from './wechatPayStandIn';
import type { MisleadingNotificationInput } from './wechatPayStandInNotices';
import type { StandInState } from './wechatPayStandInRoutes';
import { parseJson } from '../shared/http/httpHelpers';

/** One /__control/ call, already admitted as local; a control that cannot be carried out answers its status. */
export async function handleControlRequest(
  state: StandInState,
  control: WeChatPayStandIn,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  body: string,
): Promise<void> {
  const json = parseJson(body) as Record<string, unknown> | undefined;
  const reply = (status: number, value: unknown) => sendJson(res, status, value);
  try {
    const action = url.pathname.slice('/__control/'.length);
    if (req.method === 'GET' && action === 'orders') return reply(200, [...state.orders.values()]);
    if (req.method === 'GET' && action === 'order') {
      const order = control.order(url.searchParams.get('outTradeNo') ?? '');
      return order ? reply(200, order) : reply(404, { code: 'NOT_FOUND', message: 'no such order' });
    }
    if (req.method === 'GET' && action === 'notifications') return reply(200, control.notifications());
    if (req.method !== 'POST') return reply(405, { code: 'METHOD_NOT_ALLOWED', message: 'use POST' });
    const outTradeNo = typeof json?.outTradeNo === 'string' ? json.outTradeNo : '';
    if (action === 'pay') {
      const at = typeof json?.at === 'string' ? new Date(json.at) : undefined;
      return reply(200, control.pay(outTradeNo, { at, notify: json?.notify !== false, late: json?.late === true }));
    }
    if (action === 'cancel') return reply(200, control.cancel(outTradeNo));
    if (action === 'paying') return reply(200, control.startPaying(outTradeNo));
    if (action === 'payError') return reply(200, control.failPayment(outTradeNo));
    if (action === 'mode') return reply(200, control.setMode(json ?? {}));
    if (action === 'billTamper') {
      control.tamperBill(json as unknown as BillTamperInput);
      return reply(200, { ok: true });
    }
    if (action === 'refund') {
      const status = json?.status;
      if (status !== 'SUCCESS' && status !== 'ABNORMAL' && status !== 'CLOSED') return reply(400, { code: 'BAD_REQUEST', message: 'status: SUCCESS|ABNORMAL|CLOSED' });
      return reply(200, control.settleRefund(String(json?.outRefundNo ?? ''), status));
    }
    if (action === 'rotateCertificate') return reply(200, { serial: control.rotateCertificate().serial });
    if (action === 'misleadingNotification') return reply(200, { id: control.sendMisleadingNotification((json ?? {}) as MisleadingNotificationInput) });
    return reply(404, { code: 'NOT_FOUND', message: `no control ${action}` });
  } catch (caught) {
    const status = caught instanceof z.ZodError ? 400 : ((caught as { status?: number }).status ?? 500);
    return reply(status, { code: 'CONTROL_FAILED', message: caught instanceof Error ? caught.message : String(caught) });
  }
}

// No CORS headers: WeChat Pay sends none, and no web page may drive the control API.
export function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  if (res.destroyed || res.headersSent) return;
  if (value === undefined) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}
