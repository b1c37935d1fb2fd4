// Calls per minute per open doctor page (issue 15 item 7): each ask is one billed cloud function call on
// WeChat. The page's own loop and timing run on fake timers for one simulated minute per situation; the
// catalog answers come from fixtures shaped like the real ones, each answer counted as one call.
import { createRefreshLoop } from '../../../src/hooks/refreshLoop'
import type { Schedules } from '../../../src/services/catalog'
import { createRefreshTiming } from '../../../src/utils/liveRefreshDelay'
import { schedulesOf } from '../support/scheduleFixture'

const MINUTE = 60_000
const START = Date.parse('2026-11-22T22:59:30.000Z') // 06:59:30 Beijing, 30 s before a 07:00 release
const RELEASE = START + 30_000

/** The catalog as the page sees it at instant `now` (server clock = this test's clock). */
type Catalog = (now: number) => Schedules

const quietDay: Catalog = () => schedulesOf({ remaining: [3, 3, 3] }, { remaining: [10, 10] })
const aroundRelease: Catalog = (now) =>
  schedulesOf({ remaining: [3, 3, 3] }, { remaining: [10, 10], opensAt: now < RELEASE ? new Date(RELEASE).toISOString() : undefined })
const fewPlaces: Catalog = () => schedulesOf({ remaining: [0, 2, 1] }, { remaining: [10, 10] })

/** Catalog calls made in one simulated minute by one open page; `visible` false is a page hidden all along. */
async function callsInAMinute(catalog: Catalog, delay: 'every second (before)' | 'adaptive (after)', visible = true): Promise<number> {
  jest.setSystemTime(START)
  let calls = 0
  const timing = createRefreshTiming()
  const refresh = async () => {
    calls += 1
    timing.observe(catalog(Date.now()), Date.now())
  }
  const loop = createRefreshLoop(refresh, delay === 'adaptive (after)' ? timing.nextDelay : () => 1000)
  loop.setVisible(visible)
  // The minute is [0, 60 s): an ask due exactly at 60 s belongs to the next one.
  await jest.advanceTimersByTimeAsync(MINUTE - 1)
  loop.stop()
  return calls
}

describe('calls per minute per open doctor page', () => {
  beforeEach(() => jest.useFakeTimers({ now: START }))
  afterEach(() => jest.useRealTimers())

  const situations: [string, Catalog, boolean][] = [
    ['quiet day', quietDay, true],
    ['around a release (06:59:30-07:00:30)', aroundRelease, true],
    ['few places left (3 in a session)', fewPlaces, true],
    ['page hidden', quietDay, false],
  ]

  it('asks slowly on a quiet day, quickly only around a release or with few places, never while hidden', async () => {
    const table: Record<string, { before: number; after: number }> = {}
    for (const [name, catalog, visible] of situations) {
      table[name] = { before: await callsInAMinute(catalog, 'every second (before)', visible), after: await callsInAMinute(catalog, 'adaptive (after)', visible) }
    }
    console.log(`catalog calls per minute per open doctor page\n${Object.entries(table).map(([name, { before, after }]) => `  ${name.padEnd(40)} before ${String(before).padStart(2)}  after ${String(after).padStart(2)}`).join('\n')}`)
    expect(table).toEqual({
      'quiet day': { before: 60, after: 3 },
      'around a release (06:59:30-07:00:30)': { before: 60, after: 30 },
      'few places left (3 in a session)': { before: 60, after: 30 },
      'page hidden': { before: 0, after: 0 },
    })
  })

  it('a page opened ten minutes before a release turns quick one minute before it', async () => {
    jest.setSystemTime(RELEASE - 10 * MINUTE)
    const asks: number[] = []
    const timing = createRefreshTiming()
    const loop = createRefreshLoop(async () => {
      asks.push(Date.now() - RELEASE)
      timing.observe(aroundRelease(Date.now()), Date.now())
    }, timing.nextDelay)
    loop.setVisible(true)
    await jest.advanceTimersByTimeAsync(10 * MINUTE + 3 * MINUTE - 1)
    loop.stop()
    const before = asks.filter((offset) => offset < -MINUTE)
    const rush = asks.filter((offset) => offset >= -MINUTE && offset < 2 * MINUTE)
    // 9 slow minutes at one ask per 20 s, the rush at one per 2 s, then slow again.
    expect(before).toHaveLength(27)
    expect(rush).toHaveLength(90)
    expect(rush[0]).toBe(-MINUTE)
    expect(asks.filter((offset) => offset >= 2 * MINUTE)).toEqual([2 * MINUTE, 2 * MINUTE + 20_000, 2 * MINUTE + 40_000])
  })

  it('stops when hidden and asks at once when shown again', async () => {
    let calls = 0
    const timing = createRefreshTiming()
    const loop = createRefreshLoop(async () => {
      calls += 1
      timing.observe(quietDay(Date.now()), Date.now())
    }, timing.nextDelay)
    loop.setVisible(true)
    await jest.advanceTimersByTimeAsync(1)
    expect(calls).toBe(1)
    loop.setVisible(false)
    await jest.advanceTimersByTimeAsync(5 * MINUTE)
    expect(calls).toBe(1)
    loop.setVisible(true)
    await jest.advanceTimersByTimeAsync(1)
    expect(calls).toBe(2)
    loop.stop()
  })
})
