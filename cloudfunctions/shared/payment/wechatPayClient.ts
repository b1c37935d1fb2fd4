// The production PayClient on wechatpay-node-v3, with the library's gaps closed (see wechatPayHttp.ts and platform.md).
/*
 * What the library does: request signing (Authorization: WECHATPAY2-SHA256-RSA2048 ...) and the v3 endpoints' URLs.
 * What it lacks and is added here or in wechatPayHttp.ts: a configurable origin, a timeout, verification of every
 * answer's signature, WeChat Pay public-key mode (PUB_KEY_ID_...), a GCM decryption that checks the tag, fresh
 * notification timestamps, a cryptographic nonce for requests and pay parameters (the library uses Math.random).
 * Bodies are never logged: they hold openids; keys are never logged or put in errors.
 */
import { createHash, randomBytes } from 'node:crypto';
import Pay from 'wechatpay-node-v3';
import type { Logger } from '../log';
import {
  PayError,
  PayNotifyError,
  WECHAT_MAX_CLOCK_SKEW_MS,
  formatWeChatTime,
  type OrderState,
  type PayClient,
  type PayNotification,
  type RefundState,
} from './wechatPay';
import { WECHAT_PAY_ORIGIN, parsePayConfig, type PayConfig } from './wechatPayConfig';
import { TrustedKeys, decryptResource, verifyWeChatSignature } from './wechatPayCrypto';
import { WeChatPayHttp, type PayAnswer } from './wechatPayHttp';
import { zBillRequest, zOrderAnswer, zPrepayAnswer, zRefundAnswer, zNotification, zNotificationHeaders } from './wechatPayWire';

export interface WeChatPayClientOptions {
  log?: Logger;
  fetch?: typeof fetch;
  /** Real time for request timestamps and answer freshness, judged on the wire, never the business clock (tests move it). */
  now?: () => Date;
  /** Platform certificate mode: the shortest time between two downloads of GET /v3/certificates. */
  certificateRefreshIntervalMs?: number;
}

/** A PayClient plus what the payment function needs to know about it (never a key). */
export interface WeChatPayClient extends PayClient {
  readonly settings: {
    mchid: string;
    appid: string;
    origin: string;
    mode: 'publicKey' | 'certificate' | 'publicKey+certificate';
  };
}

const noLog: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

const OUT_TRADE_NO = /^[0-9A-Za-z_-]{6,32}$/;
const OUT_REFUND_NO = /^[0-9A-Za-z_-]{1,64}$/;
const BILL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The client for the real WeChat Pay when WXPAY_* are set; null when none is (the caller then uses the stand-in). */
export function payClientFromEnv(env: Record<string, string | undefined> = process.env, options: WeChatPayClientOptions = {}): WeChatPayClient | null {
  const config = parsePayConfig(env);
  return config ? createWeChatPayClient(config, options) : null;
}

/** The library signs with `this.privateKey` and a nonce of our choosing (randomBytes, not Math.random). */
class SigningPay extends Pay {
  constructor(
    options: ConstructorParameters<typeof Pay>[0],
    private readonly clock: () => Date,
  ) {
    super(options);
  }

  protected buildAuthorization(method: string, url: string, params?: Record<string, unknown>): string {
    const nonce = randomBytes(16).toString('hex');
    const timestamp = String(Math.floor(this.clock().getTime() / 1000));
    const signature = this.getSignature(method, nonce, timestamp, url.replace(WECHAT_PAY_ORIGIN, ''), params);
    return this.getAuthorization(nonce, timestamp, signature);
  }
}

