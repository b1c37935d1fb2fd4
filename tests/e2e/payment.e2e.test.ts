/**
 * Browser journey through payment (issue 6) on the H5 build served by the real local host, which
 * runs the WeChat Pay and HIS stand-ins itself: a priced slot booked, 去支付, the sandbox cashier
 * (模拟支付) paid, and the slip of the booked appointment; another priced hold left unpaid in
 * 预约记录 with its own 去支付, which runs out while the doctor page shows its place coming back;
 * the paid booking cancelled from 预约记录 after the dialog states the refund rule, and the refund
 * shown as the clock says it should be (at once between 01:00 and 23:00 Beijing, else next day).
 *
 * Every step opens its own page (a fresh browser context), logs in and sets up what it needs (her
 * card, a paid booking, an unpaid hold), so any one of them passes alone
 * (`npx jest tests/e2e/payment.e2e.test.ts -t '<name>'`).
 */
import type { Locator } from 'playwright-core'
import { logInOnDevLogin, pageSettled, passTimeOnBothClocks, screenshot, shownOn } from '../support/browser'
import { callHost } from '../support/hostApi'
import { openCellOnFreeDay, openDoctorPage, ownCardOnHost, pricedDoctorsOnHost, refundsAtOnceNow, slotRemainingOnHost, type PricedDoctor } from '../support/journeySetup'
import { usePagePerStep } from '../support/journeyHost'

jest.setTimeout(150_000)

/** A short payment hold, so the journey can watch one run out. */
const HOLD_MINUTES = 1

