/**
 * Browser journey (issue 5): 妇科 says whom it sees on its department and doctor pages, and the booking sheet
 * greys out a male card with the very reason the hold would give, before the tap; nothing is booked. 张秀英's
 * card and her son's are set up through the host's API, so it passes alone.
 */
import { screenshot, logInOnDevLogin, shownOn } from '../support/browser'
import { bindOnHost, callHost, postToHost } from '../support/hostApi'
import { gynaecologyDoctorOnHost, openDoctorPage, ownCardOnHost, slotRemainingOnHost } from '../support/journeySetup'
import { usePagePerStep } from '../support/journeyHost'
import { PEOPLE } from '../support/patients'

jest.setTimeout(120_000)

interface Appointment {
  id: string
}

describe('who a department sees, in a real browser', () => {
  const journey = usePagePerStep()
  const shown = (selector: string) => shownOn(journey.page, selector)
  const call = <T>(fn: string, body: Record<string, unknown>) => callHost<T>(journey.host.url, 'demo-patient', fn, body)
  const post = <T>(openid: string, fn: string, body: Record<string, unknown>) => postToHost<T>(journey.host.url, openid, fn, body)
  const logIn = () => logInOnDevLogin(journey.page, journey.host.url, /^张秀英/)
  const ownCard = () => ownCardOnHost(journey.host.url)
  const openDoctor = (doctorId: string) => openDoctorPage(journey.page, journey.host.url, doctorId)
  const slotRemaining = (doctorId: string, slotId: string) => slotRemainingOnHost(journey.host.url, doctorId, slotId)
  const doctors = async () => ({ gynaecology: await gynaecologyDoctorOnHost(journey.host.url) })

  it('says who 妇科 sees on its pages, and greys out a male card in the sheet with its reason before the tap', async () => {
    const gynaecology = (await doctors()).gynaecology!
    await ownCard()
    await logIn()
    const son = PEOPLE.son
    const bound = await bindOnHost(journey.host.url, 'demo-patient', { ...son, relation: 'child' })
    if (!bound.ok) throw new Error(`bind: ${bound.code}`)
    const { patient } = bound.data!
    const countBefore = (await call<{ appointments: Appointment[] }>('booking', { action: 'list' })).appointments.length

    // The limit is on the department and doctor pages, before any slot is chosen.
    await journey.page.goto('about:blank')
    await journey.page.goto(`${journey.host.url}/#/pages/catalog/department/index?id=${gynaecology.departmentId}`)
    await shown('#department-who').getByText('仅接诊女性患者', { exact: false }).waitFor()
    await openDoctor(gynaecology.id)
    expect(await shown('#doctor-who').textContent()).toContain('仅接诊女性患者')

    await shown('#schedule-grid .grid-cell-open').click()
    const slot = shown('#slot-panel .slot-item-open')
    const slotId = (await slot.getAttribute('data-slot-id'))!
    const before = await slotRemaining(gynaecology.id, slotId)
    await slot.click()
    await shown('#booking-sheet .sheet-patient-chosen').getByText('张秀英').waitFor()
    await shown('#sheet-switch-patient').click()
    const sonCard = shown(`#booking-sheet [data-patient-id="${patient.id}"]`)
    const reason = sonCard.locator('.sheet-patient-refusal')
    await reason.waitFor()
    expect(await sonCard.getAttribute('data-can-book')).toBe('no')
    expect(await sonCard.getAttribute('aria-label')).toContain('不能预约这个时段')
    // The very sentence the booking function would refuse with, for this card and slot.
    const refusal = await post('demo-patient', 'booking', { action: 'hold', slotId, patientId: patient.id, requestId: 'journey-refusal-check' })
    expect(refusal).toMatchObject({ ok: false, code: 'SEX_RESTRICTED' })
    expect(await reason.textContent()).toBe(refusal.message)
    expect(refusal.message).toMatch(/仅接诊女性患者/)
    await screenshot(journey.page, 'booking-sheet-card-disabled')

    // Announced as a disabled choice, and a tap on it chooses nothing: 张秀英 stays chosen and can still book.
    expect(await sonCard.getAttribute('aria-disabled')).toBe('true')
    await sonCard.click({ force: true })
    expect(await shown('#booking-sheet .sheet-patient-chosen').textContent()).toContain('张秀英')
    expect(await shown('#booking-confirm').isEnabled()).toBe(true)
    expect(await journey.page.locator('#booking-answer').count()).toBe(0)

    // Nothing changed: still the sheet on the doctor page, no appointment, the place still there.
    expect(journey.page.url()).toContain('/pages/catalog/doctor/index')
    expect((await call<{ appointments: Appointment[] }>('booking', { action: 'list' })).appointments.length).toBe(countBefore)
    expect(await slotRemaining(gynaecology.id, slotId)).toBe(before)
    await shown('#booking-sheet-close').click()
  })
})
