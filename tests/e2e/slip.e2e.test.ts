/**
 * The slip as a ticket, and family faces, in a real browser on the H5 build served by the real local host:
 * 张秀英 books a free slot (through the API, as the booking journey covers the taps), sees the number and
 * shows her visit code with one tap on the slip, makes a share link; her son 王磊 opens it in his own phone
 * and sees a read-only slip with her masked name and a visit code; after she cancels, both slips say so and
 * neither shows a number, an arrival time or check-in text, and hers offers to book again. Her card's detail
 * names 王磊 as her child with his own masked card, never an id, and lists what he did.
 */
import { rmSync } from 'node:fs'
import type { Browser, Locator, Page } from 'playwright-core'
import { launchBrowser, openPhonePage, screenshot, shownOn } from '../support/browser'
import { bindOnHost, callHost } from '../support/hostApi'
import { PEOPLE } from '../support/patients'
import { tempDir } from '../support/runtime'
import { startHostProcess, type StartedHost } from '../support/startProcess'

jest.setTimeout(180_000)

interface DoctorSummary {
  id: string
  feeFen: number
  departmentId: string
  nextAvailable: { date: string } | null
}
interface DayView {
  date: string
  periods: { slots: { id: string; bookable: boolean }[] }[]
}

describe('the slip as a ticket and family faces in a real browser', () => {
  let host: StartedHost
  let browser: Browser
  let page: Page
  let son: Page
  const dataDir = tempDir()
  const consoleErrors: string[] = []
  const journey: { cardId?: string; appointmentId?: string; shareLink?: string } = {}

  beforeAll(async () => {
    host = await startHostProcess({ DATA_DIR: dataDir })
    browser = await launchBrowser()
    page = await openPhonePage(browser)
    son = await openPhonePage(browser)
    for (const each of [page, son]) each.on('console', (message) => message.type() === 'error' && consoleErrors.push(message.text()))
  })
  afterAll(async () => {
    await browser?.close()
    await host?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  const call = <T>(openid: string, fn: string, body: Record<string, unknown>) => callHost<T>(host.url, openid, fn, body)
  const shown = (on: Page, selector: string): Locator => shownOn(on, selector)
  const textOf = (on: Page, selector: string) => shown(on, selector).innerText()

  async function login(on: Page, name: RegExp): Promise<void> {
    await on.goto(host.url)
    await on.getByRole('button', { name }).click()
    await on.locator('#home-greeting').waitFor()
  }

  it('books a free slot for 张秀英 and her son joins her card by invite', async () => {
    await login(page, /^张秀英/)
    await login(son, /^王磊/)
    const bound = await bindOnHost(host.url, 'demo-patient', { ...PEOPLE.grandmother, relation: 'self' })
    if (!bound.ok) throw new Error(`bind: ${bound.code}`)
    journey.cardId = bound.data!.patient.id
    const sonBound = await bindOnHost(host.url, 'demo-family', { ...PEOPLE.son, relation: 'self' })
    if (!sonBound.ok) throw new Error(`bind: ${sonBound.code}`)
    const { code } = await call<{ code: string }>('demo-patient', 'patient', { action: 'invite', patientId: journey.cardId })
    await call('demo-family', 'patient', { action: 'accept', code, relation: 'parent' })

    const { departments } = await call<{ departments: { id: string; name: string }[] }>('demo-patient', 'catalog', { action: 'departments' })
    for (const department of departments.filter((entry) => !/儿|妇|产|男/.test(entry.name))) {
      const { doctors } = await call<{ doctors: DoctorSummary[] }>('demo-patient', 'catalog', { action: 'doctors', departmentId: department.id })
      const free = doctors.find((doctor) => doctor.feeFen === 0 && doctor.nextAvailable)
      if (!free) continue
      const { days } = await call<{ days: DayView[] }>('demo-patient', 'catalog', { action: 'schedules', doctorId: free.id })
      // Not today: it must still be cancellable online.
      const slot = days.slice(1).flatMap((day) => day.periods.flatMap((period) => period.slots)).find((entry) => entry.bookable)
      if (!slot) continue
      const answer = await call<{ outcome: string; appointment: { id: string } }>('demo-family', 'booking', {
        action: 'hold',
        slotId: slot.id,
        patientId: journey.cardId,
        requestId: `slip-e2e-${Date.now()}`,
      })
      expect(answer.outcome).toBe('booked')
      journey.appointmentId = answer.appointment.id
      break
    }
    expect(journey.appointmentId).toBeDefined()
  })

  it('shows the number on the slip and the visit code one tap away, and makes a share link', async () => {
    await page.goto(`${host.url}/#/pages/booking/result/index?id=${journey.appointmentId}`)
    await shown(page, '#slip-number').waitFor()
    expect(await textOf(page, '#booking-slip')).toMatch(/建议到达[\s\S]*前到达候诊/)
    await shown(page, '#slip-show-code').click()
    await shown(page, '#visit-code-qr').waitFor()
    expect(await textOf(page, '#visit-code-raw')).toMatch(/^YY1\./)
    await shown(page, '#slip-share').click()
    journey.shareLink = await textOf(page, '#slip-share-link')
    expect(journey.shareLink).toContain('#/pages/booking/shared/index?t=YS1.')
    await screenshot(page, 'slip-active')
  })

  it('opens the shared slip read-only on the son’s phone, with the name masked and a visit code for the window', async () => {
    await son.goto(journey.shareLink!)
    await shown(son, '#shared-slip[data-comes-in="yes"]').waitFor()
    const text = await textOf(son, '#shared-slip')
    expect(text).toContain('张*英')
    expect(text).not.toContain('张秀英')
    expect(text).toMatch(/第 \d+ 号/)
    expect(await textOf(son, '#shared-slip-code-raw')).toMatch(/^YY2\./)
    expect(await son.locator('#result-cancel, #slip-share').count()).toBe(0)
    await screenshot(son, 'slip-shared')
  })

  it('never tells anyone to come in once cancelled, and offers to book again', async () => {
    await call('demo-patient', 'booking', { action: 'cancel', appointmentId: journey.appointmentId })
    await son.goto('about:blank')
    await son.goto(journey.shareLink!)
    await shown(son, '#shared-slip[data-comes-in="no"]').waitFor()
    const shared = await textOf(son, '#shared-slip')
    expect(shared).toContain('已取消')
    expect(shared).not.toMatch(/第 \d+ 号|建议到达|候诊|签到/)
    expect(await son.locator('#shared-slip-code').count()).toBe(0)

    await page.goto('about:blank')
    await page.goto(`${host.url}/#/pages/booking/result/index?id=${journey.appointmentId}`)
    await shown(page, '#booking-slip[data-comes-in="no"]').waitFor()
    const own = await textOf(page, '#booking-slip')
    expect(own).not.toMatch(/第 \d+ 号|建议到达|签到/)
    await shown(page, '#slip-rebook').waitFor()
    expect(await page.locator('#slip-show-code:visible, #slip-share:visible').count()).toBe(0)
    await screenshot(page, 'slip-cancelled')
  })

  it('names the son by relation and his own masked card on the card detail, with what he did', async () => {
    await page.goto(`${host.url}/#/pages/patients/detail/index?id=${journey.cardId}`)
    await shown(page, '.family-manager-name').waitFor()
    expect(await textOf(page, '.family-manager-name')).toBe('张秀英的子女 王*')
    const activity = await textOf(page, '#family-activity')
    expect(activity).toMatch(/张秀英的子女 王\*预约了/)
    expect(activity).toMatch(/您取消了/)
    expect(activity).toContain('加入了管理这张就诊卡')
    await screenshot(page, 'card-family-faces')
  })

  it('logged no console errors', () => {
    expect(consoleErrors).toEqual([])
  })
})
