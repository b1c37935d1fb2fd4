// What the stand-in puts in notifications: the resources WeChat Pay encrypts, hand-made notifications for forgery tests,
// and, on request, a genuine (signed, encrypted, retried) notification that says something the merchant must not trust.
import { randomBytes, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import type { StandInOrder, StandInRefund } from './wechatPayStandInTypes';
import { encryptForMerchant, signingHeaders, type PlatformIdentity } from './wechatPayStandInKeys';
import { rfc3339Beijing, type NotificationEvent } from './wechatPayStandInNotifier';

export function transactionResource(order: StandInOrder): Record<string, unknown> {
  return {
    mchid: order.mchid,
    appid: order.appid,
    out_trade_no: order.outTradeNo,
    transaction_id: order.transactionId,
    trade_type: 'JSAPI',
    trade_state: order.tradeState,
    trade_state_desc: order.tradeState === 'SUCCESS' ? '支付成功' : order.tradeState,
    bank_type: 'OTHERS',
    attach: order.attach ?? '',
    success_time: order.successTime ? rfc3339Beijing(order.successTime) : undefined,
    payer: { openid: order.payerOpenid },
    amount: { total: order.amountFen, payer_total: order.amountFen, currency: 'CNY', payer_currency: 'CNY' },
  };
}

export function refundResource(refund: StandInRefund, mchid: string, order: StandInOrder | undefined): Record<string, unknown> {
  return {
    mchid,
    out_trade_no: refund.outTradeNo,
    transaction_id: order?.transactionId,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_status: refund.status,
    success_time: refund.successTime ? rfc3339Beijing(refund.successTime) : undefined,
    user_received_account: '支付用户零钱',
    amount: { total: refund.totalFen, refund: refund.refundFen, payer_total: refund.totalFen, payer_refund: refund.refundFen },
  };
}

export interface CraftNotificationInput {
  eventType: string;
  resource: Record<string, unknown>;
  originalType?: 'transaction' | 'refund';
  summary?: string;
  /** Sign as of this instant (an old one makes a stale notification). */
  at?: Date;
  /** Flip a byte of the ciphertext after encrypting (the signature is made over the tampered body, so it verifies). */
  tamperCiphertext?: boolean;
  /** Sign with this key instead of the platform's (a forgery). */
  signWith?: KeyObject;
}

/** A notification as WeChat would send it at `input.at`, not sent: the test delivers (or replays) it itself. */
export function craftNotification(
  input: CraftNotificationInput,
  signing: { apiV3Key: string; platform: PlatformIdentity; now: Date },
): { headers: Record<string, string>; body: string } {
  const at = input.at ?? signing.now;
  const originalType = input.originalType ?? (input.eventType.startsWith('REFUND') ? 'refund' : 'transaction');
  const resource = encryptForMerchant(JSON.stringify(input.resource), signing.apiV3Key, originalType);
  if (input.tamperCiphertext) {
    const sealed = Buffer.from(resource.ciphertext, 'base64');
    sealed[0] ^= 0x01;
    resource.ciphertext = sealed.toString('base64');
  }
  const body = JSON.stringify({
    id: `EV-${randomBytes(12).toString('hex')}`,
    create_time: rfc3339Beijing(at),
    resource_type: 'encrypt-resource',
    event_type: input.eventType,
    summary: input.summary ?? '支付成功',
    resource: { original_type: originalType, ...resource },
  });
  const signer = input.signWith ? { ...signing.platform, privateKey: input.signWith } : signing.platform;
  return { headers: { 'Content-Type': 'application/json', ...signingHeaders(signer, body, at) }, body };
}

/**
 * A notification about an existing order (TRANSACTION.SUCCESS to its notify_url) or refund (REFUND.<status> to the
 * refund's), properly signed, encrypted and retried, whose resource says something else: another trade_state, amount,
 * merchant number, AppID or order number, or that does not parse. The order or refund itself does not change.
 */
export const zMisleadingNotification = z
  .object({
    outTradeNo: z.string().min(1).optional(),
    outRefundNo: z.string().min(1).optional(),
    tradeState: z.enum(['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR']).optional(),
    /** amount.total in fen (transaction or refund). */
    totalFen: z.number().int().nonnegative().optional(),
    payerTotalFen: z.number().int().nonnegative().optional(),
    refundFen: z.number().int().nonnegative().optional(),
    mchid: z.string().min(1).optional(),
    appid: z.string().min(1).optional(),
    /** The out_trade_no / out_refund_no the resource names instead of the real one (one the merchant never issued). */
    outTradeNoInResource: z.string().min(1).optional(),
    outRefundNoInResource: z.string().min(1).optional(),
    /** Still signed and encrypted, but the plaintext is not JSON, lacks `amount`, or has amount.total as a string. */
    malformed: z.enum(['not_json', 'missing_fields', 'wrong_types']).optional(),
  })
  .strict()
  .refine((input) => (input.outTradeNo === undefined) !== (input.outRefundNo === undefined), 'give exactly one of outTradeNo and outRefundNo');

export type MisleadingNotificationInput = z.input<typeof zMisleadingNotification>;

/** The event to send, or a reason it cannot be built (no such order or refund, or nowhere to send it). */
export function misleadingNotification(
  input: MisleadingNotificationInput,
  known: { order(outTradeNo: string): StandInOrder | undefined; refund(outRefundNo: string): StandInRefund | undefined; mchid: string; now: Date },
): NotificationEvent | string {
  const wanted = zMisleadingNotification.parse(input);
  let event: NotificationEvent;
  if (wanted.outTradeNo !== undefined) {
    const order = known.order(wanted.outTradeNo);
    if (!order) return `no order ${wanted.outTradeNo}`;
    const resource = transactionResource({ ...order, transactionId: order.transactionId ?? `4200${randomDigits(24)}`, successTime: order.successTime ?? known.now });
    resource.trade_state = wanted.tradeState ?? 'SUCCESS';
    if (wanted.outTradeNoInResource !== undefined) resource.out_trade_no = wanted.outTradeNoInResource;
    if (wanted.appid !== undefined) resource.appid = wanted.appid;
    event = { url: order.notifyUrl, eventType: 'TRANSACTION.SUCCESS', summary: '支付成功', originalType: 'transaction', resource, subject: order.outTradeNo };
  } else {
    const refund = known.refund(wanted.outRefundNo ?? '');
    if (!refund) return `no refund ${wanted.outRefundNo}`;
    if (!refund.notifyUrl) return `refund ${refund.outRefundNo} has no notify_url`;
    const status = refund.status === 'PROCESSING' ? 'SUCCESS' : refund.status;
    const resource = refundResource({ ...refund, status }, known.mchid, known.order(refund.outTradeNo));
    if (wanted.outRefundNoInResource !== undefined) resource.out_refund_no = wanted.outRefundNoInResource;
    if (wanted.refundFen !== undefined) (resource.amount as Record<string, unknown>).refund = wanted.refundFen;
    event = { url: refund.notifyUrl, eventType: `REFUND.${status}`, summary: '退款成功', originalType: 'refund', resource, subject: refund.outRefundNo };
  }
  const amount = event.resource.amount as Record<string, unknown>;
  if (wanted.totalFen !== undefined) amount.total = wanted.totalFen;
  if (wanted.payerTotalFen !== undefined) amount.payer_total = wanted.payerTotalFen;
  if (wanted.mchid !== undefined) event.resource.mchid = wanted.mchid;
  if (wanted.malformed === 'not_json') event.plaintext = 'SUCCESS, but not JSON';
  if (wanted.malformed === 'missing_fields') delete event.resource.amount;
  if (wanted.malformed === 'wrong_types') amount.total = String(amount.total);
  return event;
}

function randomDigits(count: number): string {
  let digits = '';
  for (const byte of randomBytes(count)) digits += String(byte % 10);
  return digits;
}
