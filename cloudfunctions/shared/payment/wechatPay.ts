// The port to WeChat Pay API v3 that the payment function uses: orders, refunds, bills and verified notifications, money in integer fen.
// @see https://pay.weixin.qq.com/doc/v3/merchant/4012791856 (JSAPI / mini program payment)
import { z } from 'zod';

export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';
export type RefundStatus = 'SUCCESS' | 'PROCESSING' | 'ABNORMAL' | 'CLOSED';

export interface JsapiOrderInput {
  /** 6-32 characters of [0-9A-Za-z_-] (WeChat also allows | and *, which we refuse because they need URL escaping). */
  outTradeNo: string;
  /** At most 127 characters, shown to the payer. */
  description: string;
  amountFen: number;
  payerOpenid: string;
  /** Sent as Beijing time; WeChat refuses payment after it. */
  timeExpire: Date;
  notifyUrl: string;
  /** At most 128 characters, echoed back in the query and the notification. */
  attach?: string;
}

export interface MiniProgramPayParams {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

export interface OrderState {
  tradeState: TradeState;
  transactionId?: string;
  amountFen?: number;
  payerOpenid?: string;
  successTime?: Date;
}

export interface RefundInput {
  outTradeNo: string;
  /** 1-64 characters of [0-9A-Za-z_-]; the same number twice is the same refund. */
  outRefundNo: string;
  refundFen: number;
  /** The order's total, which WeChat checks. */
  totalFen: number;
  /** At most 80 characters, shown to the payer. */
  reason: string;
  notifyUrl: string;
}

export interface RefundState {
  refundId: string;
  status: RefundStatus;
}

export interface PayNotification {
  id: string;
  /** TRANSACTION.SUCCESS, REFUND.SUCCESS, REFUND.ABNORMAL, REFUND.CLOSED. */
  eventType: string;
  /** The decrypted resource (see transactionFromResource / refundFromResource). */
  resource: Record<string, unknown>;
}

export interface PayClient {
  /**
   * JSAPI order; returns the prepay_id. Idempotent for the same outTradeNo with the same parameters (WeChat answers the
   * same prepay_id). A paid order throws PayError refused 'ORDERPAID', a closed one 'ORDER_CLOSED', the same number with
   * other parameters 'OUT_TRADE_NO_USED' (WeChat's wording varies: treat any refusal as "query the order").
   */
  createJsapiOrder(input: JsapiOrderInput): Promise<{ prepayId: string }>;
  /** wx.requestPayment / Taro.requestPayment parameters, signed with the merchant key (RSA). */
  miniProgramPayParams(prepayId: string): MiniProgramPayParams;
  /** null = ORDER_NOT_EXIST. */
  queryOrder(outTradeNo: string): Promise<OrderState | null>;
  /** Resolves when the order is closed (also when it was already closed); a paid order throws PayError refused 'ORDERPAID'. */
  closeOrder(outTradeNo: string): Promise<void>;
  refund(input: RefundInput): Promise<RefundState>;
  /** null = no refund with this number. */
  queryRefund(outRefundNo: string): Promise<RefundState | null>;
  /**
   * Trade bill of one day (YYYY-MM-DD, Beijing): downloads, checks the SHA1 hash_value, returns the CSV text.
   * A day without trades throws PayError refused 'NO_STATEMENT_EXIST'; a bill not ready yet (before ~10:00 the next
   * day) 'STATEMENT_CREATING'.
   */
  downloadTradeBill(billDate: string): Promise<string>;
  /**
   * Verifies a notification on its RAW body (signature with the platform key/cert by Wechatpay-Serial, timestamp not
   * older than 5 minutes), decrypts the resource with the APIv3 key checking the GCM tag. Throws PayNotifyError
   * (kind: 'signature' | 'stale' | 'decrypt' | 'malformed') otherwise.
   */
  parseNotification(input: { headers: Record<string, string | undefined>; body: string }): PayNotification;
  /** Who we are to WeChat Pay (WXPAY_MCHID, WXPAY_APPID): a notification for anyone else is not ours to apply. */
  merchant(): { mchid: string; appid: string };
}

/**
 * Why WeChat Pay could not help:
 * - 'refused': WeChat answered with an error code (ORDERPAID, ORDER_CLOSED, NOT_ENOUGH, PARAM_ERROR, ...); the same
 *   request will get the same answer. Our own input checks (PARAM_ERROR before sending) are refusals too.
 * - 'unavailable': no usable answer (timeout, network, 5xx, 429, 401 on our signature, a body or signature that does
 *   not check out); the same request may work later.
 */
export type PayErrorKind = 'refused' | 'unavailable';

export type PayErrorReason =
  | 'refused'
  | 'timeout'
  | 'network'
  | 'server_error'
  | 'rate_limited'
  /** 401: WeChat rejected our request signature (wrong WXPAY_SERIAL_NO/WXPAY_PRIVATE_KEY or a skewed clock). */
  | 'unauthorized'
  /** A response whose Wechatpay-Signature is missing, does not verify, is stale, or names an unknown key. */
  | 'bad_signature'
  | 'bad_response'
  | 'hash_mismatch'
  | 'unexpected_status';

/** WeChat's codes that callers are expected to branch on; any other code WeChat sends is kept as is. */
export type PayErrorCode =
  | 'ORDERPAID'
  | 'ORDER_CLOSED'
  | 'OUT_TRADE_NO_USED'
  | 'ORDER_NOT_EXIST'
  | 'RESOURCE_NOT_EXISTS'
  | 'NOT_ENOUGH'
  | 'PARAM_ERROR'
  | 'INVALID_REQUEST'
  | 'NO_STATEMENT_EXIST'
  | 'STATEMENT_CREATING'
  | 'SIGN_ERROR'
  | 'SYSTEM_ERROR'
  | 'FREQUENCY_LIMITED'
  | (string & {});

export class PayError extends Error {
  readonly kind: PayErrorKind;
  readonly reason: PayErrorReason;
  /** HTTP status, when WeChat answered. */
  readonly status?: number;
  /** WeChat's error code, e.g. ORDERPAID. */
  readonly code?: PayErrorCode;
  /** WeChat's own sentence, for staff and logs (never shown to patients as is). */
  readonly wechatMessage?: string;
  /**
   * Whether the error answer carried a valid WeChat signature. WeChat does not sign answers to requests it could not
   * authenticate, so an unsigned 4xx is accepted, but callers should confirm a refusal such as ORDERPAID with
   * queryOrder (always signed) before moving money or bookings.
   */
  readonly signed: boolean;

