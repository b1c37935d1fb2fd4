// Paying on both platforms: WeChat's cashier on weapp, the sandbox cashier page on H5; and the wait
// for WeChat Pay's notification to book the appointment.
import Taro from '@tarojs/taro'
import { ApiError, callDevRoute, callFunction } from '../../../src/services/api'
import { sandboxPay, startPayment, waitForPayment } from '../../../src/services/payment'

jest.mock('@tarojs/taro', () => ({ __esModule: true, default: { navigateTo: jest.fn(), requestPayment: jest.fn() } }))
jest.mock('../../../src/services/api', () => {
  const actual = jest.requireActual('../../../src/services/api')
  return { ...actual, callFunction: jest.fn(), callDevRoute: jest.fn() }
})

const taro = Taro as unknown as { navigateTo: jest.Mock; requestPayment: jest.Mock }
const call = callFunction as jest.Mock
const devRoute = callDevRoute as jest.Mock

const payParams = { timeStamp: '1700000000', nonceStr: 'abc', package: 'prepay_id=wx123', signType: 'RSA', paySign: 'c2ln' }
const order = { outTradeNo: 'YY0123', amountFen: 2500, expiresAt: '2025-12-01T01:10:00.000Z', payParams }

/** wx.requestPayment as WeChat calls back (Taro 4 passes it through on weapp without a promise). */
const cashier = (answer: { errMsg: string }) => (options: { success?: (res: object) => void; fail?: (res: object) => void }) => {
  setTimeout(() => (answer.errMsg.endsWith(':ok') ? options.success?.(answer) : options.fail?.(answer)), 0)
}

const originalTaroEnv = process.env.TARO_ENV
afterAll(() => {
  if (originalTaroEnv === undefined) delete (process.env as Record<string, string | undefined>).TARO_ENV
  else process.env.TARO_ENV = originalTaroEnv
})
beforeEach(() => {
  jest.resetAllMocks()
})

describe('startPayment on weapp', () => {
  beforeEach(() => {
    process.env.TARO_ENV = 'weapp'
    call.mockResolvedValue(order)
  })

  it('prepays, then opens WeChat cashier with the signed parameters', async () => {
    taro.requestPayment.mockImplementation(cashier({ errMsg: 'requestPayment:ok' }))
    await expect(startPayment('apt1')).resolves.toBe('paid')
    expect(call).toHaveBeenCalledWith('payment', 'prepay', { appointmentId: 'apt1' })
    expect(taro.requestPayment).toHaveBeenCalledWith(expect.objectContaining(payParams))
    expect(taro.navigateTo).not.toHaveBeenCalled()
  })

  it('answers cancelled when the payer closes the cashier', async () => {
    taro.requestPayment.mockImplementation(cashier({ errMsg: 'requestPayment:fail cancel' }))
    await expect(startPayment('apt1')).resolves.toBe('cancelled')
  })

  it('turns any other failure into a sentence that says the place is still held', async () => {
    taro.requestPayment.mockImplementation(cashier({ errMsg: 'requestPayment:fail system error' }))
    const error = await startPayment('apt1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect((error as ApiError).message).toContain('号会为您保留到支付截止时间')
  })

  it('passes a prepay refusal on as it is, without opening the cashier', async () => {
    call.mockRejectedValue(new ApiError('ALREADY_PAID', '这个预约已经支付过了，不用重复支付。'))
    await expect(startPayment('apt1')).rejects.toMatchObject({ code: 'ALREADY_PAID' })
    expect(taro.requestPayment).not.toHaveBeenCalled()
  })
})

describe('startPayment on h5', () => {
  beforeEach(() => {
    process.env.TARO_ENV = 'h5'
    call.mockResolvedValue(order)
  })

  it('opens the sandbox cashier with the appointment, the order and the amount', async () => {
    await expect(startPayment('apt1')).resolves.toBe('cashier')
    expect(taro.navigateTo).toHaveBeenCalledWith({ url: '/pages/booking/cashier/index?id=apt1&no=YY0123&fen=2500' })
    expect(taro.requestPayment).not.toHaveBeenCalled()
  })

  it('pays through the local host route', async () => {
    devRoute.mockResolvedValue({ tradeState: 'SUCCESS' })
    await expect(sandboxPay('YY0123')).resolves.toEqual({ tradeState: 'SUCCESS' })
    expect(devRoute).toHaveBeenCalledWith('/dev/wxpay/pay', { outTradeNo: 'YY0123' })
  })
})

describe('waitForPayment', () => {
  const view = (status: string) => ({ appointment: { id: 'apt1', status } })

  it('reads the appointment until it is booked', async () => {
    call.mockResolvedValueOnce(view('pending_payment')).mockResolvedValueOnce(view('pending_payment')).mockResolvedValueOnce(view('booked'))
    await expect(waitForPayment('apt1', { intervalMs: 1, timeoutMs: 1000 })).resolves.toMatchObject({ status: 'booked' })
    expect(call).toHaveBeenCalledTimes(3)
    expect(call).toHaveBeenCalledWith('booking', 'get', { appointmentId: 'apt1' })
  })

  it('also stops when a late payment left it expired', async () => {
    call.mockResolvedValue(view('expired'))
    await expect(waitForPayment('apt1', { intervalMs: 1, timeoutMs: 1000 })).resolves.toMatchObject({ status: 'expired' })
  })

  it('rides over a dropped answer', async () => {
    call.mockRejectedValueOnce(new ApiError('NETWORK_ERROR', '网络不太稳定，请稍后再试')).mockResolvedValueOnce(view('booked'))
    await expect(waitForPayment('apt1', { intervalMs: 1, timeoutMs: 1000 })).resolves.toMatchObject({ status: 'booked' })
  })

  it('stops on a refusal', async () => {
    call.mockRejectedValue(new ApiError('NOT_FOUND', '没有找到这个预约'))
    await expect(waitForPayment('apt1', { intervalMs: 1, timeoutMs: 1000 })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('gives up calmly with null when the notification is slow', async () => {
    call.mockResolvedValue(view('pending_payment'))
    await expect(waitForPayment('apt1', { intervalMs: 5, timeoutMs: 30 })).resolves.toBeNull()
    expect(call.mock.calls.length).toBeGreaterThanOrEqual(2)
    expect(call.mock.calls.length).toBeLessThanOrEqual(8)
  })
})
