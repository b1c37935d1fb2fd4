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
/** Cloud calls whose answer the page has received (the prompt needs the settings answer before the tap). */
const answered: { name: string; action: unknown }[] = []

describe('weapp subscription prompt at the confirm tap', () => {
  let backend: WeappBackend
  let weapp: WeappApp
  let doctorId: string
  let patientId: string
  let bookingTemplates: string[]
  let page: ReturnType<WeappApp['renderPage']>

  beforeAll(async () => {
    backend = await startWeappBackend()
    ;[doctorId] = await seedDoctors(backend.runtime, [{ name: '王芳', title: '住院医师', feeClass: '普通', feeFen: 0 }])
    dataOf(await callAs(userMain, APP_USER, { action: 'login' }))
    patientId = (await bindAs(APP_USER, PEOPLE.grandmother)).id
    const { prompts } = dataOf<{ prompts: { tap: string; kind: string; templateIds: string[] }[] }>(await callAs(messageMain, APP_USER, { action: 'settings' }))
    bookingTemplates = prompts.find((prompt) => prompt.tap === 'booking' && prompt.kind === 'once')!.templateIds
    expect(bookingTemplates.length).toBeGreaterThan(0)
    const cloud = async (call: Parameters<WeappBackend['cloud']>[0]) => {
      const result = await backend.cloud(call)
      answered.push({ name: call.name, action: call.data.action })
      return result
    }
    weapp = loadWeappApp({ cloud, subscribe: (tmplIds) => answer?.(tmplIds) ?? { errMsg: 'requestSubscribeMessage:fail cancel' } })
    // Opened on tomorrow's first slot, as an alternative's link opens it; the simulator renders a page once.
    const [slotId] = await slotIdsOn(doctorId, 1)
    page = weapp.renderPage('pages/catalog/doctor/index', { id: doctorId, slotId })
  }, 120_000)
  afterAll(() => backend.close())

  const calls = (name: string, action: string) => weapp.wx.cloudCalls.filter((call) => call.name === name && call.data.action === action)

  /** Taps 确认预约 on the sheet (opened again with 预约这个时段 after an earlier booking). */
  async function tapConfirm() {
    const reopen = await waitFor(() => page.querySelector('#booking-confirm') || page.querySelector('#slot-book'), 20_000)
    if (!page.querySelector('#booking-confirm')) reopen.dispatchEvent('tap')
    // The sheet reads the prompts when it opens, so the tap itself can ask at once.
    await waitFor(() => answered.some((call) => call.name === 'message' && call.action === 'settings') && page.querySelector('#booking-confirm'), 20_000)
    await waitFor(() => (page.dom.textContent ?? '').includes('张秀英'), 20_000)
    const holdsBefore = calls('booking', 'hold').length
    const promptsBefore = weapp.wx.subscribePrompts.length
    page.querySelector('#booking-confirm')!.dispatchEvent('tap')
    await waitFor(() => calls('booking', 'hold').length > holdsBefore, 20_000)
    return { prompt: weapp.wx.subscribePrompts[promptsBefore], hold: calls('booking', 'hold')[holdsBefore] }
  }

  /** The family's booked appointments, as 预约记录 lists them. */
  const booked = async () => {
    const { appointments } = dataOf<{ appointments: { id: string; status: string }[] }>((await backend.cloud({ name: 'booking', data: { action: 'list' } })) as never)
    return appointments.filter((appointment) => appointment.status === 'booked').length
  }

  // One booking per page (the simulator renders a page once): she refuses the first template and accepts the
  // rest, and the booking goes through regardless. A failing prompt is the same path (nothing to report).
  it('asks for the booking templates (3 at most) before booking, books even with a refusal, and reports what the person chose', async () => {
    answer = (tmplIds) => ({ errMsg: 'requestSubscribeMessage:ok', ...Object.fromEntries(tmplIds.map((id, i) => [id, i % 2 ? 'accept' : 'reject'])) })
    const { prompt, hold } = await tapConfirm()
    expect(prompt.tmplIds).toEqual(bookingTemplates)
    expect(prompt.tmplIds.length).toBeLessThanOrEqual(3)
    expect(prompt.cloudCallsBefore).toBeLessThanOrEqual(weapp.wx.cloudCalls.indexOf(hold))
    await waitFor(() => weapp.wx.navigations.some((url) => url.startsWith('/pages/booking/result/index?id=')), 20_000)
    expect(await booked()).toBe(1)
    expect(hold.data).toMatchObject({ patientId })
    const consent = await waitFor(() => calls('message', 'consent')[0], 20_000)
    expect(consent.data.results).toEqual(bookingTemplates.map((templateId, i) => ({ templateId, result: i % 2 ? 'accept' : 'reject' })))
  }, 60_000)
})