  constructor(
    kind: PayErrorKind,
    message: string,
    details: { reason?: PayErrorReason; status?: number; code?: string; wechatMessage?: string; signed?: boolean; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PayError';
    this.kind = kind;
    this.reason = details.reason ?? (kind === 'refused' ? 'refused' : 'server_error');
    this.status = details.status;
    this.code = details.code;
    this.wechatMessage = details.wechatMessage;
    this.signed = details.signed ?? false;
  }
}

export type PayNotifyErrorKind = 'signature' | 'stale' | 'decrypt' | 'malformed';

/** A notification that must not be acted on; answer it with a 4xx/5xx so WeChat retries a genuine one later. */
export class PayNotifyError extends Error {
  readonly kind: PayNotifyErrorKind;

  constructor(kind: PayNotifyErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PayNotifyError';
    this.kind = kind;
  }
}

/** How old (or how far in the future) a notification's or a response's Wechatpay-Timestamp may be. */
export const WECHAT_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

const beijingParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/**
 * RFC 3339 in Beijing time, as WeChat wants time_expire: `yyyy-MM-DDTHH:mm:ss+08:00`.
 * `toISOString().replace('Z', '+08:00')` would be 8 hours early; China has had no DST since 1991, so +08:00 is fixed.
 */
export function formatWeChatTime(instant: Date): string {
  if (Number.isNaN(instant.getTime())) throw new RangeError('formatWeChatTime: invalid date');
  const part: Record<string, string> = {};
  for (const { type, value } of beijingParts.formatToParts(instant)) part[type] = value;
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}:${part.second}+08:00`;
}

/** The Beijing calendar day of an instant, YYYY-MM-DD (the day a trade bill files it under). */
export function beijingDate(instant: Date): string {
  return formatWeChatTime(instant).slice(0, 10);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;

/** Parses WeChat's RFC 3339 times (e.g. success_time 2026-11-29T09:00:05+08:00). */
export function parseWeChatTime(text: string): Date {
  const instant = RFC3339.test(text) ? new Date(text) : new Date(NaN);
  if (Number.isNaN(instant.getTime())) throw new RangeError(`not an RFC 3339 time: ${text}`);
  return instant;
}

const zWeChatTime = z.string().regex(RFC3339).transform((text) => parseWeChatTime(text));
const zFen = z.number().int().nonnegative();

// mchid, appid and the amount are required (WeChat always sends them): a notification we cannot check is not applied.
const zTransactionResource = z.object({
  out_trade_no: z.string().min(1),
  transaction_id: z.string().min(1).optional(),
  trade_state: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']),
  mchid: z.string().min(1),
  appid: z.string().min(1),
  attach: z.string().optional(),
  success_time: zWeChatTime.optional(),
  amount: z.object({ total: zFen, payer_total: zFen.optional(), currency: z.string().optional() }),
  payer: z.object({ openid: z.string() }).optional(),
});

export interface TransactionNotice extends OrderState {
  outTradeNo: string;
  mchid: string;
  appid: string;
  attach?: string;
  /** What the payer paid; less than the total when a WeChat coupon paid part of it. */
  payerTotalFen?: number;
  currency?: string;
}

/** The payment in a TRANSACTION.* notification's resource; throws PayNotifyError 'malformed' if it is not one. */
export function transactionFromResource(resource: Record<string, unknown>): TransactionNotice {
  const parsed = zTransactionResource.safeParse(resource);
  if (!parsed.success) throw new PayNotifyError('malformed', `not a transaction resource: ${parsed.error.issues[0].path.join('.')}`);
  const value = parsed.data;
  return {
    outTradeNo: value.out_trade_no,
    tradeState: value.trade_state,
    transactionId: value.transaction_id,
    amountFen: value.amount.total,
    payerOpenid: value.payer?.openid,
    successTime: value.success_time,
    mchid: value.mchid,
    appid: value.appid,
    attach: value.attach,
    payerTotalFen: value.amount.payer_total,
    currency: value.amount.currency,
  };
}

const zRefundResource = z.object({
  out_trade_no: z.string().min(1),
  out_refund_no: z.string().min(1),
  refund_id: z.string().min(1),
  transaction_id: z.string().optional(),
  mchid: z.string().min(1),
  refund_status: z.enum(['SUCCESS', 'PROCESSING', 'ABNORMAL', 'CLOSED']),
  success_time: zWeChatTime.optional(),
  amount: z.object({ total: zFen, refund: zFen }),
});

export interface RefundNotice extends RefundState {
  outTradeNo: string;
  outRefundNo: string;
  refundFen: number;
  totalFen: number;
  successTime?: Date;
  mchid: string;
}

/** The refund in a REFUND.* notification's resource; throws PayNotifyError 'malformed' if it is not one. */
export function refundFromResource(resource: Record<string, unknown>): RefundNotice {
  const parsed = zRefundResource.safeParse(resource);
  if (!parsed.success) throw new PayNotifyError('malformed', `not a refund resource: ${parsed.error.issues[0].path.join('.')}`);
  const value = parsed.data;
  return {
    outTradeNo: value.out_trade_no,
    outRefundNo: value.out_refund_no,
    refundId: value.refund_id,
    status: value.refund_status,
    refundFen: value.amount.refund,
    totalFen: value.amount.total,
    successTime: value.success_time,
    mchid: value.mchid,
  };
}
