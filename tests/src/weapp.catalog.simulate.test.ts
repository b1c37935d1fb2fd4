/**
 * @jest-environment jsdom
 */
// The compiled weapp doctor page in miniprogram-simulate: the schedule grid, and live counts that
// refresh while the page is shown and stop once WeChat hides it.
import { loadWeappApp, waitFor, type WeappApp } from './support/loadWeapp'
import { catalogFunction, liveCounts } from './support/catalogFunctionStub'
import { userFunction } from './support/userFunctionStub'
import type { CloudCall } from './support/wxStubs'

const backend = (call: CloudCall) => (call.name === 'catalog' ? catalogFunction(call) : userFunction(call))

describe('weapp doctor page in miniprogram-simulate', () => {
  let weapp: WeappApp

  beforeAll(() => {
    weapp = loadWeappApp({ cloud: backend })
  }, 120_000)

  const schedulesCalls = () => weapp.wx.cloudCalls.filter((call) => call.data.action === 'schedules').length

  it('shows places left, full and not yet released, and follows a count changed elsewhere', async () => {
    const page = weapp.renderPage('pages/catalog/doctor/index', { id: 'doc1' })
    const cellText = (date: string, period: string) =>
      page.querySelector(`#cell-${date}-${period}`)?.dom.textContent ?? undefined
    await waitFor(() => cellText('2025-11-29', 'morning') === '余 6')
    expect(page.dom.textContent).toContain('龚秀英')
    expect(page.dom.textContent).toContain('专家号 · 挂号费 80 元')
    expect(cellText('2025-11-29', 'afternoon')).toBe('约满')

    // 12月7日 lies beyond the first 7 days: the 14-day view shows it with its release time.
    page.querySelector('#range-14')!.dispatchEvent('tap')
    await waitFor(() => cellText('2025-12-07', 'morning') === '即将放号')
    expect(page.dom.textContent).toContain('11月30日 07:00 放号')

    liveCounts.firstSlotRemaining = 1
    // It shows by itself (how fast is `npm run bench:ui`'s part; this limit is only generous).
    await waitFor(() => cellText('2025-11-29', 'morning') === '余 4', 15_000)

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
