/**
 * Browser journey through booking (issue 5) on the H5 build served by the real local host: a first
 * card added from the confirm sheet; a free slot booked in three taps from the doctor page with its
 * slip; a priced slot held with a live payment countdown that runs out and gives the place back; a
 * booking cancelled from 预约记录 after the dialog states the rule. Who 妇科 sees is bookingEligibility.e2e.test.ts,
 * the sheet in elder mode bookingElder.e2e.test.ts.
 *
 * Every step opens its own page (a fresh browser context), logs in and sets up what it needs (a card,
 * a booking, a hold) through the host's API, so any one of them passes alone
 * (`npx jest tests/e2e/booking.e2e.test.ts -t '<name>'`).
 */
import type { Locator } from 'playwright-core'
import { logInOnDevLogin, passTimeOnBothClocks, screenshot, shownOn } from '../support/browser'
import { callHost, smsCodeFor } from '../support/hostApi'
import {
  bookableDoctorsOnHost,
  busyDays,
  gynaecologyDoctorOnHost,
  openCellOnFreeDay as openCellOnFreeDayOf,
  openDoctorPage,
  ownCardOnHost,
  slotRemainingOnHost,
  type DoctorSummary,
  type PricedDoctor,
} from '../support/journeySetup'
import { PEOPLE } from '../support/patients'
import { usePagePerStep } from '../support/journeyHost'

jest.setTimeout(120_000)

/** A short payment hold, so the journey can watch one run out. */
const HOLD_MINUTES = 1

interface Appointment {
  id: string
  status: string
  date: string
  holdExpiresAt: string | null
  patient: { id: string; name: string }
  doctor: { name: string }
  department: { name: string }
}
interface SlotView {
  id: string
  remaining: number
  bookable: boolean
}
interface DayView {
  date: string
  periods: { slots: SlotView[] }[]
}