interface Appointment {
  id: string
  status: string
  number: number | null
  payment: { paid: boolean; refund: { status: string; label: string; amountFen: number } | null } | null
}
describe('payment in a real browser', () => {
  const journey = usePagePerStep({ PAYMENT_HOLD_MINUTES: String(HOLD_MINUTES) })

  const shown = (selector: string): Locator => shownOn(journey.page, selector)

  const call = <T>(fn: string, body: Record<string, unknown>) => callHost<T>(journey.host.url, 'demo-patient', fn, body)

  const getAppointment = async (appointmentId: string) => (await call<{ appointment: Appointment }>('booking', { action: 'get', appointmentId })).appointment

  const slotRemaining = (doctorId: string, slotId: string) => slotRemainingOnHost(journey.host.url, doctorId, slotId)
  const openDoctor = (doctorId: string) => openDoctorPage(journey.page, journey.host.url, doctorId)

  // Seeded data, looked up by whichever step asks first (no page or booking state in it).
  let doctorsFound: Promise<{ paidDoctor: PricedDoctor; unpaidDoctor: PricedDoctor }> | undefined
  const findDoctors = () => (doctorsFound ??= lookUpDoctors())
  async function lookUpDoctors(): Promise<{ paidDoctor: PricedDoctor; unpaidDoctor: PricedDoctor }> {
    const priced = await pricedDoctorsOnHost(journey.host.url)
    const paidDoctor = priced.find((doctor) => doctor.feeFen === 2500)
    // Another department: one booking per patient, department and day.
    const unpaidDoctor = priced.find((doctor) => paidDoctor && doctor.departmentId !== paidDoctor.departmentId)
    return { paidDoctor: paidDoctor!, unpaidDoctor: unpaidDoctor! }
  }

  /** Logs in as 张秀英 with her card (added through the API when she has none). */
  async function logInWithCard(): Promise<void> {
    await ownCardOnHost(journey.host.url)
    await logInOnDevLogin(journey.page, journey.host.url, /^张秀英/)
  }

  /** Books the furthest open slot of `doctor` on a day she has nothing in its department, through the sheet; returns the pending appointment's and slot's ids. */
  async function holdPricedSlot(doctor: PricedDoctor): Promise<{ appointmentId: string; slotId: string; cell: string }> {
    await openDoctor(doctor.id)
    const cell = await openCellOnFreeDay(journey.page, journey.host.url, doctor)
    const cellId = (await cell.getAttribute('id'))!
    await cell.click()
    const slot = shown('#slot-panel .slot-item-open')
    const slotId = (await slot.getAttribute('data-slot-id'))!
    await slot.click()
    await shown('#booking-sheet .sheet-patient-chosen').getByText('张秀英').waitFor()
    await shown('#booking-confirm').click()
    await shown('#booking-result[data-status="pending_payment"]').waitFor()
    const appointmentId = new URL(journey.page.url().replace('/#/', '/')).searchParams.get('id')!
    return { appointmentId, slotId, cell: cellId }
  }

  /** Pays a pending hold from its own page: 去支付, then the sandbox cashier's 确认支付; ends on the booked slip. */
  async function payThroughCashier(appointmentId: string): Promise<void> {
    await journey.page.goto(`${journey.host.url}/#/pages/booking/result/index?id=${appointmentId}`)
    await shown('#payment-box .pay-action-button').click()
    await shown('#cashier-pay').click()
    await shown('#booking-result[data-status="booked"]').waitFor({ timeout: 25_000 })
    // The booked slip slides in over the cashier: a button taken mid-slide can be the one on a page about to hide.
    await pageSettled(journey.page)
  }

  it('logs in as the demo patient with her card and finds two priced doctors in different departments', async () => {
    await logInWithCard()
    const { paidDoctor, unpaidDoctor } = await findDoctors()
    expect(paidDoctor?.title).toBe('主治医师')
    expect(unpaidDoctor).toBeDefined()
  })

  it('pays a priced hold through 去支付 and the sandbox cashier, and shows the booked slip', async () => {
    const doctor = (await findDoctors()).paidDoctor
    await logInWithCard()
    const held = await holdPricedSlot(doctor)
    const takenBefore = await slotRemaining(doctor.id, held.slotId)

    const box = shown('#payment-box')
    await box.locator('.hold-countdown-time').waitFor()
    const payButton = box.locator('.pay-action-button')
    expect(await payButton.textContent()).toBe('去支付 ¥25.00')
    await screenshot(journey.page, 'payment-result-pending')
    await payButton.click()

    // The sandbox cashier: plainly a test, with the amount, what is bought and the time left.
    const cashier = shown('#cashier')
    await cashier.waitFor()
    expect(journey.page.url()).toContain('/pages/booking/cashier/index')
    expect(journey.page.url()).toContain(`id=${held.appointmentId}`)
    expect(journey.page.url()).toContain('fen=2500')
    expect(await journey.page.title()).toBe('模拟支付')
    expect(await shown('#cashier-sandbox').textContent()).toContain('不会扣真实的钱')
    expect(await shown('#cashier-amount').textContent()).toBe('¥25.00')
    await cashier.locator('[data-field="description"]').getByText(`挂号费-${doctor.departmentName}-${doctor.name}`).waitFor()
    await shown('.cashier-countdown .hold-countdown-time').waitFor()
    expect(await shown('.cashier-countdown').textContent()).toMatch(/请在 \d\d:\d\d 前完成支付/)
    await screenshot(journey.page, 'payment-cashier')
    await shown('#cashier-pay').click()

    // The notification reaches the payment function, the HIS confirms, and the page opens the slip.
    const result = shown('#booking-result[data-status="booked"]')
    await result.waitFor({ timeout: 25_000 })
    expect(journey.page.url()).toContain('/pages/booking/result/index')
    expect(await result.locator('.result-headline').textContent()).toBe('预约成功')
    expect(await shown('#booking-message').textContent()).toMatch(/^已为您预约 .医生 \d+月\d+日 \d\d:\d\d-\d\d:\d\d，请提前 10 分钟到.+候诊。$/)
    const slip = shown('#booking-slip')
    expect(await slip.locator('#slip-number').textContent()).toMatch(/^第 \d+ 号$/)
    expect(await slip.locator('[data-field="fee"]').textContent()).toBe('费用挂号费 25 元')
    expect(await slip.locator('.slip-status').textContent()).toBe('已预约')
    expect(await journey.page.locator('#payment-box >> visible=true').count()).toBe(0)
    await screenshot(journey.page, 'payment-result-booked')

    const appointment = await getAppointment(held.appointmentId)
    expect(appointment).toMatchObject({ status: 'booked', payment: { paid: true, refund: null } })
    expect(await slip.locator('#slip-number').textContent()).toBe(`第 ${appointment.number} 号`)
    // Paying keeps the place the hold took.
    expect(await slotRemaining(doctor.id, held.slotId)).toBe(takenBefore)
  })

  it('leaves another priced hold unpaid, with its own 去支付 in 预约记录', async () => {
    const doctor = (await findDoctors()).unpaidDoctor
    await logInWithCard()
    const held = await holdPricedSlot(doctor)

    await shown('#result-records').click()
    const card = shown(`#appointments-active [data-appointment-id="${held.appointmentId}"]`)
    await card.locator('.hold-countdown-time').waitFor()
    expect(await card.getAttribute('data-status')).toBe('pending_payment')
    expect(await card.locator('.pay-action-button').textContent()).toBe(`去支付 ¥${doctor.feeFen / 100}.00`)
  })

  it('cancels the paid booking from 预约记录 after the dialog states the refund rule, and shows the refund', async () => {
    const doctor = (await findDoctors()).paidDoctor
    await logInWithCard()
    const paid = await holdPricedSlot(doctor)
    await payThroughCashier(paid.appointmentId)
    const placesBefore = await slotRemaining(doctor.id, paid.slotId)
    await shown('#result-records').click()
    const card = shown(`#appointments-active [data-appointment-id="${paid.appointmentId}"]`)
    await card.waitFor()
    expect(await card.getAttribute('data-status')).toBe('booked')
    expect(await card.locator('.pay-action-button').count()).toBe(0)

    const atOnceBefore = refundsAtOnceNow()
    await card.getByText('取消预约').click()
    // The app's own dialog (it follows elder mode, unlike Taro's stock modal).
    // Each page keeps its own dialog host; the one on the page in view.
    const dialog = journey.page.locator('[role=alertdialog] >> visible=true').last()
    await dialog.waitFor()
    expect(await dialog.textContent()).toContain('已付的挂号费会原路退回：当天预约当天取消（1:00-23:00）立即原路退款，其余情况在次日对账后退回。')
    await screenshot(journey.page, 'payment-cancel-dialog')
    await dialog.getByRole('button', { name: '确认取消' }).click()
    const atOnceAfter = refundsAtOnceNow()

    await shown('#tab-history').click()
    const cancelled = shown(`#appointments-history [data-appointment-id="${paid.appointmentId}"]`)
    const note = cancelled.locator('.refund-note')
    await note.waitFor()
    expect(await cancelled.getAttribute('data-status')).toBe('cancelled')
    const label = (await note.locator('.refund-note-label').textContent()) ?? ''
    // The clock decides; only a cancel that straddled 01:00 or 23:00 may go either way.
    const expected = [...(atOnceBefore || atOnceAfter ? [/^已原路退款 ¥25\.00$/, /^退款处理中/] : []), ...(!atOnceBefore || !atOnceAfter ? [/次日对账/] : [])]
    expect(expected.some((pattern) => pattern.test(label))).toBe(true)
    // In the refund's own tense: back already once it succeeded, on its way while it runs or waits for T+1.
    expect(await note.textContent()).toContain(label.startsWith('已原路退款') ? '您已取消预约，挂号费已原路退回。' : '您已取消预约，挂号费将原路退回。')
    await screenshot(journey.page, 'payment-refund-records')

    const appointment = await getAppointment(paid.appointmentId)
    expect(appointment.status).toBe('cancelled')
    expect(appointment.payment?.refund?.amountFen).toBe(2500)
    expect(await slotRemaining(doctor.id, paid.slotId)).toBe(placesBefore + 1)

    // The appointment's own page says the same.
    await note.click()
    const box = shown('#refund-box')
    await box.waitFor()
    expect(await shown('#booking-result').getAttribute('data-status')).toBe('cancelled')
    const pageLabel = (await box.locator('.refund-note-label').textContent()) ?? ''
    expect(await shown('#booking-message').textContent()).toBe(pageLabel.startsWith('已原路退款') ? '您已取消预约，挂号费已原路退回。' : '您已取消预约，挂号费将原路退回。')
    expect(expected.some((pattern) => pattern.test(pageLabel))).toBe(true)
    await screenshot(journey.page, 'payment-refund-result')
  })

  it('lets the unpaid hold run out: 已超时，号源已释放, and the doctor page shows the place back', async () => {
    // The phone's clock is Playwright's: it runs as usual until the step moves it on with the host's.
    await journey.page.clock.install()
    const doctor = (await findDoctors()).unpaidDoctor
    await logInWithCard()
    const unpaid = await holdPricedSlot(doctor)
    const openSlotState = async () => {
      await openDoctor(doctor.id)
      await shown(`#${unpaid.cell}`).click()
      const state = shown(`#slot-panel [data-slot-id="${unpaid.slotId}"] .slot-state`)
      await state.waitFor()
      return Number(/余 (\d+)$/.exec((await state.textContent()) ?? '')?.[1] ?? NaN)
    }
    const held = await openSlotState()
    expect(held).toBe(await slotRemaining(doctor.id, unpaid.slotId))

    // The patient watches the countdown end on the appointment's page; it reads the appointment again and the hold is over.
    await journey.page.goto(`${journey.host.url}/#/pages/booking/result/index?id=${unpaid.appointmentId}`)
    await shown('#booking-result[data-status="pending_payment"]').waitFor()
    await shown('#payment-box .pay-action-button').waitFor()
    await passTimeOnBothClocks(journey.page, journey.host.url, (HOLD_MINUTES * 60 + 5) * 1000)
    const result = shown('#booking-result[data-status="expired"]')
    await result.waitFor({ timeout: 30_000 })
    expect(await result.locator('.result-headline').textContent()).toBe('已超时，号源已释放')
    expect(await shown('#booking-message').textContent()).toContain('号源已经放回')
    expect(await journey.page.locator('#payment-box >> visible=true').count()).toBe(0)
    expect((await getAppointment(unpaid.appointmentId)).payment).toEqual({ paid: false, refund: null })
    await screenshot(journey.page, 'payment-result-expired')

    // Its place is back on the doctor page.
    expect(await openSlotState()).toBe(held + 1)
    await screenshot(journey.page, 'payment-place-back')
  })
})
