// The words and numbers of paying and of refunds, as the pay button, the cashier and the refund box say them.
import type { Refund } from '../services/booking'

/** 2500 -> "¥25.00": money is integer fen, so the yuan are cut with integer arithmetic, never floats. */
export function formatYuan(fen: number): string {
  const whole = Math.floor(Math.abs(fen) / 100)
  const cents = String(Math.abs(fen) % 100).padStart(2, '0')
  return `${fen < 0 ? '-' : ''}¥${whole}.${cents}`
}

/** "去支付 ¥25.00" */
export const payButtonText = (feeFen: number) => `去支付 ${formatYuan(feeFen)}`

/** The refund's headline: "已原路退款 ¥25.00" once the money is back, otherwise the server's own label. */
export function refundHeadline(refund: Refund): string {
  return refund.status === 'succeeded' ? `${refund.label} ${formatYuan(refund.amountFen)}` : refund.label
}

/** Said before a paid booking is cancelled, so nobody is surprised by when the money comes back (Y4). */
export const REFUND_RULE = '当天预约当天取消（1:00-23:00）立即原路退款，其余情况在次日对账后退回。'

/**
 * How `wx.requestPayment` failed: the payer closed the cashier (`requestPayment:fail cancel`), or
 * something else went wrong.
 * @see https://developers.weixin.qq.com/miniprogram/dev/api/payment/wx.requestPayment.html
 */
export function isPaymentCancel(error: unknown): boolean {
  const errMsg = typeof error === 'object' && error !== null ? (error as { errMsg?: unknown }).errMsg : undefined
  return typeof errMsg === 'string' && /^requestPayment:fail[ :]cancel/.test(errMsg)
}

/** The merchant's line for an appointment, as the payment function describes the order: 挂号费-皮肤科-王芳 */
export const orderDescription = (departmentName: string, doctorName: string) => `挂号费-${departmentName}-${doctorName}`
