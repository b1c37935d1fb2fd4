/**
 * Browser journey (issue 5, U1): the booking sheet in elder mode keeps every target 60 x 60 and its text large,
 * with 张秀英's own card and a free doctor set up through the host's API, so it passes alone.
 */
import { screenshot, logInOnDevLogin, shownOn } from '../support/browser'
import { callHost } from '../support/hostApi'
import { bookableDoctorsOnHost, openDoctorPage, ownCardOnHost } from '../support/journeySetup'
import { usePagePerStep } from '../support/journeyHost'

jest.setTimeout(120_000)

describe('the booking sheet in elder mode in a real browser', () => {
  const journey = usePagePerStep()
  const shown = (selector: string) => shownOn(journey.page, selector)
  const call = <T>(fn: string, body: Record<string, unknown>) => callHost<T>(journey.host.url, 'demo-patient', fn, body)
  const logIn = () => logInOnDevLogin(journey.page, journey.host.url, /^张秀英/)
  const ownCard = () => ownCardOnHost(journey.host.url)
  const openDoctor = (doctorId: string) => openDoctorPage(journey.page, journey.host.url, doctorId)
  const doctors = async () => ({ free: (await bookableDoctorsOnHost(journey.host.url)).filter((doctor) => doctor.feeFen === 0) })

  it('keeps the sheet 60 x 60 to touch with larger text in elder mode', async () => {
    const doctor = (await doctors()).free[0]
    await ownCard()
    await call('user', { action: 'setPreferences', elderMode: true })
    try {
      await logIn()
      await openDoctor(doctor.id)
      await shown('.theme-elder #schedule-grid .grid-cell-open').click()
      await shown('#slot-panel .slot-item-open').click()
      await shown('#booking-sheet .sheet-patient-chosen').waitFor()
      const boxes = await journey.page
        .locator('#booking-sheet #booking-confirm, #booking-sheet .sheet-patient, #booking-sheet #sheet-switch-patient, #booking-sheet #booking-sheet-close')
        .evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect()))
      expect(boxes.length).toBeGreaterThanOrEqual(3)
      for (const box of boxes) {
        expect(box.width).toBeGreaterThanOrEqual(60)
        expect(box.height).toBeGreaterThanOrEqual(60)
      }
      const fontSizes = await journey.page
        .locator('#booking-sheet .sheet-label, #booking-sheet .sheet-value, #booking-sheet .caption')
        .evaluateAll((nodes) => nodes.map((node) => parseFloat(getComputedStyle(node).fontSize)))
      expect(fontSizes.length).toBeGreaterThan(0)
      expect(Math.min(...fontSizes)).toBeGreaterThanOrEqual(18)
      await screenshot(journey.page, 'booking-sheet-elder')
    } finally {
      await call('user', { action: 'setPreferences', elderMode: false })
    }
  })
})