export function createWeChatPayClient(config: PayConfig, options: WeChatPayClientOptions = {}): WeChatPayClient {
  const log = options.log ?? noLog;
  const now = options.now ?? (() => new Date());
  const refreshIntervalMs = options.certificateRefreshIntervalMs ?? 60_000;
  const trusted = new TrustedKeys();
  if (config.publicKey) trusted.addPublicKey(config.publicKey.id, config.publicKey.key);
  const certificateSerials = config.platformCertificates.map((certificate) => trusted.addCertificate(certificate));
  const certificateMode = config.platformCertificates.length > 0;

  const pay = new SigningPay(
    {
      appid: config.appid,
      mchid: config.mchid,
      serial_no: config.serialNo,
      // Only read to derive serial_no, which is given; the merchant certificate is not needed.
      publicKey: Buffer.from('unused: serial_no is configured'),
      privateKey: Buffer.from(config.privateKey.export({ type: 'pkcs8', format: 'pem' })),
      key: config.apiV3Key,
      userAgent: 'yiyue-payment (wechatpay-node-v3)',
    },
    now,
  );

  let refreshing: Promise<void> | undefined;
  let lastRefresh = Number.NEGATIVE_INFINITY;
  /** At most one download at a time and one per interval, so forged serials cannot make us hammer WeChat. */
  function refreshCertificates(): Promise<void> {
    if (refreshing) return refreshing;
    if (Date.now() - lastRefresh < refreshIntervalMs) return Promise.resolve();
    lastRefresh = Date.now();
    refreshing = pay
      .get_certificates(config.apiV3Key)
      .then(() => undefined)
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  const http = new WeChatPayHttp({
    origin: config.origin,
    timeoutMs: config.timeoutMs,
    apiV3Key: config.apiV3Key,
    trusted,
    wechatpaySerial: config.publicKey?.id ?? certificateSerials[0],
    now,
    fetch: options.fetch ?? fetch,
    log,
    refreshCertificates: certificateMode ? refreshCertificates : undefined,
  });
  pay.createHttp(http);

  /** Runs a library call through our transport; its answer is always our PayAnswer. */
  async function call(run: () => Promise<unknown>): Promise<PayAnswer> {
    return (await run()) as PayAnswer;
  }

  function failure(what: string, answer: PayAnswer): PayError {
    const { status, signed } = answer;
    const body = answer.data as { code?: unknown; message?: unknown } | undefined;
    const code = typeof body?.code === 'string' ? body.code : undefined;
    const wechatMessage = typeof body?.message === 'string' ? body.message.slice(0, 500) : undefined;
    const details = { status, code, wechatMessage, signed };
    if (status === 401) {
      log.error('WeChat Pay rejected our signature: check WXPAY_MCHID, WXPAY_SERIAL_NO, WXPAY_PRIVATE_KEY and the clock', { what, status, code });
      return new PayError('unavailable', `WeChat Pay rejected the signature of ${what}`, { ...details, reason: 'unauthorized' });
    }
    if (status === 429) return new PayError('unavailable', `WeChat Pay rate-limited ${what}`, { ...details, reason: 'rate_limited' });
    if (status >= 500) return new PayError('unavailable', `WeChat Pay answered ${status} to ${what}`, { ...details, reason: 'server_error' });
    if (status >= 400 && code) {
      log.warn('wechat pay refused', { what, status, code });
      return new PayError('refused', `WeChat Pay refused ${what}: ${code}`, { ...details, reason: 'refused' });
    }
    log.error('wechat pay answered outside the protocol', { what, status });
    return new PayError('unavailable', `WeChat Pay answered an unexpected ${status} to ${what}`, { ...details, reason: 'unexpected_status' });
  }

  function badResponse(what: string, answer: PayAnswer): PayError {
    log.error('wechat pay answered with a body the protocol does not have', { what, status: answer.status });
    return new PayError('unavailable', `WeChat Pay sent an unreadable answer to ${what}`, { reason: 'bad_response', status: answer.status, signed: answer.signed });
  }

  function refuseInput(what: string, problem: string): PayError {
    return new PayError('refused', `${what}: ${problem}`, { reason: 'refused', code: 'PARAM_ERROR', wechatMessage: problem });
  }

  function checkOutTradeNo(what: string, outTradeNo: string): void {
    if (!OUT_TRADE_NO.test(outTradeNo)) throw refuseInput(what, 'outTradeNo must be 6-32 characters of 0-9 A-Z a-z _ -');
  }

  function toRefundState(what: string, answer: PayAnswer): RefundState {
    const parsed = zRefundAnswer.safeParse(parseText(answer.text));
    if (!parsed.success) throw badResponse(what, answer);
    return { refundId: parsed.data.refund_id, status: parsed.data.status };
  }

  const client: WeChatPayClient = {
    settings: {
      mchid: config.mchid,
      appid: config.appid,
      origin: config.origin,
      mode: config.publicKey ? (certificateMode ? 'publicKey+certificate' : 'publicKey') : 'certificate',
    },

    async createJsapiOrder(input) {
      const what = 'createJsapiOrder';
      checkOutTradeNo(what, input.outTradeNo);
      if (!Number.isSafeInteger(input.amountFen) || input.amountFen < 1) throw refuseInput(what, 'amountFen must be a whole number of fen, at least 1');
      if (input.description.length < 1 || input.description.length > 127) throw refuseInput(what, 'description must be 1-127 characters');
      if (input.attach !== undefined && input.attach.length > 128) throw refuseInput(what, 'attach must be at most 128 characters');
      if (!input.payerOpenid || input.payerOpenid.length > 128) throw refuseInput(what, 'payerOpenid is required');
      if (!/^https?:\/\//.test(input.notifyUrl)) throw refuseInput(what, 'notifyUrl must be an http(s) URL');
      const answer = await call(() =>
        pay.transactions_jsapi({
          description: input.description,
          out_trade_no: input.outTradeNo,
          time_expire: formatWeChatTime(input.timeExpire),
          ...(input.attach === undefined ? {} : { attach: input.attach }),
          notify_url: input.notifyUrl,
          amount: { total: input.amountFen, currency: 'CNY' },
          payer: { openid: input.payerOpenid },
        }),
      );
      if (answer.status !== 200) throw failure(what, answer);
      // The library swaps data for its own pay parameters; the body as received still has prepay_id.
      const parsed = zPrepayAnswer.safeParse(parseText(answer.text));
      if (!parsed.success) throw badResponse(what, answer);
      return { prepayId: parsed.data.prepay_id };
    },

    miniProgramPayParams(prepayId) {
      if (!/^[0-9A-Za-z_-]{1,64}$/.test(prepayId)) throw refuseInput('miniProgramPayParams', 'prepayId is not a prepay_id');
      const timeStamp = String(Math.floor(now().getTime() / 1000));
      const nonceStr = randomBytes(16).toString('hex');
      const pkg = `prepay_id=${prepayId}`;
      const paySign = pay.sha256WithRsa(`${config.appid}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
      return { timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign };
    },

    async queryOrder(outTradeNo): Promise<OrderState | null> {
      const what = 'queryOrder';
      checkOutTradeNo(what, outTradeNo);
      const answer = await call(() => pay.query({ out_trade_no: outTradeNo }));
      if (answer.status === 404 && (answer.data as { code?: string } | undefined)?.code === 'ORDER_NOT_EXIST') return null;
      if (answer.status !== 200) throw failure(what, answer);
      const parsed = zOrderAnswer.safeParse(parseText(answer.text));
      if (!parsed.success || parsed.data.out_trade_no !== outTradeNo || parsed.data.mchid !== config.mchid) throw badResponse(what, answer);
      const order = parsed.data;
      return {
        tradeState: order.trade_state,
        transactionId: order.transaction_id || undefined,
        amountFen: order.amount?.total,
        payerOpenid: order.payer?.openid || undefined,
        successTime: order.success_time,
      };
    },

    async closeOrder(outTradeNo) {
      const what = 'closeOrder';
      checkOutTradeNo(what, outTradeNo);
      const answer = await call(() => pay.close(outTradeNo));
      if (answer.status !== 204 && answer.status !== 200) throw failure(what, answer);
    },

    async refund(input) {
      const what = 'refund';
      checkOutTradeNo(what, input.outTradeNo);
      if (!OUT_REFUND_NO.test(input.outRefundNo)) throw refuseInput(what, 'outRefundNo must be 1-64 characters of 0-9 A-Z a-z _ -');
      if (!Number.isSafeInteger(input.totalFen) || input.totalFen < 1) throw refuseInput(what, 'totalFen must be a whole number of fen, at least 1');
      if (!Number.isSafeInteger(input.refundFen) || input.refundFen < 1 || input.refundFen > input.totalFen) {
        throw refuseInput(what, 'refundFen must be a whole number of fen between 1 and totalFen');
      }
      if (input.reason.length > 80) throw refuseInput(what, 'reason must be at most 80 characters');
      const answer = await call(() =>
        pay.refunds({
          out_trade_no: input.outTradeNo,
          out_refund_no: input.outRefundNo,
          reason: input.reason,
          notify_url: input.notifyUrl,
          amount: { refund: input.refundFen, total: input.totalFen, currency: 'CNY' },
        }),
      );
      if (answer.status !== 200) throw failure(what, answer);
      return toRefundState(what, answer);
    },

    async queryRefund(outRefundNo) {
      const what = 'queryRefund';
      if (!OUT_REFUND_NO.test(outRefundNo)) throw refuseInput(what, 'outRefundNo must be 1-64 characters of 0-9 A-Z a-z _ -');
      const answer = await call(() => pay.find_refunds(outRefundNo));
      if (answer.status === 404 && (answer.data as { code?: string } | undefined)?.code === 'RESOURCE_NOT_EXISTS') return null;
      if (answer.status !== 200) throw failure(what, answer);
      return toRefundState(what, answer);
    },

    async downloadTradeBill(billDate) {
      const what = 'downloadTradeBill';
      if (!BILL_DATE.test(billDate)) throw refuseInput(what, 'billDate must be YYYY-MM-DD');
      const requested = await call(() => pay.tradebill({ bill_date: billDate, bill_type: 'ALL' }));
      if (requested.status !== 200) throw failure(what, requested);
      const bill = zBillRequest.safeParse(parseText(requested.text));
      if (!bill.success) throw badResponse(what, requested);
      const location = new URL(bill.data.download_url);
      if ((location.origin !== WECHAT_PAY_ORIGIN && location.origin !== config.origin) || location.pathname !== '/v3/billdownload/file') {
        log.error('wechat pay bill download_url is not on the WeChat Pay origin', { what });
        throw badResponse(what, requested);
      }
      // Through the library's URL form, so that it signs the path and our transport sends it to our origin.
      const file = await call(() => pay.downloadBill(WECHAT_PAY_ORIGIN + location.pathname + location.search));
      if (file.status !== 200) throw failure(what, file);
      const digest = createHash('sha1').update(file.raw).digest('hex');
      if (digest !== bill.data.hash_value.toLowerCase()) {
        log.error('wechat pay bill does not match its hash', { what, billDate });
        throw new PayError('unavailable', `the trade bill of ${billDate} does not match its SHA1 hash_value`, { reason: 'hash_mismatch', status: file.status });
      }
      return file.text;
    },

    parseNotification(input): PayNotification {
      const headers = lowerCase(input.headers);
      const signing = zNotificationHeaders.safeParse(headers);
      if (!signing.success) throw new PayNotifyError('signature', 'missing Wechatpay-* signature headers');
      const { 'wechatpay-timestamp': timestamp, 'wechatpay-nonce': nonce, 'wechatpay-signature': signature, 'wechatpay-serial': serial } = signing.data;
      const key = trusted.get(serial, now());
      if (!key) {
        // parseNotification is synchronous; fetch the certificates now so that WeChat's retry verifies.
        if (certificateMode) refreshCertificates().catch(() => log.warn('wechat pay certificates could not be refreshed', { what: 'notification' }));
        throw new PayNotifyError('signature', `notification signed with a key we do not trust (${serial})`);
      }
      if (!verifyWeChatSignature(key, { timestamp, nonce, body: input.body, signature })) {
        throw new PayNotifyError('signature', 'notification signature does not verify');
      }
      if (Math.abs(now().getTime() - Number(timestamp) * 1000) > WECHAT_MAX_CLOCK_SKEW_MS) {
        throw new PayNotifyError('stale', 'notification timestamp is more than 5 minutes off our clock');
      }
      const envelope = zNotification.safeParse(parseText(input.body));
      if (!envelope.success) throw new PayNotifyError('malformed', 'notification body is not a WeChat Pay v3 notification');
      let plaintext: string;
      try {
        plaintext = decryptResource(envelope.data.resource, config.apiV3Key);
      } catch (error) {
        throw new PayNotifyError('decrypt', 'notification resource does not decrypt with WXPAY_APIV3_KEY (GCM tag mismatch)', { cause: error });
      }
      const resource = parseText(plaintext);
      if (!resource || typeof resource !== 'object' || Array.isArray(resource)) throw new PayNotifyError('malformed', 'decrypted resource is not a JSON object');
      return { id: envelope.data.id, eventType: envelope.data.event_type, resource: resource as Record<string, unknown> };
    },

    merchant: () => ({ mchid: config.mchid, appid: config.appid }),
  };
  return client;
}

function lowerCase(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) result[name.toLowerCase()] = value;
  return result;
}

function parseText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
