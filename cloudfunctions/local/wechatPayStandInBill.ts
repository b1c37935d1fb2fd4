// The stand-in's trade bill: WeChat's CSV (a backtick before every field, amounts in yuan), one Beijing day, with test-injected discrepancies.
/*
 * Layout (bill_type=ALL), lines ending in \r\n:
 *   交易时间,公众账号ID,...,费率备注                 (27 column names)
 *   `2026-11-29 09:00:05,`wx...,`1900000001,...      one line per payment (交易状态 SUCCESS) paid that day, and one per
 *                                                   refund (交易状态 REFUND) that succeeded that day
 *   总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额
 *   `3,`30.00,`10.00,`0.00,`0.12,`30.00,`10.00
 * Simplifications: the fee is 0.6% rounded to the fen on payments and 0 on refunds; commas in free text become '，'.
 */
import { z } from 'zod';

/** What a test may ask the bill to get wrong (POST /__control/billTamper). */
export interface BillTamperInput {
  outTradeNo: string;
  amountFen?: number;
  drop?: boolean;
  /** A payment WeChat has and the hospital does not (长款): a paid order is created, without a notification. */
  addTrade?: { amountFen: number; at?: Date; payerOpenid?: string; description?: string };
}

export const zTamper = z
  .object({
    outTradeNo: z.string().regex(/^[0-9A-Za-z_\-|*]{6,32}$/),
    amountFen: z.number().int().nonnegative().optional(),
    drop: z.boolean().optional(),
    addTrade: z
      .object({
        amountFen: z.number().int().positive(),
        at: z.union([z.date(), z.iso.datetime({ offset: true })]).optional(),
        payerOpenid: z.string().min(1).optional(),
        description: z.string().min(1).optional(),
      })
      .optional(),
  })
  .strict();

export const TRADE_BILL_COLUMNS = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态',
  '付款银行', '货币种类', '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态',
  '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注',
] as const;

export const TRADE_BILL_SUMMARY_COLUMNS = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'] as const;

export interface BillPayment {
  paidAt: Date;
  appid: string;
  mchid: string;
  transactionId: string;
  outTradeNo: string;
  payerOpenid: string;
  amountFen: number;
  description: string;
  attach?: string;
}

export interface BillRefund extends Omit<BillPayment, 'paidAt' | 'amountFen'> {
  refundedAt: Date;
  refundId: string;
  outRefundNo: string;
  refundFen: number;
}

/** What a test asked the bill to get wrong for one trade. */
export interface BillTamper {
  /** The amount the bill reports for the payment instead of the real one. */
  amountFen?: number;
  /** Leave the trade (payment and refunds) out of the bill. */
  drop?: boolean;
}

const FEE_RATE_PER_MILLE = 6;

const beijing = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** `YYYY-MM-DD HH:mm:ss` in Beijing (sv-SE formats dates the ISO way). */
export function beijingDateTime(instant: Date): string {
  return beijing.format(instant);
}

export function beijingDay(instant: Date): string {
  return beijingDateTime(instant).slice(0, 10);
}

/** Fen to yuan with two decimals, by integer arithmetic (no float rounding). */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}

function feeFen(amountFen: number): number {
  return Math.round((amountFen * FEE_RATE_PER_MILLE) / 1000);
}

function text(value: string | undefined): string {
  return (value ?? '').replace(/,/g, '，').replace(/[\r\n`]/g, ' ');
}

function line(fields: (string | number)[]): string {
  return fields.map((field) => '`' + String(field)).join(',');
}

export function buildTradeBill(input: {
  day: string;
  billType: 'ALL' | 'SUCCESS' | 'REFUND';
  payments: BillPayment[];
  refunds: BillRefund[];
  tampers: Map<string, BillTamper>;
}): { csv: string; rows: number } {
  const rows: { at: Date; fields: (string | number)[]; settled: number; fee: number; refund: number; order: number }[] = [];
  const include = (outTradeNo: string) => !input.tampers.get(outTradeNo)?.drop;
  if (input.billType !== 'REFUND') {
    for (const payment of input.payments) {
      if (beijingDay(payment.paidAt) !== input.day || !include(payment.outTradeNo)) continue;
      const amount = input.tampers.get(payment.outTradeNo)?.amountFen ?? payment.amountFen;
      const fee = feeFen(amount);
      rows.push({
        at: payment.paidAt,
        settled: amount,
        fee,
        refund: 0,
        order: amount,
        fields: [
          beijingDateTime(payment.paidAt), payment.appid, payment.mchid, '0', '', payment.transactionId, payment.outTradeNo,
          payment.payerOpenid, 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', yuan(amount), '0.00', '0', '0', '0.00', '0.00', '', '',
          text(payment.description), text(payment.attach), yuan(fee), '0.60%', yuan(amount), '0.00', '',
        ],
      });
    }
  }
  if (input.billType !== 'SUCCESS') {
    for (const refund of input.refunds) {
      if (beijingDay(refund.refundedAt) !== input.day || !include(refund.outTradeNo)) continue;
      rows.push({
        at: refund.refundedAt,
        settled: 0,
        fee: 0,
        refund: refund.refundFen,
        order: 0,
        fields: [
          beijingDateTime(refund.refundedAt), refund.appid, refund.mchid, '0', '', refund.transactionId, refund.outTradeNo,
          refund.payerOpenid, 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', refund.refundId, refund.outRefundNo,
          yuan(refund.refundFen), '0.00', 'ORIGINAL', 'SUCCESS', text(refund.description), text(refund.attach), '0.00', '0.60%',
          '0.00', yuan(refund.refundFen), '',
        ],
      });
    }
  }
  rows.sort((a, b) => a.at.getTime() - b.at.getTime());
  const sum = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + pick(row), 0);
  const lines = [
    TRADE_BILL_COLUMNS.join(','),
    ...rows.map((row) => line(row.fields)),
    TRADE_BILL_SUMMARY_COLUMNS.join(','),
    line([rows.length, yuan(sum((row) => row.settled)), yuan(sum((row) => row.refund)), '0.00', yuan(sum((row) => row.fee)), yuan(sum((row) => row.order)), yuan(sum((row) => row.refund))]),
  ];
  return { csv: lines.join('\r\n') + '\r\n', rows: rows.length };
}
