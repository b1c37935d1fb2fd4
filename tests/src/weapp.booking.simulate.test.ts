/**
 * @jest-environment jsdom
 */
// The compiled weapp booking pages in miniprogram-simulate: 预约记录 with a ticking countdown on the
// unpaid hold, and the result page's slip.
import { bookingFunction, demoAppointments } from './support/bookingFunctionStub'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { userFunction } from './support/userFunctionStub'
import type { CloudCall } from './support/wxStubs'

const appointments = demoAppointments()
const backend = (call: CloudCall) => (call.name === 'booking' ? bookingFunction(call, appointments) : userFunction(call))

describe('weapp booking pages in miniprogram-simulate', () => {
  let weapp: WeappApp

  beforeAll(() => {
    weapp = loadWeappApp({ cloud: backend })
  }, 120_000)

  it('lists 进行中 with the unpaid hold first and its countdown ticking', async () => {
    const page = weapp.renderPage('pages/appointments/index/index')
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('待支付') && content
    })
    expect(text).toContain('进行中（2）')
    expect(text).toContain('历史（0）')
    expect(text.indexOf('龚秀英')).toBeLessThan(text.indexOf('王芳'))
    expect(text).toContain('就诊人：张秀英 · 第 3 号')
    const clock = () => /还剩 (\d\d:\d\d)/.exec(page.dom.textContent ?? '')?.[1]
    const first = await waitFor(() => clock())
    expect(first).toMatch(/^(09|10):\d\d$/)
    await waitFor(() => clock() !== first && clock(), 2500)
    expect(weapp.wx.cloudCalls.some((call) => call.name === 'booking' && call.data.action === 'list')).toBe(true)
  })

  it('shows the answer and the slip on the result page', async () => {
    const page = weapp.renderPage('pages/booking/result/index', { id: 'apt-booked' })
    const text = await waitFor(() => {
      const content = page.dom.textContent ?? ''
      return content.includes('就诊凭条') && content
    })
    expect(text).toContain('预约成功')
    expect(text).toContain('已为您预约 王医生 12月1日 09:00-09:30，请提前 10 分钟到门诊楼 3 楼 B 区候诊。')
    expect(text).toContain('第 3 号')
    expect(text).toContain('08:50 前到达候诊')
    expect(text).toContain('费用免费')
    expect(weapp.wx.cloudCalls.at(-1)).toEqual({ name: 'booking', data: { action: 'get', appointmentId: 'apt-booked' } })
  })
})
