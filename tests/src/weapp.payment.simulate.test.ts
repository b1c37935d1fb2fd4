/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// The compiled weapp result page in miniprogram-simulate on the real booking and payment functions:
// 去支付 prepays at the WeChat Pay stand-in, opens WeChat's cashier with the signed parameters, then
// reads the appointment until the stand-in's notification has booked it; a closed cashier leaves the
// hold with a gentle note.
import { ObjectId } from 'mongodb'
import { main as userMain } from '../../cloudfunctions/user'
import { appointmentsOf } from '../../cloudfunctions/shared/booking/appointments'
import { paymentsOf } from '../../cloudfunctions/shared/payment/payments'
import { booking, newRequestId, slotIdsOn } from '../support/booking'
import { bindAs, PEOPLE } from '../support/patients'
import { callAs, dataOf } from '../support/runtime'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { APP_USER, startWeappBackend, type WeappBackend } from './support/weappBackend'
import { monthDay, seedDoctors } from './support/weappCatalog'

interface PayOptions {
  package?: string
  success?: (answer: object) => void
  fail?: (answer: object) => void
  complete?: (answer: object) => void
}

describe('weapp payment in miniprogram-simulate', () => {
  let backend: WeappBackend
  let weapp: WeappApp
  /** One result page for both steps: first the cashier is closed, then the payer pays. */
  let page: ReturnType<WeappApp['renderPage']>
  let appointmentId: string
  let cashierAnswer: 'pay' | 'cancel' = 'pay'
  const cashierCalls: PayOptions[] = []
  const payment = async () => paymentsOf(backend.runtime.db).findOne({ appointmentId: new ObjectId(appointmentId) })
  const appointment = async () => appointmentsOf(backend.runtime.db).findOne({ _id: new ObjectId(appointmentId) })

  beforeAll(async () => {
    backend = await startWeappBackend({ pay: true })
    const [doctorId] = await seedDoctors(backend.runtime, [{ name: '龚秀英', title: '主任医师', feeClass: '专家', feeFen: 8000 }])
    dataOf(await callAs(userMain, APP_USER, { action: 'login' }))
    const patientId = (await bindAs(APP_USER, PEOPLE.grandmother)).id
    const [slotId] = await slotIdsOn(doctorId, 2)
    const held = dataOf<{ outcome: string; appointment: { id: string } }>(await booking(APP_USER, { action: 'hold', slotId, patientId, requestId: newRequestId() }))
    expect(held.outcome).toBe('pending_payment')
    appointmentId = held.appointment.id

    const wx = (globalThis as unknown as { wx: Record<string, unknown> }).wx
    // WeChat's cashier: the payer pays at WeChat Pay (which then notifies the payment function) or closes it.
    wx.requestPayment = (options: PayOptions) => {
      cashierCalls.push(options)
      setTimeout(async () => {
        if (cashierAnswer === 'pay') {
          backend.pay!.standIn.pay((await payment())!._id)
          options.success?.({ errMsg: 'requestPayment:ok' })
          options.complete?.({ errMsg: 'requestPayment:ok' })
        } else {
          options.fail?.({ errMsg: 'requestPayment:fail cancel' })
          options.complete?.({ errMsg: 'requestPayment:fail cancel' })
        }
      }, 10)
    }
    weapp = loadWeappApp({ cloud: backend.cloud })
  }, 120_000)
  afterAll(() => backend.close())

  it('leaves the hold as it was when the payer closes the cashier', async () => {
    cashierAnswer = 'cancel'
    page = weapp.renderPage('pages/booking/result/index', { id: appointmentId })
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
    expect(await payment()).toMatchObject({ status: 'created' })
    expect(await appointment()).toMatchObject({ status: 'pending_payment' })
  })

  it('then pays through WeChat cashier and shows the booked slip once the notification has landed', async () => {
    cashierAnswer = 'pay'
    page.querySelector('.pay-action-button')!.dispatchEvent('tap')
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('预约成功') && content
    }, 8000)
    expect(text).toContain(`已为您预约 龚医生 ${monthDay(2)} 08:00-08:30`)
    expect(text).toContain('第 1 号')
    expect(text).not.toContain('去支付')
    expect(text).not.toContain('您还没有支付')
    // The cashier opened the order the payment function placed at WeChat Pay, for the fee shown.
    const order = backend.pay!.standIn.order((await payment())!._id)
    expect(cashierCalls.at(-1)).toMatchObject({ package: `prepay_id=${order!.prepayId}`, signType: 'RSA' })
    expect(order).toMatchObject({ amountFen: 8000, tradeState: 'SUCCESS' })
    expect(weapp.wx.cloudCalls).toContainEqual({ name: 'payment', data: { action: 'prepay', appointmentId } })
  })
})
