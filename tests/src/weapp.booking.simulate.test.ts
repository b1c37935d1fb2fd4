/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// The compiled weapp booking pages in miniprogram-simulate on the real booking function: 预约记录 with a
// ticking countdown on the unpaid hold, and the result page's slip.
import { main as userMain } from '../../cloudfunctions/user'
import { booking, newRequestId, slotIdsOn } from '../support/booking'
import { bindAs, PEOPLE } from '../support/patients'
import { callAs, dataOf } from '../support/runtime'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { APP_USER, startWeappBackend, type WeappBackend } from './support/weappBackend'
import { monthDay, seedDoctors } from './support/weappCatalog'

describe('weapp booking pages in miniprogram-simulate', () => {
  let backend: WeappBackend
  let weapp: WeappApp
  let bookedId: string

  beforeAll(async () => {
    backend = await startWeappBackend()
    const [priced, free] = await seedDoctors(backend.runtime, [
      { name: '龚秀英', title: '主任医师', feeClass: '专家', feeFen: 8000 },
      { name: '王芳', title: '住院医师', feeClass: '普通', feeFen: 0, preparation: '请空腹来抽血。\n带上以前的化验单。' },
    ])
    dataOf(await callAs(userMain, APP_USER, { action: 'login' }))
    const patientId = (await bindAs(APP_USER, PEOPLE.grandmother)).id
    const holdFirst = async (doctorId: string, offset: number) => {
      const [slotId] = await slotIdsOn(doctorId, offset)
      return dataOf<{ outcome: string; appointment: { id: string } }>(await booking(APP_USER, { action: 'hold', slotId, patientId, requestId: newRequestId() }))
    }
    // A free visit tomorrow is booked at once; the priced one the day after waits for payment.
    const booked = await holdFirst(free, 1)
    expect(booked.outcome).toBe('booked')
    bookedId = booked.appointment.id
    expect((await holdFirst(priced, 2)).outcome).toBe('pending_payment')
    weapp = loadWeappApp({ cloud: backend.cloud })
  }, 120_000)
  afterAll(() => backend.close())

  it('lists 进行中 with the unpaid hold first and its countdown ticking', async () => {
    const page = weapp.renderPage('pages/appointments/index/index')
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('待支付') && content
    })
    expect(text).toContain('进行中（2）')
    expect(text).toContain('历史（0）')
    expect(text.indexOf('龚秀英')).toBeLessThan(text.indexOf('王芳'))
    expect(text).toContain('就诊人：张秀英 · 第 1 号')
    const clock = () => /还剩 (\d\d:\d\d)/.exec(page.dom.textContent ?? '')?.[1]
    const first = await waitFor(() => clock())
    const [minutes, seconds] = first.split(':').map(Number)
    const holdSeconds = backend.runtime.config.paymentHoldMinutes * 60
    expect(minutes * 60 + seconds).toBeGreaterThan(holdSeconds - 60)
    expect(minutes * 60 + seconds).toBeLessThanOrEqual(holdSeconds)
    await waitFor(() => clock() !== first && clock(), 2500)
    expect(weapp.wx.cloudCalls.some((call) => call.name === 'booking' && call.data.action === 'list')).toBe(true)
  })

  it('shows the answer and the slip on the result page', async () => {
    const page = weapp.renderPage('pages/booking/result/index', { id: bookedId })
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('就诊凭条') && content
    })
    expect(text).toContain('预约成功')
    expect(text).toContain(`已为您预约 王医生 ${monthDay(1)} 08:00-08:30，请提前 10 分钟到门诊楼 3 楼 B 区候诊。`)
    expect(text).toContain('第 1 号')
    expect(text).toContain('07:50 前到达候诊')
    expect(text).toContain('费用免费')
    // The doctor's 就诊须知, whole, as the reminder's WeChat notice promises when it opens this page.
    expect(text).toContain('就诊须知请空腹来抽血。\n带上以前的化验单。')
    expect(weapp.wx.cloudCalls.at(-1)).toEqual({ name: 'booking', data: { action: 'get', appointmentId: bookedId } })
  })
})
