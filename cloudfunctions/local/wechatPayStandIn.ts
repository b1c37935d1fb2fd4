// A local stand-in for WeChat Pay API v3 on 127.0.0.1, for `npm start` and tests: signed requests checked, answers and notifications signed.
/*
 * Endpoints (every request needs a valid WECHATPAY2-SHA256-RSA2048 Authorization from the merchant key, else 401
 * SIGN_ERROR; every answer is signed with the platform key, except the bill file, as on WeChat):
 *   POST /v3/pay/transactions/jsapi                          -> {prepay_id}; same order again -> same prepay_id
 *   GET  /v3/pay/transactions/out-trade-no/{no}?mchid=       -> the order, 404 ORDER_NOT_EXIST
 *   POST /v3/pay/transactions/out-trade-no/{no}/close        -> 204; paid -> 400 ORDERPAID
 *   POST /v3/refund/domestic/refunds                         -> the refund (PROCESSING), then REFUND.* notification
 *   GET  /v3/refund/domestic/refunds/{no}                    -> the refund, 404 RESOURCE_NOT_EXISTS
 *   GET  /v3/bill/tradebill?bill_date=&bill_type=ALL          -> {download_url, hash_type: SHA1, hash_value}
 *   GET  /v3/billdownload/file?token=                         -> the CSV (wechatPayStandInBill.ts)
 *   GET  /v3/certificates                                    -> platform certificates, encrypted (certificate mode)
 * Control (unsigned, this machine only): wechatPayStandInControl.ts, also callable as methods of the returned object.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { beijingDay, zTamper, type BillTamper, type BillTamperInput } from './wechatPayStandInBill';
import {
  createMerchant,
  createPlatformCertificate,
  createPlatformPublicKey,
  publicKeyPem,
  randomAlphanumeric,
  type MerchantIdentity,
  type PlatformIdentity,
} from './wechatPayStandInKeys';
import { craftNotification, misleadingNotification, refundResource, transactionResource, type CraftNotificationInput, type MisleadingNotificationInput } from './wechatPayStandInNotices';
import { createNotifier, rfc3339Beijing, type DeliveryAttempt } from './wechatPayStandInNotifier';
import { createStandInRoutes, type StandInState } from './wechatPayStandInRoutes';
import { systemClock, type Clock } from '../shared/clock';
import { listen } from '../shared/http/httpHelpers';

import { StandInControlError, zMode, type StandInMode, type StandInOrder, type StandInRefund, type StandInRefundStatus } from './wechatPayStandInTypes';

export type { BillTamperInput } from './wechatPayStandInBill';
export type { CraftNotificationInput, MisleadingNotificationInput } from './wechatPayStandInNotices';
export { StandInControlError } from './wechatPayStandInTypes';
export type { StandInMode, StandInOrder, StandInRefund, StandInRefundStatus, StandInTradeState } from './wechatPayStandInTypes';

export interface WeChatPayStandInOptions {
  port?: number;
  host?: string;
  /** How WeChat identifies its signatures: a WeChat Pay public key (PUB_KEY_ID_...), or platform certificates. */
  mode?: 'publicKey' | 'certificate';
  mchid?: string;
  appid?: string;
  /** Multiplies WeChat's notification retry schedule (1 = real time). */
  notifyRetryScale?: number;
  /** How long a notification receiver has to answer (WeChat: 5 s). */
  notifyAnswerTimeoutMs?: number;
  /** Business time of orders, payments, refunds and bill days (the host's clock locally); signatures stay on real time. */
  clock?: Clock;
  log?: (message: string) => void;
}

export interface WeChatPayStandIn {
  /** e.g. http://127.0.0.1:43121, WXPAY_ORIGIN. */
  origin: string;
  mode: 'publicKey' | 'certificate';
  /** The WXPAY_* values that point the production client at this stand-in (keys generated at start, never written). */
  config: Record<string, string>;
  merchant: MerchantIdentity;
  apiV3Key: string;
  /** The identity currently signing answers and notifications. */
  platform(): PlatformIdentity;
  pay(outTradeNo: string, options?: { at?: Date; notify?: boolean; late?: boolean }): StandInOrder;
  cancel(outTradeNo: string): StandInOrder;
  /** The payer is paying (USERPAYING) until `pay` completes it or the merchant closes the order. */
  startPaying(outTradeNo: string): StandInOrder;
  /** The payment failed at the bank (PAYERROR); the order cannot be paid any more, only closed. */
  failPayment(outTradeNo: string): StandInOrder;
  setMode(mode: Partial<StandInMode>): StandInMode;
  tamperBill(input: BillTamperInput): void;
  settleRefund(outRefundNo: string, status: Exclude<StandInRefundStatus, 'PROCESSING'>): StandInRefund;
  rotateCertificate(): PlatformIdentity;
  order(outTradeNo: string): StandInOrder | undefined;
  refund(outRefundNo: string): StandInRefund | undefined;
  /** Every refund the stand-in holds, whatever its number: what actually went (or is going) back to payers. */
  refunds(): StandInRefund[];
  /** Every notification attempt so far, with exactly what was sent. */
  notifications(): DeliveryAttempt[];
  /** Resolves when no notification is in flight or waiting for a retry. */
  notificationsIdle(): Promise<void>;
  /** A notification as WeChat would send it now, for tests that forge, tamper, age or replay. */
  craftNotification(input: CraftNotificationInput): { headers: Record<string, string>; body: string };
  /**
   * A genuine notification (signed, encrypted, retried until answered 2xx) about an order or refund that says something
   * else: another trade_state, amount, mchid, appid or order number, or a resource that does not parse. Returns its id.
   */
  sendMisleadingNotification(input: MisleadingNotificationInput): string;
  /** API requests received (control calls not counted), and how many failed the signature check. */
  requestCount(): { total: number; unauthorized: number };
  close(): Promise<void>;
}