describe('booking in a real browser', () => {
  const journey = usePagePerStep({ PAYMENT_HOLD_MINUTES: String(HOLD_MINUTES) })

  const shown = (selector: string): Locator => shownOn(journey.page, selector)

  /** Calls a function as the demo patient, as the app does; returns `data`. */
  const call = <T>(fn: string, body: Record<string, unknown>) => callHost<T>(journey.host.url, 'demo-patient', fn, body)


  const slotRemaining = (doctorId: string, slotId: string) => slotRemainingOnHost(journey.host.url, doctorId, slotId)

  /** The seeded doctors the steps book with: free ones, ¥25 ones (in other departments than the first free one) and 妇科's. */
  type Doctors = { free: PricedDoctor[]; priced: PricedDoctor[]; gynaecology: DoctorSummary | undefined }
  // Seeded data, looked up by whichever step asks first (no page or booking state in it).
  let doctorsFound: Promise<Doctors> | undefined
  const findDoctors = (): Promise<Doctors> => (doctorsFound ??= lookUpDoctors())
  async function lookUpDoctors(): Promise<Doctors> {
    const bookable = await bookableDoctorsOnHost(journey.host.url)
    const free = bookable.filter((doctor) => doctor.feeFen === 0)
    // Another department than the first free doctor's: one booking per patient, department and day.
    const priced = bookable.filter((doctor) => doctor.feeFen === 2500 && doctor.departmentId !== free[0]?.departmentId)
    return { free, priced, gynaecology: await gynaecologyDoctorOnHost(journey.host.url) }
  }

  const logIn = () => logInOnDevLogin(journey.page, journey.host.url, /^张秀英/)

  const ownCard = () => ownCardOnHost(journey.host.url)
  const openCellOnFreeDay = (doctor: DoctorSummary) => openCellOnFreeDayOf(journey.page, journey.host.url, doctor)

  /** Holds, through the API, a bookable place of one of `doctors` on a day (not today) she has nothing in its department. */
  async function holdThroughApi(doctors: PricedDoctor[], patientId: string, requestId: string): Promise<{ appointment: Appointment; slotId: string; doctor: PricedDoctor }> {
    const busy = await busyDays(journey.host.url)
    for (const doctor of doctors) {
      const { days } = await call<{ days: DayView[] }>('catalog', { action: 'schedules', doctorId: doctor.id })
      for (const day of days.slice(1)) {
        if (busy.has(`${doctor.departmentId} ${day.date}`)) continue
        const slot = day.periods.flatMap((period) => period.slots).find((entry) => entry.bookable && entry.remaining > 0)
        if (!slot) continue
        const { appointment } = await call<{ appointment: Appointment }>('booking', { action: 'hold', slotId: slot.id, patientId, requestId })
        return { appointment, slotId: slot.id, doctor }
      }
    }
    throw new Error('no bookable place left for this step')
  }

  const openDoctor = (doctorId: string) => openDoctorPage(journey.page, journey.host.url, doctorId)

  it('logs in as the demo patient and finds a free, a priced and a 妇科 doctor with places', async () => {
    await logIn()
    const { free, priced, gynaecology } = await findDoctors()
    expect(free[0]?.title).toBe('住院医师')
    expect(priced.length).toBeGreaterThan(0)
    expect(gynaecology).toBeDefined()
  })

  it('asks a first-time patient to add a card from the sheet, and comes back with it chosen', async () => {
    // A first-time patient: only in a fresh host (as in the whole file, where no step before adds a card).
    await logIn()
    await openDoctor((await findDoctors()).free[0].id)
    await shown('#schedule-grid .grid-cell-open').click()
    await shown('#slot-panel .slot-item-open').click()
    const sheet = shown('#booking-sheet')
    await sheet.getByText('您还没有添加就诊人').waitFor()
    await screenshot(journey.page, 'booking-sheet-no-card')

    await shown('#sheet-add-patient').click()
    // Her first card: the privacy notice comes first, once.
    await shown('#privacy-agree').click()
    const person = PEOPLE.grandmother
    await shown('#add-name input').fill(person.name)
    await shown('#add-id-number input').fill(person.idNumber)
    await shown('#add-phone input').fill(person.phone)
    await shown('#relation-self').click()
    await shown('#add-submit').click()
    // Every card is added once the code sent to the typed phone is entered (read on the host's /dev/sms).
    await shown('#prove-send').click()
    await shown('#prove-code input').fill(await smsCodeFor(journey.host.url, person.phone))
    await shown('#prove-submit').click()
    await shown('#prove-to-list').click()

    // Back on the doctor page, the sheet is still open and now offers the new card, chosen.
    const chosen = shown('#booking-sheet .sheet-patient-chosen')
    await chosen.getByText(person.name).waitFor()
    expect(await chosen.textContent()).toContain('已选')
    expect(await shown('#booking-confirm').isEnabled()).toBe(true)
    await shown('#booking-sheet-close').click()
    await shown('#slot-note').getByText('预约这个时段').waitFor()
  })

  it('books a free slot in three taps from the doctor page and shows the slip', async () => {
    const doctor = (await findDoctors()).free[0]
    await ownCard()
    await logIn()
    await openDoctor(doctor.id)
    const cell = await openCellOnFreeDay(doctor)
    let taps = 0
    const tap = async (locator: Locator) => {
      taps += 1
      await locator.click()
    }

    await tap(cell)
    const slot = shown('#slot-panel .slot-item-open')
    const window = /\d\d:\d\d-\d\d:\d\d/.exec((await slot.textContent()) ?? '')![0]
    const slotId = (await slot.getAttribute('data-slot-id'))!
    const before = await slotRemaining(doctor.id, slotId)
    await tap(slot)

    const sheet = shown('#booking-sheet')
    await sheet.locator('.sheet-patient-chosen').getByText('张秀英').waitFor()
    expect(await sheet.locator('[data-field="fee"]').textContent()).toBe('费用免费')
    expect(await sheet.locator('[data-field="doctor"]').textContent()).toContain(`${doctor.name} 住院医师 · ${doctor.departmentName}`)
    expect(await sheet.locator('[data-field="when"]').textContent()).toContain(window)
    await screenshot(journey.page, 'booking-sheet')
    await tap(shown('#booking-confirm'))

    const result = shown('#booking-result')
    await result.waitFor()
    expect(taps).toBeLessThanOrEqual(3)
    expect(await result.getAttribute('data-status')).toBe('booked')
    expect(await result.locator('.result-headline').textContent()).toBe('预约成功')
    const message = (await shown('#booking-message').textContent()) ?? ''
    expect(message).toMatch(new RegExp(`^已为您预约 ${doctor.name[0]}医生 \\d+月\\d+日 ${window}，请提前 10 分钟到.+候诊。$`))

    const slip = shown('#booking-slip')
    expect(await slip.locator('#slip-number').textContent()).toMatch(/^第 \d+ 号$/)
    expect(await slip.locator('[data-field="patient"]').textContent()).toBe('就诊人张秀英')
    expect(await slip.locator('[data-field="department"]').textContent()).toBe(`科室${doctor.departmentName}`)
    expect(await slip.locator('[data-field="doctor"]').textContent()).toBe(`医生${doctor.name} 住院医师`)
    expect(await slip.locator('[data-field="when"]').textContent()).toMatch(new RegExp(`^就诊时间\\d+月\\d+日 (上午|下午|夜间) ${window}$`))
    expect(await slip.locator('[data-field="location"]').textContent()).toMatch(/^就诊地点.+楼/)
    expect(await slip.locator('[data-field="arrive"]').textContent()).toMatch(/^建议到达\d\d:\d\d 前到达候诊$/)
    expect(await slip.locator('[data-field="fee"]').textContent()).toBe('费用免费')
    await screenshot(journey.page, 'booking-result-booked')

    // The place is really taken.
    expect(await slotRemaining(doctor.id, slotId)).toBe(before - 1)
  })

  it('holds a priced slot and shows the payment deadline with a countdown that ticks', async () => {
    const doctor = (await findDoctors()).priced[0]
    await ownCard()
    await logIn()
    await openDoctor(doctor.id)
    await (await openCellOnFreeDay(doctor)).click()
    await shown('#slot-panel .slot-item-open').click()
    expect(await shown('#booking-sheet [data-field="fee"]').textContent()).toBe('费用挂号费 25 元')
    await shown('#booking-sheet .sheet-patient-chosen').waitFor()
    await shown('#booking-confirm').click()

    const result = shown('#booking-result')
    await result.waitFor()
    expect(await result.getAttribute('data-status')).toBe('pending_payment')
    expect(await result.locator('.result-headline').textContent()).toBe('号已为您保留，待支付')
    const pendingId = new URL(journey.page.url().replace('/#/', '/')).searchParams.get('id')!
    const { appointment } = await call<{ appointment: Appointment }>('booking', { action: 'get', appointmentId: pendingId })
    const deadline = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(
      new Date(appointment.holdExpiresAt!),
    )
    const box = shown('#payment-box')
    await box.getByText(`请在 ${deadline} 前完成支付`).waitFor()
    // Paying is the payment journey's part (payment.e2e.test.ts); here the hold is left to run out.
    expect(await box.locator('.pay-action-button').textContent()).toBe('去支付 ¥25.00')

    const secondsLeft = async () => {
      const [minutes, seconds] = ((await box.locator('.hold-countdown-time').textContent()) ?? '').split(':').map(Number)
      return minutes * 60 + seconds
    }
    const first = await secondsLeft()
    expect(first).toBeGreaterThan(0)
    expect(first).toBeLessThanOrEqual(HOLD_MINUTES * 60)
    // It ticks by itself: a smaller number shows, with no tap and no reload (how often is the countdown's unit test's part).
    await journey.page.waitForFunction(
      (shownFirst) => {
        const times = Array.from(document.querySelectorAll('#payment-box .hold-countdown-time')).filter((node) => (node as HTMLElement).offsetParent !== null)
        const [minutes, seconds] = (times[0]?.textContent ?? '').split(':').map(Number)
        return minutes * 60 + seconds < shownFirst
      },
      first,
      { timeout: 20_000 },
    )
    expect(await secondsLeft()).toBeGreaterThan(0)
    await screenshot(journey.page, 'booking-result-pending')
  })

  it('lists both in 预约记录 and cancels the free one after the dialog states the rule', async () => {
    const doctors = await findDoctors()
    const patientId = await ownCard()
    const free = await holdThroughApi(doctors.free, patientId, 'journey-records-free')
    const priced = await holdThroughApi(doctors.priced, patientId, 'journey-records-priced')
    await logIn()
    // From a slip, as after booking: its link to 预约记录.
    await journey.page.goto(`${journey.host.url}/#/pages/booking/result/index?id=${priced.appointment.id}`)
    await shown('#result-records').click()
    const active = shown('#appointments-active')
    const booked = active.locator(`[data-appointment-id="${free.appointment.id}"]`)
    const pending = active.locator(`[data-appointment-id="${priced.appointment.id}"]`)
    await booked.waitFor()
    await pending.locator('.hold-countdown-time').waitFor()
    expect(await booked.getAttribute('data-status')).toBe('booked')
    expect(await pending.getAttribute('data-status')).toBe('pending_payment')
    expect(await booked.textContent()).toContain('已预约')
    expect(await booked.textContent()).toContain(free.doctor.name)
    expect(await pending.textContent()).toContain('待支付')
    expect(await pending.textContent()).toContain('就诊人：张秀英')
    await screenshot(journey.page, 'booking-records')

    const before = await slotRemaining(free.doctor.id, free.slotId)
    await booked.getByText('取消预约').click()
    // The app's own dialog (it follows elder mode, unlike Taro's stock modal).
    const dialog = journey.page.getByRole('alertdialog')
    await dialog.waitFor()
    const rule = (await dialog.textContent()) ?? ''
    expect(rule).toMatch(/网上退号请在 \d+月\d+日 \d\d:\d\d 前办理（就诊时段开始前 1 小时），签到后不能退号/)
    expect(rule).toMatch(/这个预约最晚可在 \d+月\d+日 \d\d:\d\d 前取消。/)
    await screenshot(journey.page, 'booking-cancel-dialog')
    await dialog.getByRole('button', { name: '确认取消' }).click()

    await booked.waitFor({ state: 'detached' })
    await shown('#tab-history').click()
    const cancelled = shown(`#appointments-history [data-appointment-id="${free.appointment.id}"]`)
    await cancelled.waitFor()
    expect(await cancelled.getAttribute('data-status')).toBe('cancelled')
    expect(await cancelled.textContent()).toContain('已取消')
    expect(await cancelled.getByText('取消预约').count()).toBe(0)
    // The place is back at once.
    expect(await slotRemaining(free.doctor.id, free.slotId)).toBe(before + 1)
  })

  it('lets an unpaid hold run out: 已超时，号源已释放, and the place is back', async () => {
    const pending = await holdThroughApi((await findDoctors()).priced, await ownCard(), 'journey-runs-out')
    expect(pending.appointment.status).toBe('pending_payment')
    const before = await slotRemaining(pending.doctor.id, pending.slotId)
    // The phone's clock is Playwright's: it runs as usual until the step moves it on with the host's.
    await journey.page.clock.install()
    await logIn()
    await journey.page.goto(`${journey.host.url}/#/pages/appointments/index/index`)
    await shown(`#appointments-active [data-appointment-id="${pending.appointment.id}"] .appointment-body`).click()
    await shown('#booking-result[data-status="pending_payment"]').waitFor()
    await shown('#payment-box .hold-countdown-time').waitFor()
    await passTimeOnBothClocks(journey.page, journey.host.url, (HOLD_MINUTES * 60 + 5) * 1000)
    const result = shown('#booking-result[data-status="expired"]')
    await result.waitFor({ timeout: 30_000 })
    expect(await result.locator('.result-headline').textContent()).toBe('已超时，号源已释放')
    expect(await shown('#booking-message').textContent()).toContain('号源已经放回')
    expect(await shown('#payment-box').count()).toBe(0)
    expect(await slotRemaining(pending.doctor.id, pending.slotId)).toBe(before + 1)
    await screenshot(journey.page, 'booking-result-expired')
  })

  it('retries after a lost answer with the same request id, and books exactly once', async () => {
    const doctor = (await findDoctors()).free[0]
    await ownCard()
    const countBefore = (await call<{ appointments: Appointment[] }>('booking', { action: 'list' })).appointments.length
    await logIn()
    await openDoctor(doctor.id)
    await (await openCellOnFreeDay(doctor)).click()
    await shown('#slot-panel .slot-item-open').click()
    await shown('#booking-sheet .sheet-patient-chosen').waitFor()

    // The first hold reaches the server and books, but its answer never comes back to the phone.
    const requestIds: string[] = []
    let dropped = 0
    await journey.page.route('**/api/booking', async (route) => {
      const body = JSON.parse(route.request().postData() ?? '{}') as { action?: string; requestId?: string }
      if (body.action !== 'hold') return route.continue()
      requestIds.push(body.requestId!)
      if (dropped > 0) return route.continue()
      dropped += 1
      await route.fetch()
      return route.abort('connectionreset')
    })
    try {
      await shown('#booking-confirm').click()
      const answer = shown('#booking-answer[data-kind="network"]')
      await answer.waitFor()
      expect(await answer.textContent()).toContain('不会重复挂号')
      expect(await shown('#booking-confirm').textContent()).toBe('再试一次')
      await shown('#booking-confirm').click()
      await shown('#booking-result[data-status="booked"]').waitFor()
    } finally {
      await journey.page.unroute('**/api/booking')
    }
    expect(requestIds).toHaveLength(2)
    expect(requestIds[1]).toBe(requestIds[0])
    const after = (await call<{ appointments: Appointment[] }>('booking', { action: 'list' })).appointments
    expect(after.length).toBe(countBefore + 1)
  })
})
