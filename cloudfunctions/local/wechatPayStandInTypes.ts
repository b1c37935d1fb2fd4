// The WeChat Pay stand-in's records (orders, refunds), its switchable behaviour, and the error of a control call.
import { z } from 'zod';

export type StandInTradeState = 'NOTPAY' | 'USERPAYING' | 'PAYERROR' | 'SUCCESS' | 'REFUND' | 'CLOSED';
export type StandInRefundStatus = 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';

export interface StandInOrder {
  outTradeNo: string;
  appid: string;
  mchid: string;
  description: string;
  amountFen: number;
  payerOpenid: string;
  /** time_expire exactly as the merchant sent it, and as an instant. */
  timeExpireText: string;
  timeExpire: Date;
  notifyUrl: string;
  attach?: string;
  prepayId: string;
  tradeState: StandInTradeState;
  transactionId?: string;
  successTime?: Date;
  createdAt: Date;
  /** The payer closed the cashier at least once. */
  payerCancelled: boolean;
}

export interface StandInRefund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  refundFen: number;
  totalFen: number;
  reason?: string;
  notifyUrl?: string;
  status: StandInRefundStatus;
  createdAt: Date;
  successTime?: Date;
}

export interface StandInMode {
  /** normal: PROCESSING, then SUCCESS at once; processing: stays until settled; abnormal: ends ABNORMAL; fail: 403 NOT_ENOUGH. */
  refund: 'normal' | 'processing' | 'abnormal' | 'fail';
  /** How answers are signed: valid, with a wrong signature, or not at all. */
  responseSignature: 'valid' | 'bad' | 'missing';
  /** Every API call answers 500 SYSTEM_ERROR (after the signature check). */
  unavailable: boolean;
  /** Answer API calls after this many milliseconds. */
  delayMs: number;
  /** bad: hash_value does not match the file. */
  billHash: 'valid' | 'bad';
  /** realistic: a day's bill exists from 10:00 the next day (Beijing); immediate: any day, at once. */
  bills: 'realistic' | 'immediate';
}

/** A control call that cannot be carried out; the HTTP control API answers with its status. */
export class StandInControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'StandInControlError';
  }
}

export const zMode = z
  .object({
    refund: z.enum(['normal', 'processing', 'abnormal', 'fail']),
    responseSignature: z.enum(['valid', 'bad', 'missing']),
    unavailable: z.boolean(),
    delayMs: z.number().int().min(0).max(600_000),
    billHash: z.enum(['valid', 'bad']),
    bills: z.enum(['realistic', 'immediate']),
  })
  .partial()
  .strict();
