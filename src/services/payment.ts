// The `payment` function and the one place the platforms differ: WeChat's own cashier on weapp,
// the local host's sandbox cashier (模拟支付) on H5. After paying, the app reads the appointment
// until WeChat Pay's notification has reached the payment function (Y1).
import Taro from '@tarojs/taro'
import { cashierUrl } from '../routes'
import { ApiError, callDevRoute, callFunction, isApiError } from './api'
import { getAppointment, type Appointment } from './booking'
import { isPaymentCancel } from '../utils/paymentText'

/** What `wx.requestPayment` takes, signed by the payment function. */
export interface PayParams {
  timeStamp: string
  nonceStr: string
  package: string
  signType: 'RSA'
  paySign: string
}

export interface PrepayAnswer {
  outTradeNo: string
  amountFen: number
  /** The hold's end: the order closes with it. */
  expiresAt: string
  payParams: PayParams
}

const PAY_FAILED_MESSAGE = '支付没有完成，请稍后再点一次“去支付”；号会为您保留到支付截止时间。'

/** Creates (or, for the same appointment, reuses) the WeChat Pay order. Throws ApiError. */
export const prepay = (appointmentId: string) => callFunction<PrepayAnswer>('payment', 'prepay', { appointmentId })

/**
 * `paid`: WeChat's cashier says the payer paid (weapp); `cancelled`: the payer closed it (weapp);
 * `cashier`: the sandbox cashier page is open (H5), which confirms the payment itself.
 */
export type PaymentStart = 'paid' | 'cancelled' | 'cashier'

/**
 * `wx.requestPayment` through callbacks: Taro 4 does not promisify it on weapp (it is missing from
 * the plugin's needPromiseApis), and WeChat returns a promise only on newer base libraries.
 * @see https://developers.weixin.qq.com/miniprogram/dev/api/payment/wx.requestPayment.html
 */
function openWeChatCashier(params: PayParams): Promise<void> {
  return new Promise((resolve, reject) => {
    void Taro.requestPayment({ ...params, success: () => resolve(), fail: reject })
  })
}

/** Starts paying for a held appointment. Throws ApiError (prepay refused, or the payment failed). */
export async function startPayment(appointmentId: string): Promise<PaymentStart> {
  const order = await prepay(appointmentId)
  if (process.env.TARO_ENV === 'h5') {
    await Taro.navigateTo({ url: cashierUrl(appointmentId, order.outTradeNo, order.amountFen) })
    return 'cashier'
  }
  try {
    await openWeChatCashier(order.payParams)
    return 'paid'
  } catch (error) {
    if (isPaymentCancel(error)) return 'cancelled'
    throw new ApiError('PAY_FAILED', PAY_FAILED_MESSAGE)
  }
}

/** The sandbox cashier's 确认支付: the stand-in records the payment and sends the signed notification. H5 only. */
export const sandboxPay = (outTradeNo: string) => callDevRoute<{ tradeState: string }>('/dev/wxpay/pay', { outTradeNo })

/** The sandbox cashier's 取消支付: the payer walks away; the order stays open until the hold ends. H5 only. */
export const sandboxCancel = (outTradeNo: string) => callDevRoute<{ tradeState: string }>('/dev/wxpay/cancel', { outTradeNo })

export interface WaitOptions {
  intervalMs?: number
  timeoutMs?: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Reads the appointment every second until it is no longer waiting for payment (booked, or expired
 * with a refund if the money came too late). Null when the notification has not arrived in time:
 * the payment may still be on its way, so the page says so calmly instead of calling it failed.
 */
export async function waitForPayment(appointmentId: string, { intervalMs = 1000, timeoutMs = 20_000 }: WaitOptions = {}): Promise<Appointment | null> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      const appointment = await getAppointment(appointmentId)
      if (appointment.status !== 'pending_payment') return appointment
    } catch (error) {
      // A dropped answer is worth another try; a refusal (not found, logged out) is not.
      if (!isApiError(error) || error.code !== 'NETWORK_ERROR') throw error
    }
    if (Date.now() + intervalMs > deadline) return null
    await sleep(intervalMs)
  }
}
