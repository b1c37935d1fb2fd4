/**
 * @jest-environment jsdom
 */
// The compiled weapp result page in miniprogram-simulate: 去支付 prepays, opens WeChat's cashier
// with the signed parameters, then reads the appointment until the notification has booked it; a
// closed cashier leaves the hold with a gentle note.
import { bookingFunction, demoAppointments } from './support/bookingFunctionStub'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { userFunction } from './support/userFunctionStub'
import type { CloudCall } from './support/wxStubs'

const payParams = { timeStamp: '1700000000', nonceStr: 'n0nce', package: 'prepay_id=wx0123', signType: 'RSA', paySign: 'c2lnbmVk' }

interface PayOptions {
  success?: (answer: object) => void
  fail?: (answer: object) => void
  complete?: (answer: object) => void
}

describe('weapp payment in miniprogram-simulate', () => {
  let weapp: WeappApp
  /** One result page for both steps: first the cashier is closed, then the payer pays. */
  let page: ReturnType<WeappApp['renderPage']>
  const appointments = demoAppointments()
  const pending = appointments.find((entry) => entry.id === 'apt-pending')!
  let paid = false
  let cashierAnswer: 'pay' | 'cancel' = 'pay'
  const cashierCalls: object[] = []

  const backend = (call: CloudCall) => {
    if (call.name === 'payment' && call.data.action === 'prepay') {
      return { ok: true, data: { outTradeNo: 'YYapt-pending', amountFen: pending.feeFen, expiresAt: pending.holdExpiresAt, payParams } }
    }
    if (call.name === 'booking' && call.data.action === 'get' && call.data.appointmentId === 'apt-pending' && paid) {
      return { ok: true, data: { appointment: { ...pending, status: 'booked', statusLabel: '已预约', holdExpiresAt: null, payment: { paid: true, refund: null }, message: '已为您预约 龚医生 12月2日 09:00-09:30，请提前 10 分钟到门诊楼 3 楼 B 区候诊。' } } }
    }
    return call.name === 'booking' ? bookingFunction(call, appointments) : userFunction(call)
  }

  beforeAll(() => {
    const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx
    // WeChat's cashier: the payer pays (the notification then books the appointment) or closes it.
    wx.requestPayment = (options: PayOptions & object) => {
      cashierCalls.push(options)
      const answer = cashierAnswer === 'pay' ? { errMsg: 'requestPayment:ok' } : { errMsg: 'requestPayment:fail cancel' }
      setTimeout(() => {
        if (cashierAnswer === 'pay') {
          paid = true
          options.success?.(answer)
        } else options.fail?.(answer)
        options.complete?.(answer)
      }, 10)
    }
    weapp = loadWeappApp({ cloud: backend })
  }, 120_000)

  it('leaves the hold as it was when the payer closes the cashier', async () => {
    cashierAnswer = 'cancel'
    page = weapp.renderPage('pages/booking/result/index', { id: 'apt-pending' })
    await waitFor(() => (page.dom.textContent ?? '').includes('去支付 ¥80.00'))
    page.querySelector('.pay-action-button')!.dispatchEvent('tap')
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('您还没有支付') && content
    })
    expect(text).toMatch(/号仍为您保留到 \d\d:\d\d，准备好了再点“去支付”就行。/)
    expect(text).toContain('我已支付，刷新结果')
    expect(text).toContain('号已为您保留，待支付')
    expect(cashierCalls).toHaveLength(1)
    expect(paid).toBe(false)
  })

  it('then pays through WeChat cashier and shows the booked slip once the notification has landed', async () => {
    cashierAnswer = 'pay'
    page.querySelector('.pay-action-button')!.dispatchEvent('tap')
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('预约成功') && content
    }, 8000)
    expect(text).toContain('已为您预约 龚医生 12月2日 09:00-09:30')
    expect(text).toContain('第 4 号')
    expect(text).not.toContain('去支付')
    expect(text).not.toContain('您还没有支付')
    expect(cashierCalls.at(-1)).toMatchObject(payParams)
    expect(weapp.wx.cloudCalls).toContainEqual({ name: 'payment', data: { action: 'prepay', appointmentId: 'apt-pending' } })
  })
})
