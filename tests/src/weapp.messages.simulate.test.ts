/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// The compiled weapp confirm sheet in miniprogram-simulate on the real functions: the 确认预约 tap opens
// WeChat's subscription prompt with at most 3 template ids before the booking call, books whatever the
// person answers, and reports the answer to the message function.
import { main as messageMain } from '../../cloudfunctions/message'
import { main as userMain } from '../../cloudfunctions/user'
import { slotIdsOn } from '../support/booking'
import { bindAs, PEOPLE } from '../support/patients'
import { callAs, dataOf } from '../support/runtime'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { APP_USER, startWeappBackend, type WeappBackend } from './support/weappBackend'
import { seedDoctors } from './support/weappCatalog'

let answer: ((tmplIds: string[]) => Record<string, string>) | undefined

describe('weapp subscription prompt at the confirm tap', () => {
  let backend: WeappBackend
  let weapp: WeappApp
  let doctorId: string
  let patientId: string
  let bookingTemplates: string[]

  beforeAll(async () => {
    backend = await startWeappBackend()
    ;[doctorId] = await seedDoctors(backend.runtime, [{ name: '王芳', title: '住院医师', feeClass: '普通', feeFen: 0 }])
    dataOf(await callAs(userMain, APP_USER, { action: 'login' }))
    patientId = (await bindAs(APP_USER, PEOPLE.grandmother)).id
    const { prompts } = dataOf<{ prompts: { tap: string; kind: string; templateIds: string[] }[] }>(await callAs(messageMain, APP_USER, { action: 'settings' }))
    bookingTemplates = prompts.find((prompt) => prompt.tap === 'booking' && prompt.kind === 'once')!.templateIds
    expect(bookingTemplates.length).toBeGreaterThan(0)
    weapp = loadWeappApp({ cloud: backend.cloud, subscribe: (tmplIds) => answer?.(tmplIds) ?? { errMsg: 'requestSubscribeMessage:fail cancel' } })
  }, 120_000)
  afterAll(() => backend.close())

  const calls = (name: string, action: string) => weapp.wx.cloudCalls.filter((call) => call.name === name && call.data.action === action)

  /** Opens the doctor page on a slot `offset` days ahead (as an alternative's link does) and taps 确认预约. */
  async function tapConfirm(offset: number) {
    const [slotId] = await slotIdsOn(doctorId, offset)
    const page = weapp.renderPage('pages/catalog/doctor/index', { id: doctorId, slotId })
    const reopen = await waitFor(() => page.querySelector('#booking-confirm') || page.querySelector('#slot-book'), 20_000)
    if (!page.querySelector('#booking-confirm')) reopen.dispatchEvent('tap')
    // The sheet reads the prompts when it opens, so the tap itself can ask at once.
    await waitFor(() => calls('message', 'settings').length > 0 && page.querySelector('#booking-confirm'), 20_000)
    await waitFor(() => (page.dom.textContent ?? '').includes('张秀英'), 20_000)
    const holdsBefore = calls('booking', 'hold').length
    const promptsBefore = weapp.wx.subscribePrompts.length
    page.querySelector('#booking-confirm')!.dispatchEvent('tap')
    await waitFor(() => calls('booking', 'hold').length > holdsBefore, 20_000)
    return { prompt: weapp.wx.subscribePrompts[promptsBefore], hold: calls('booking', 'hold')[holdsBefore], slotId }
  }

  /** Her booked appointments, as 预约记录 lists them. */
  const booked = async () => {
    const { appointments } = dataOf<{ appointments: { id: string; status: string; patient: { id: string } }[] }>(
      await backend.cloud({ name: 'booking', data: { action: 'list' } }) as never,
    )
    return appointments.filter((appointment) => appointment.patient.id === patientId && appointment.status === 'booked').length
  }

  it('asks for the booking templates (3 at most) before booking, and reports what the person chose', async () => {
    answer = (tmplIds) => ({ errMsg: 'requestSubscribeMessage:ok', ...Object.fromEntries(tmplIds.map((id, i) => [id, i % 2 ? 'reject' : 'accept'])) })
    const { prompt, hold } = await tapConfirm(1)
    expect(prompt.tmplIds).toEqual(bookingTemplates)
    expect(prompt.tmplIds.length).toBeLessThanOrEqual(3)
    expect(prompt.cloudCallsBefore).toBeLessThanOrEqual(weapp.wx.cloudCalls.indexOf(hold))
    await waitFor(() => weapp.wx.navigations.some((url) => url.startsWith('/pages/booking/result/index?id=')), 20_000)
    expect(await booked()).toBe(1)
    const consent = await waitFor(() => calls('message', 'consent')[0], 20_000)
    expect(consent.data.results).toEqual(bookingTemplates.map((templateId, i) => ({ templateId, result: i % 2 ? 'reject' : 'accept' })))
  }, 60_000)

  it('books even when the prompt fails, and reports nothing', async () => {
    answer = undefined
    const consentsBefore = calls('message', 'consent').length
    const navigationsBefore = weapp.wx.navigations.length
    const { prompt, hold, slotId } = await tapConfirm(2)
    expect(prompt.tmplIds).toEqual(bookingTemplates)
    expect(hold.data).toMatchObject({ slotId, patientId })
    await waitFor(() => weapp.wx.navigations.slice(navigationsBefore).some((url) => url.startsWith('/pages/booking/result/index?id=')), 20_000)
    expect(await booked()).toBe(2)
    expect(calls('message', 'consent').length).toBe(consentsBefore)
  }, 60_000)
})
