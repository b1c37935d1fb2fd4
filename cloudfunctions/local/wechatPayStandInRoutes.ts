// The stand-in's HTTP surface: WeChat Pay v3 endpoints behind the merchant-signature check; the unsigned /__control API
// is wechatPayStandInControl.ts.
import { createHash, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import type { WeChatPayStandIn } from './wechatPayStandIn';
import { buildTradeBill, beijingDateTime, type BillTamper } from './wechatPayStandInBill';
import { handleControlRequest, sendJson } from './wechatPayStandInControl';
import { authorizationProblem, encryptForMerchant, randomAlphanumeric, signingHeaders, type MerchantIdentity, type PlatformIdentity } from './wechatPayStandInKeys';
import { rfc3339Beijing } from './wechatPayStandInNotifier';
import type { StandInMode, StandInOrder, StandInRefund } from './wechatPayStandInTypes';
import type { Clock } from '../shared/clock';
import { parseJson, readBody } from '../shared/http/httpHelpers';
import { localControlRefusal } from '../shared/http/localControl';

export interface StandInState {
  merchant: MerchantIdentity;
  apiV3Key: string;
  mode: StandInMode;
  orders: Map<string, StandInOrder>;
  refunds: Map<string, StandInRefund>;
  tampers: Map<string, BillTamper>;
  /** Generated bill files by download token. */
  bills: Map<string, Buffer>;
  platforms: PlatformIdentity[];
  platformMode: 'publicKey' | 'certificate';
  /** Business time (orders, expiry, bill days); signature timestamps use real time, as WeChat's own servers do. */
  clock: Clock;
  origin: string;
  counts: { total: number; unauthorized: number };
}

interface Answer {
  status: number;
  body?: unknown;
  /** Sent as is and unsigned (the bill file). */
  raw?: Buffer;
}

const MAX_BODY_BYTES = 64 * 1024;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;
const OUT_TRADE_NO = /^[0-9A-Za-z_\-|*]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

const zJsapi = z.object({
  appid: z.string(),
  mchid: z.string(),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(OUT_TRADE_NO),
  time_expire: z.string().regex(RFC3339).optional(),
  attach: z.string().max(128).optional(),
  notify_url: z.url({ protocol: /^https?$/ }),
  amount: z.object({ total: z.number().int().positive(), currency: z.literal('CNY').optional() }),
  payer: z.object({ openid: z.string().min(1).max(128) }),
});

const zRefundRequest = z.object({
  out_trade_no: z.string().regex(OUT_TRADE_NO),
  out_refund_no: z.string().regex(OUT_REFUND_NO),
  reason: z.string().max(80).optional(),
  notify_url: z.url({ protocol: /^https?$/ }).optional(),
  amount: z.object({ refund: z.number().int().positive(), total: z.number().int().positive(), currency: z.literal('CNY') }),
});

function error(status: number, code: string, message: string): Answer {
  return { status, body: { code, message } };
}

export function createStandInRoutes(
  state: StandInState,
  hooks: { notifyRefund: (refund: StandInRefund) => void; control: WeChatPayStandIn },
): { handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>; close(): void } {
  const sleepers = new Set<() => void>();
  const platform = () => state.platforms[state.platforms.length - 1];

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  function orderAnswer(order: StandInOrder): Record<string, unknown> {
    const paid = order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND';
    return {
      appid: order.appid,
      mchid: order.mchid,
      out_trade_no: order.outTradeNo,
      ...(order.transactionId ? { transaction_id: order.transactionId } : {}),
      trade_type: paid ? 'JSAPI' : undefined,
      trade_state: order.tradeState,
      trade_state_desc: { NOTPAY: '订单未支付', USERPAYING: '用户支付中（输入密码）', PAYERROR: '支付失败（其他原因，如银行返回失败）', SUCCESS: '支付成功', REFUND: '转入退款', CLOSED: '已关闭' }[order.tradeState],
      ...(paid ? { bank_type: 'OTHERS', success_time: rfc3339Beijing(order.successTime ?? state.clock.now()), payer: { openid: order.payerOpenid } } : {}),
      attach: order.attach ?? '',
      amount: paid ? { total: order.amountFen, payer_total: order.amountFen, currency: 'CNY', payer_currency: 'CNY' } : { total: order.amountFen, currency: 'CNY' },
      promotion_detail: [],
    };
  }

  function refundAnswer(refund: StandInRefund): Record<string, unknown> {
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      transaction_id: state.orders.get(refund.outTradeNo)?.transactionId,
      out_trade_no: refund.outTradeNo,
      channel: 'ORIGINAL',
      user_received_account: '支付用户零钱',
      ...(refund.successTime ? { success_time: rfc3339Beijing(refund.successTime) } : {}),
      create_time: rfc3339Beijing(refund.createdAt),
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: { total: refund.totalFen, refund: refund.refundFen, payer_total: refund.totalFen, payer_refund: refund.refundFen, currency: 'CNY' },
    };
  }

  function createOrder(json: unknown): Answer {
    const input = zJsapi.safeParse(json);
    if (!input.success) return error(400, 'PARAM_ERROR', `参数错误: ${input.error.issues[0].path.join('.')}`);
    const value = input.data;
    if (value.mchid !== state.merchant.mchid || value.appid !== state.merchant.appid) return error(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const timeExpire = value.time_expire ? new Date(value.time_expire) : new Date(state.clock.now().getTime() + 2 * 3600_000);
    const existing = state.orders.get(value.out_trade_no);
    if (existing) {
      if (existing.tradeState === 'SUCCESS' || existing.tradeState === 'REFUND') return error(400, 'ORDERPAID', '该订单已支付');
      if (existing.tradeState === 'CLOSED') return error(400, 'ORDER_CLOSED', '订单已关闭');
      const same = existing.amountFen === value.amount.total && existing.payerOpenid === value.payer.openid && existing.description === value.description;
      if (!same) return error(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
      return { status: 200, body: { prepay_id: existing.prepayId } };
    }
    if (timeExpire.getTime() <= state.clock.now().getTime()) return error(400, 'PARAM_ERROR', 'time_expire 已过期');
    const order: StandInOrder = {
      outTradeNo: value.out_trade_no,
      appid: value.appid,
      mchid: value.mchid,
      description: value.description,
      amountFen: value.amount.total,
      payerOpenid: value.payer.openid,
      timeExpireText: value.time_expire ?? rfc3339Beijing(timeExpire),
      timeExpire,
      notifyUrl: value.notify_url,
      attach: value.attach,
      prepayId: `wx${beijingDateTime(state.clock.now()).replace(/\D/g, '')}${randomAlphanumeric(18)}`,
      tradeState: 'NOTPAY',
      createdAt: state.clock.now(),
      payerCancelled: false,
    };
    state.orders.set(order.outTradeNo, order);
    return { status: 200, body: { prepay_id: order.prepayId } };
  }

  function createRefund(json: unknown): Answer {
    const input = zRefundRequest.safeParse(json);
    if (!input.success) return error(400, 'PARAM_ERROR', `参数错误: ${input.error.issues[0].path.join('.')}`);
    const value = input.data;
    const existing = state.refunds.get(value.out_refund_no);
    if (existing) {
      if (existing.outTradeNo !== value.out_trade_no || existing.refundFen !== value.amount.refund) {
        return error(400, 'INVALID_REQUEST', '退款单号重复，但订单号或金额与之前不一致');
      }
      return { status: 200, body: refundAnswer(existing) };
    }
    const order = state.orders.get(value.out_trade_no);
    if (!order) return error(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    if (order.tradeState !== 'SUCCESS' && order.tradeState !== 'REFUND') return error(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    if (value.amount.total !== order.amountFen) return error(400, 'PARAM_ERROR', '订单金额与实际金额不一致');
    const refunded = [...state.refunds.values()]
      .filter((refund) => refund.outTradeNo === order.outTradeNo && refund.status !== 'ABNORMAL' && refund.status !== 'CLOSED')
      .reduce((sum, refund) => sum + refund.refundFen, 0);
    if (refunded + value.amount.refund > order.amountFen) return error(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    if (state.mode.refund === 'fail') return error(403, 'NOT_ENOUGH', '基本账户余额不足，请充值后重新发起');
    const refund: StandInRefund = {
      outRefundNo: value.out_refund_no,
      refundId: `50300${randomBytes(12).toString('hex').replace(/[a-f]/g, (c) => String(c.charCodeAt(0) % 10))}`,
      outTradeNo: order.outTradeNo,
      refundFen: value.amount.refund,
      totalFen: value.amount.total,
      reason: value.reason,
      notifyUrl: value.notify_url,
      status: 'PROCESSING',
      createdAt: state.clock.now(),
    };
    state.refunds.set(refund.outRefundNo, refund);
    order.tradeState = 'REFUND';
    hooks.notifyRefund(refund);
    return { status: 200, body: refundAnswer(refund) };
  }

  function requestBill(params: URLSearchParams): Answer {
    const day = params.get('bill_date') ?? '';
    const billType = params.get('bill_type') ?? 'ALL';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || (billType !== 'ALL' && billType !== 'SUCCESS' && billType !== 'REFUND')) {
      return error(400, 'PARAM_ERROR', 'bill_date 或 bill_type 不正确');
    }
    if (state.mode.bills === 'realistic') {
      // Ready from 10:00 (Beijing) on the next day.
      const nextDay = new Date(Date.parse(`${day}T10:00:00+08:00`) + 86_400_000);
      if (state.clock.now().getTime() < nextDay.getTime()) return error(400, 'STATEMENT_CREATING', '账单生成中，请稍后再试');
    }
    const payments = [...state.orders.values()]
      .filter((order) => order.successTime && order.transactionId)
      .map((order) => ({ ...order, paidAt: order.successTime as Date, transactionId: order.transactionId as string }));
    const refunds = [...state.refunds.values()]
      .filter((refund) => refund.status === 'SUCCESS' && refund.successTime)
      .map((refund) => {
        const order = state.orders.get(refund.outTradeNo) as StandInOrder;
        return { ...order, transactionId: order.transactionId ?? '', refundedAt: refund.successTime as Date, refundId: refund.refundId, outRefundNo: refund.outRefundNo, refundFen: refund.refundFen };
      });
    const bill = buildTradeBill({ day, billType, payments, refunds, tampers: state.tampers });
    if (bill.rows === 0) return error(400, 'NO_STATEMENT_EXIST', '账单文件不存在');
    const file = Buffer.from(bill.csv, 'utf8');
    const token = randomBytes(16).toString('hex');
    state.bills.set(token, file);
    const hash = createHash('sha1').update(file).digest('hex');
    return {
      status: 200,
      body: {
        hash_type: 'SHA1',
        hash_value: state.mode.billHash === 'bad' ? hash.replace(/^./, (c) => (c === '0' ? '1' : '0')) : hash,
        download_url: `${state.origin}/v3/billdownload/file?token=${token}`,
      },
    };
  }

  function certificates(): Answer {
    if (state.platformMode !== 'certificate') return error(404, 'RESOURCE_NOT_EXISTS', '商户未使用平台证书');
    return {
      status: 200,
      body: {
        data: state.platforms.map((identity) => ({
          serial_no: identity.serial,
          effective_time: rfc3339Beijing(identity.notBefore ?? new Date()),
          expire_time: rfc3339Beijing(identity.notAfter ?? new Date()),
          encrypt_certificate: { ...encryptForMerchant(identity.certificatePem ?? '', state.apiV3Key, 'certificate') },
        })),
      },
    };
  }

  function route(method: string, url: URL, json: unknown): Answer {
    const path = url.pathname;
    const orderPath = path.match(/^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/);
    if (method === 'POST' && path === '/v3/pay/transactions/jsapi') return createOrder(json);
    if (orderPath) {
      const order = state.orders.get(decodeURIComponent(orderPath[1]));
      if (orderPath[2] && method === 'POST') {
        if ((json as { mchid?: unknown } | undefined)?.mchid !== state.merchant.mchid) return error(400, 'PARAM_ERROR', 'mchid 不正确');
        if (!order) return error(404, 'ORDER_NOT_EXIST', '订单不存在');
        if (order.tradeState === 'SUCCESS' || order.tradeState === 'REFUND') return error(400, 'ORDERPAID', '订单已支付');
        order.tradeState = 'CLOSED';
        return { status: 204 };
      }
      if (!orderPath[2] && method === 'GET') {
        if (url.searchParams.get('mchid') !== state.merchant.mchid) return error(400, 'PARAM_ERROR', 'mchid 不正确');
        return order ? { status: 200, body: orderAnswer(order) } : error(404, 'ORDER_NOT_EXIST', '订单不存在');
      }
    }
    if (method === 'POST' && path === '/v3/refund/domestic/refunds') return createRefund(json);
    const refundPath = path.match(/^\/v3\/refund\/domestic\/refunds\/([^/]+)$/);
    if (method === 'GET' && refundPath) {
      const refund = state.refunds.get(decodeURIComponent(refundPath[1]));
      return refund ? { status: 200, body: refundAnswer(refund) } : error(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
    }
    if (method === 'GET' && path === '/v3/bill/tradebill') return requestBill(url.searchParams);
    if (method === 'GET' && path === '/v3/billdownload/file') {
      const file = state.bills.get(url.searchParams.get('token') ?? '');
      return file ? { status: 200, raw: file } : error(404, 'RESOURCE_NOT_EXISTS', '账单文件不存在或已过期');
    }
    if (method === 'GET' && path === '/v3/certificates') return certificates();
    return error(404, 'NOT_FOUND', `no such endpoint ${method} ${path}`);
  }

  function sendSigned(res: http.ServerResponse, answer: Answer, signed: boolean): void {
    if (res.destroyed || res.headersSent) return;
    if (answer.raw) {
      res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': answer.raw.length });
      res.end(answer.raw);
      return;
    }
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    const headers: Record<string, string> = { 'Request-ID': randomBytes(8).toString('hex') };
    if (body) headers['content-type'] = 'application/json; charset=utf-8';
    const signature = state.mode.responseSignature;
    if (signed && signature !== 'missing') {
      Object.assign(headers, signingHeaders(platform(), signature === 'bad' ? body + ' ' : body, new Date()));
    }
    res.writeHead(answer.status, headers);
    res.end(body);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, url: URL, body: string): Promise<void> {
    state.counts.total += 1;
    const method = req.method ?? 'GET';
    const problem = authorizationProblem(state.merchant, {
      authorization: header(req, 'authorization'),
      method,
      pathWithQuery: url.pathname + url.search,
      body: method === 'GET' ? '' : body,
      // Freshness of the merchant's signature is a wire check on real time, whatever the business clock says.
      now: new Date(),
    });
    if (problem) {
      state.counts.unauthorized += 1;
      // WeChat does not sign an answer to a request it could not authenticate.
      return sendSigned(res, error(401, 'SIGN_ERROR', `签名错误: ${problem}`), false);
    }
    const serial = header(req, 'wechatpay-serial');
    const knownSerial = state.platforms.some((identity) => identity.serial === serial);
    if ((state.platformMode === 'publicKey' && !serial) || (serial && !knownSerial)) {
      return sendSigned(res, error(400, 'PARAM_ERROR', 'Wechatpay-Serial 不是有效的微信支付公钥ID或平台证书序列号'), true);
    }
    if (state.mode.delayMs > 0) await sleep(state.mode.delayMs);
    if (state.mode.unavailable) return sendSigned(res, error(500, 'SYSTEM_ERROR', '系统错误（模拟）'), true);
    sendSigned(res, route(method, url, parseJson(body)), true);
  }

  return {
    async handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const body = await readBody(req, MAX_BODY_BYTES);
      if (body === undefined) return sendJson(res, 413, { code: 'PARAM_ERROR', message: 'body over 64 KiB' });
      // Unsigned on purpose, so the local host's sandbox cashier and tests can drive it: hence callers on this
      // machine only, never a web page, whatever address the stand-in listens on.
      if (url.pathname.startsWith('/__control/')) {
        const refusal = localControlRefusal(req);
        if (refusal) return sendJson(res, 403, { code: 'FORBIDDEN', message: refusal });
        return handleControlRequest(state, hooks.control, req, res, url, body);
      }
      return handleApi(req, res, url, body);
    },
    close() {
      for (const wake of [...sleepers]) wake();
    },
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
