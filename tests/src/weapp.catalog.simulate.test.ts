/**
 * @jest-environment ./tests/src/support/weappEnvironment.ts
 */
// The compiled weapp doctor page in miniprogram-simulate on the real catalog function: the schedule grid,
// and live counts that refresh while the page is shown and stop once WeChat hides it.
import { main as userMain } from '../../cloudfunctions/user'
import { hold, quickPatient, slotIdsOn } from '../support/booking'
import { admin, ADMIN, dayFromToday, seedHospital } from '../support/catalog'
import { callAs, dataOf } from '../support/runtime'
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { startWeappBackend, type WeappBackend } from './support/weappBackend'

type Saved<K extends string> = Record<K, { _id: { toString(): string } }>

describe('weapp doctor page in miniprogram-simulate', () => {
  let backend: WeappBackend
  let weapp: WeappApp
  let doctorId: string
  /** Tomorrow: two morning slots of 3 places, one afternoon slot of 1 place. */
  let slots: string[]
  let people = 0
  /** Someone else, on another phone, holds a place. */
  const holdElsewhere = async (slotId: string) => hold(await quickPatient(backend.runtime, `elsewhere-${people++}`), slotId)

  beforeAll(async () => {
    backend = await startWeappBackend()
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }))
    await seedHospital(backend.runtime)
    const group = await admin<Saved<'department'>>({ action: 'saveDepartment', name: '皮肤性病科', locationId: 'opd-3b' })
    const clinic = await admin<Saved<'department'>>({ action: 'saveDepartment', name: '皮肤科', parentId: group.department._id.toString(), locationId: 'opd-3b' })
    const { doctor } = await admin<Saved<'doctor'>>({ action: 'saveDoctor', departmentId: clinic.department._id.toString(), name: '龚秀英', title: '主任医师', specialty: '银屑病、白癜风', intro: '', feeClass: '专家', feeFen: 8000 })
    doctorId = doctor._id.toString()
    for (let weekday = 1; weekday <= 7; weekday++) {
      await admin({ action: 'saveTemplate', doctorId, weekday, period: 'morning', startTime: '08:00', endTime: '09:00', slotMinutes: 30, placesPerSlot: 3, locationId: 'opd-3b' })
      await admin({ action: 'saveTemplate', doctorId, weekday, period: 'afternoon', startTime: '13:30', endTime: '14:00', slotMinutes: 30, placesPerSlot: 1, locationId: 'opd-3b' })
    }
    await admin({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(13) })
    slots = await slotIdsOn(doctorId, 1)
    await holdElsewhere(slots[2])
    // 5 of 6 morning places left: few enough that the page asks every couple of seconds (liveRefreshDelay.ts).
    await holdElsewhere(slots[1])
    weapp = loadWeappApp({ cloud: backend.cloud })
  }, 120_000)
  afterAll(() => backend.close())

  const schedulesCalls = () => weapp.wx.cloudCalls.filter((call) => call.data.action === 'schedules').length

  it('shows places left, full and not yet released, and follows a count changed elsewhere', async () => {
    const tomorrow = dayFromToday(1)
    // Seven days ahead, released at 07:00: eight days from now opens tomorrow at 07:00, whatever the hour.
    const unreleased = dayFromToday(8)
    const [, month, day] = tomorrow.split('-').map(Number)
    const page = weapp.renderPage('pages/catalog/doctor/index', { id: doctorId })
    const cellText = (date: string, period: string) =>
      page.querySelector(`#cell-${date}-${period}`)?.dom.textContent ?? undefined
    await waitFor(() => cellText(tomorrow, 'morning') === '余 5')
    expect(page.dom.textContent).toContain('龚秀英')
    expect(page.dom.textContent).toContain('专家号 · 挂号费 80 元')
    expect(cellText(tomorrow, 'afternoon')).toBe('约满')

    // Beyond the first 7 days: the 14-day view shows it with its release time.
    page.querySelector('#range-14')!.dispatchEvent('tap')
    await waitFor(() => cellText(unreleased, 'morning') === '即将放号')
    expect(page.dom.textContent).toContain(`${month}月${day}日 07:00 放号`)

    await holdElsewhere(slots[0])
    await holdElsewhere(slots[0])
    // It shows by itself (how fast is `npm run bench:ui`'s part; this limit is only generous).
    await waitFor(() => cellText(tomorrow, 'morning') === '余 3', 15_000)

    // Hidden (another page on top, or the app in the background): no more requests. A refresh whose
    // timer fired just before the page heard of it may still go out, one at most.
    ;(page.instance.onHide as () => void)()
    const atHide = schedulesCalls()
    // The one window of real time here, and it is about absence: three refresh periods (1 s each):
    // a page still polling would ask about three times.
    await new Promise((resolve) => setTimeout(resolve, 3200))
    expect(schedulesCalls()).toBeLessThanOrEqual(atHide + 1)
  }, 40_000)
})
