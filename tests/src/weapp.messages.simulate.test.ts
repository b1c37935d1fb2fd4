/**
 * @jest-environment jsdom
 */
// The compiled weapp confirm sheet in miniprogram-simulate: the 确认预约 tap opens WeChat's subscription
// prompt with at most 3 template ids before the booking call, books whatever the person answers, and
// reports the answer to the message function.
import { catalogFunction } from './support/catalogFunctionStub'
import { demoAppointments } from './support/bookingFunctionStub'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { userFunction } from './support/userFunctionStub'
import type { CloudCall } from './support/wxStubs'

const BOOKING_TEMPLATES = ['tpl-booking-result', 'tpl-visit-reminder', 'tpl-change-notice']
const prompts = [
  { tap: 'booking', kind: 'once', templateIds: BOOKING_TEMPLATES },
  { tap: 'payment', kind: 'once', templateIds: ['tpl-refund'] },
]
const card = { id: 'p1', name: '张秀英', idType: 'id_card', idNumberMasked: '110***********1234', phoneMasked: '138****0000', relation: 'self', role: 'owner', isDefault: true }
const booked = demoAppointments()[1]

function backend(call: CloudCall) {
  const { action } = call.data
  if (call.name === 'catalog') return catalogFunction(call)
  if (call.name === 'patient' && action === 'list') return { ok: true, data: { patients: [card], limit: 10 } }
  if (call.name === 'booking' && action === 'hold') return { ok: true, data: { outcome: 'booked', appointment: booked, message: booked.message } }
  if (call.name === 'booking' && action === 'get') return { ok: true, data: { appointment: booked } }
  if (call.name === 'message') return { ok: true, data: { reminders: true, prompts, templates: [] } }
  return userFunction(call)
}

let answer: ((tmplIds: string[]) => Record<string, string>) | undefined

describe('weapp subscription prompt at the confirm tap', () => {
  let weapp: WeappApp
  let page: ReturnType<WeappApp['renderPage']>

  beforeAll(() => {
    weapp = loadWeappApp({ cloud: backend, subscribe: (tmplIds) => answer?.(tmplIds) ?? { errMsg: 'requestSubscribeMessage:fail cancel' } })
    // Opened on one slot, as a "full" answer's alternative opens it; the simulator renders a page once.
    page = weapp.renderPage('pages/catalog/doctor/index', { id: 'doc1', slotId: 'a1' })
  }, 120_000)

  const calls = (name: string, action: string) => weapp.wx.cloudCalls.filter((call) => call.name === name && call.data.action === action)

  async function tapConfirm() {
    // After a booking the slot stays chosen: 预约这个时段 opens the sheet again.
    const reopen = await waitFor(() => page.querySelector('#booking-confirm') || page.querySelector('#slot-book'), 20_000)
    if (!page.querySelector('#booking-confirm')) reopen.dispatchEvent('tap')
    // The sheet reads the prompts when it opens, so the tap itself can ask at once.
    await waitFor(() => calls('message', 'settings').length > 0 && page.querySelector('#booking-confirm'), 20_000)
    await waitFor(() => (page.dom.textContent ?? '').includes('张秀英'), 20_000)
    const holdsBefore = calls('booking', 'hold').length
    const promptsBefore = weapp.wx.subscribePrompts.length
    page.querySelector('#booking-confirm')!.dispatchEvent('tap')
    await waitFor(() => calls('booking', 'hold').length > holdsBefore, 20_000)
    return { prompt: weapp.wx.subscribePrompts[promptsBefore], holdsBefore }
  }

  it('asks for the booking templates (3 at most) before booking, and reports what the person chose', async () => {
    answer = (tmplIds) => ({ errMsg: 'requestSubscribeMessage:ok', [tmplIds[0]]: 'accept', [tmplIds[1]]: 'reject', [tmplIds[2]]: 'accept' })
    const { prompt, holdsBefore } = await tapConfirm()
    expect(prompt.tmplIds).toEqual(BOOKING_TEMPLATES)
    expect(prompt.tmplIds.length).toBeLessThanOrEqual(3)
    const holdIndex = weapp.wx.cloudCalls.indexOf(calls('booking', 'hold')[holdsBefore])
    expect(prompt.cloudCallsBefore).toBeLessThanOrEqual(holdIndex)
    await waitFor(() => weapp.wx.navigations.includes(`/pages/booking/result/index?id=${booked.id}`), 20_000)
    const consent = await waitFor(() => calls('message', 'consent')[0], 20_000)
    expect(consent.data.results).toEqual([
      { templateId: 'tpl-booking-result', result: 'accept' },
      { templateId: 'tpl-visit-reminder', result: 'reject' },
      { templateId: 'tpl-change-notice', result: 'accept' },
    ])
  }, 60_000)

  it('books even when the prompt fails, and reports nothing', async () => {
    answer = undefined
    const consentsBefore = calls('message', 'consent').length
    const { prompt, holdsBefore } = await tapConfirm()
    expect(prompt.tmplIds).toEqual(BOOKING_TEMPLATES)
    expect(calls('booking', 'hold')[holdsBefore].data).toMatchObject({ slotId: 'a1', patientId: 'p1' })
    expect(calls('message', 'consent').length).toBe(consentsBefore)
    await waitFor(() => weapp.wx.navigations.filter((url) => url.endsWith(`?id=${booked.id}`)).length === 2, 20_000)
  }, 60_000)
})