const DEFAULT_MCHID = '1900000109';
const DEFAULT_APPID = 'wx0000000000000000';

export async function startWeChatPayStandIn(options: WeChatPayStandInOptions = {}): Promise<WeChatPayStandIn> {
  const clock = options.clock ?? systemClock;
  const now = () => clock.now();
  // Signature timestamps are checked for freshness against the real time on the other side of the wire.
  const wireNow = () => new Date();
  const log = options.log ?? (() => {});
  const mode = options.mode ?? 'publicKey';
  const merchant = createMerchant(options.mchid ?? DEFAULT_MCHID, options.appid ?? DEFAULT_APPID);
  const apiV3Key = randomAlphanumeric(32);
  const platforms: PlatformIdentity[] = [mode === 'publicKey' ? createPlatformPublicKey() : createPlatformCertificate(wireNow())];
  const platform = () => platforms[platforms.length - 1];

  const state: StandInState = {
    merchant,
    apiV3Key,
    mode: { refund: 'normal', responseSignature: 'valid', unavailable: false, delayMs: 0, billHash: 'valid', bills: 'realistic' },
    orders: new Map(),
    refunds: new Map(),
    tampers: new Map<string, BillTamper>(),
    bills: new Map(),
    platforms,
    platformMode: mode,
    clock,
    origin: '',
    counts: { total: 0, unauthorized: 0 },
  };

  const notifier = createNotifier({
    platform,
    apiV3Key,
    now: wireNow,
    retryScale: options.notifyRetryScale ?? 1,
    answerTimeoutMs: options.notifyAnswerTimeoutMs ?? 5000,
    log,
  });

  function findOrder(outTradeNo: string): StandInOrder {
    const order = state.orders.get(outTradeNo);
    if (!order) throw new StandInControlError(404, `no order ${outTradeNo}`);
    return order;
  }

  const REFUND_SUMMARY: Record<Exclude<StandInRefundStatus, 'PROCESSING'>, string> = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' };

  function settleRefund(outRefundNo: string, status: Exclude<StandInRefundStatus, 'PROCESSING'>): StandInRefund {
    const refund = state.refunds.get(outRefundNo);
    if (!refund) throw new StandInControlError(404, `no refund ${outRefundNo}`);
    if (refund.status !== 'PROCESSING') throw new StandInControlError(409, `refund ${outRefundNo} is already ${refund.status}`);
    refund.status = status;
    if (status === 'SUCCESS') refund.successTime = now();
    if (refund.notifyUrl) {
      notifier.send({
        url: refund.notifyUrl,
        eventType: `REFUND.${status}`,
        summary: REFUND_SUMMARY[status],
        originalType: 'refund',
        resource: refundResource(refund, merchant.mchid, state.orders.get(refund.outTradeNo)),
        subject: outRefundNo,
      });
    }
    return { ...refund };
  }

  const api: WeChatPayStandIn = {
    origin: '',
    mode,
    config: {},
    merchant,
    apiV3Key,
    platform,

    pay(outTradeNo, payOptions = {}) {
      const order = findOrder(outTradeNo);
      if (order.tradeState !== 'NOTPAY' && order.tradeState !== 'USERPAYING') throw new StandInControlError(409, `order ${outTradeNo} is ${order.tradeState}, not payable`);
      const at = payOptions.at ?? now();
      if (at.getTime() > order.timeExpire.getTime() && !payOptions.late) {
        throw new StandInControlError(409, `order ${outTradeNo} expired at ${order.timeExpireText} (pass late: true to pay anyway)`);
      }
      order.tradeState = 'SUCCESS';
      order.successTime = at;
      order.transactionId = `42000${beijingDay(at).replace(/-/g, '')}${randomDigits(15)}`;
      if (payOptions.notify !== false) {
        notifier.send({
          url: order.notifyUrl,
          eventType: 'TRANSACTION.SUCCESS',
          summary: '支付成功',
          originalType: 'transaction',
          resource: transactionResource(order),
          subject: outTradeNo,
        });
      }
      return { ...order };
    },

    cancel(outTradeNo) {
      const order = findOrder(outTradeNo);
      order.payerCancelled = true;
      return { ...order };
    },

    startPaying(outTradeNo) {
      const order = findOrder(outTradeNo);
      if (order.tradeState !== 'NOTPAY') throw new StandInControlError(409, `order ${outTradeNo} is ${order.tradeState}, not payable`);
      order.tradeState = 'USERPAYING';
      return { ...order };
    },

    failPayment(outTradeNo) {
      const order = findOrder(outTradeNo);
      if (order.tradeState !== 'NOTPAY' && order.tradeState !== 'USERPAYING') throw new StandInControlError(409, `order ${outTradeNo} is ${order.tradeState}, not being paid`);
      order.tradeState = 'PAYERROR';
      return { ...order };
    },

    setMode(next) {
      Object.assign(state.mode, zMode.parse(next));
      return { ...state.mode };
    },

    tamperBill(input) {
      const parsed = zTamper.parse(input);
      if (parsed.addTrade) {
        if (state.orders.has(parsed.outTradeNo)) throw new StandInControlError(409, `order ${parsed.outTradeNo} already exists`);
        const at = parsed.addTrade.at ? new Date(parsed.addTrade.at) : now();
        state.orders.set(parsed.outTradeNo, {
          outTradeNo: parsed.outTradeNo,
          appid: merchant.appid,
          mchid: merchant.mchid,
          description: parsed.addTrade.description ?? '挂号费',
          amountFen: parsed.addTrade.amountFen,
          payerOpenid: parsed.addTrade.payerOpenid ?? `o${randomAlphanumeric(27)}`,
          timeExpireText: rfc3339Beijing(new Date(at.getTime() + 600_000)),
          timeExpire: new Date(at.getTime() + 600_000),
          notifyUrl: '',
          prepayId: `wx${randomAlphanumeric(30)}`,
          tradeState: 'SUCCESS',
          transactionId: `42000${beijingDay(at).replace(/-/g, '')}${randomDigits(15)}`,
          successTime: at,
          createdAt: at,
          payerCancelled: false,
        });
      }
      if (parsed.amountFen !== undefined || parsed.drop) {
        state.tampers.set(parsed.outTradeNo, { ...state.tampers.get(parsed.outTradeNo), amountFen: parsed.amountFen, drop: parsed.drop });
      }
    },

    settleRefund,

    rotateCertificate() {
      if (mode !== 'certificate') throw new StandInControlError(409, 'only certificate mode has certificates to rotate');
      platforms.push(createPlatformCertificate(wireNow()));
      return platform();
    },

    order: (outTradeNo) => {
      const order = state.orders.get(outTradeNo);
      return order ? { ...order } : undefined;
    },
    refund: (outRefundNo) => {
      const refund = state.refunds.get(outRefundNo);
      return refund ? { ...refund } : undefined;
    },
    refunds: () => [...state.refunds.values()].map((refund) => ({ ...refund })),
    notifications: () => notifier.attempts(),
    notificationsIdle: () => notifier.idle(),

    craftNotification: (input) => craftNotification(input, { apiV3Key, platform: platform(), now: wireNow() }),

    sendMisleadingNotification(input) {
      const event = misleadingNotification(input, { order: (no) => state.orders.get(no), refund: (no) => state.refunds.get(no), mchid: merchant.mchid, now: now() });
      if (typeof event === 'string') throw new StandInControlError(404, event);
      return notifier.send(event);
    },

    requestCount: () => ({ ...state.counts }),
    close: async () => {},
  };

  const routes = createStandInRoutes(state, {
    notifyRefund: (refund) => {
      if (state.mode.refund === 'normal') setImmediate(() => settleIfProcessing(refund.outRefundNo, 'SUCCESS'));
      if (state.mode.refund === 'abnormal') setImmediate(() => settleIfProcessing(refund.outRefundNo, 'ABNORMAL'));
    },
    control: api,
  });

  function settleIfProcessing(outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL'): void {
    if (state.refunds.get(outRefundNo)?.status === 'PROCESSING') settleRefund(outRefundNo, status);
  }

  const server = http.createServer((req, res) => {
    routes.handle(req, res).catch((error: unknown) => {
      log(`wechat pay stand-in error: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: 'SYSTEM_ERROR', message: 'stand-in error' }));
      }
    });
  });
  state.origin = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1', 'the WeChat Pay stand-in');
  api.origin = state.origin;

  const first = platforms[0];
  api.config = {
    WXPAY_MCHID: merchant.mchid,
    WXPAY_APPID: merchant.appid,
    WXPAY_SERIAL_NO: merchant.serialNo,
    WXPAY_PRIVATE_KEY: merchant.privateKeyPem,
    WXPAY_APIV3_KEY: apiV3Key,
    ...(mode === 'publicKey'
      ? { WXPAY_PUBLIC_KEY_ID: first.serial, WXPAY_PUBLIC_KEY: publicKeyPem(first.publicKey) }
      : { WXPAY_PLATFORM_CERT: first.certificatePem ?? '' }),
    WXPAY_ORIGIN: state.origin,
    WXPAY_TIMEOUT_MS: '5000',
  };
  api.close = () =>
    new Promise<void>((resolve, reject) => {
      notifier.close();
      routes.close();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  return api;
}

function randomDigits(count: number): string {
  let digits = '';
  for (const byte of randomBytes(count)) digits += String(byte % 10);
  return digits;
}

