// When the doctor page asks for counts again: slowly on a quiet day, quickly around a release or with few places.
import { LIVE_REFRESH, liveRefreshDelay, releaseInstantsOf } from '../../../src/utils/liveRefreshDelay'
import { schedulesOf } from '../support/scheduleFixture'

const RELEASE = Date.parse('2026-11-22T23:00:00.000Z') // 07:00 Beijing
const at = (offsetMs: number) => RELEASE + offsetMs
const plenty = schedulesOf({ remaining: [3, 3, 3] }, { remaining: [10, 10] })
const { quietMs, busyMs } = LIVE_REFRESH

describe('liveRefreshDelay', () => {
  it.each([
    ['no answer yet (first load failed): retry soon', undefined, [], at(0), busyMs],
    ['quiet day, no release known', plenty, [], at(0), quietMs],
    ['quiet day, release an hour away', plenty, [RELEASE], at(-3_600_000), quietMs],
    ['release 70 s away: wake when the rush starts, 10 s later', plenty, [RELEASE], at(-70_000), 10_000],
    ['release 61 s away: never faster than the busy pace', plenty, [RELEASE], at(-61_000), busyMs],
    ['one minute before the release', plenty, [RELEASE], at(-60_000), busyMs],
    ['at the release instant', plenty, [RELEASE], at(0), busyMs],
    ['one minute after the release', plenty, [RELEASE], at(60_000), busyMs],
    ['just before the rush ends, two minutes after', plenty, [RELEASE], at(119_999), busyMs],
    ['two minutes after the release: quiet again', plenty, [RELEASE], at(120_000), quietMs],
    ['a release long past changes nothing', plenty, [RELEASE], at(3_600_000), quietMs],
    ['5 places left in one session', schedulesOf({ remaining: [3, 2] }, { remaining: [10] }), [], at(0), busyMs],
    ['1 place left', schedulesOf({ remaining: [0, 1] }), [], at(0), busyMs],
    ['6 places left is not few', schedulesOf({ remaining: [3, 3] }), [], at(0), quietMs],
    ['a full session has nothing to lose', schedulesOf({ remaining: [0, 0] }, { remaining: [10] }), [], at(0), quietMs],
    ['a stopped session with few places does not count', schedulesOf({ remaining: [2], status: 'stopped' }), [], at(0), quietMs],
    ['an unreleased session is not "few places"', schedulesOf({ remaining: [2], opensAt: new Date(RELEASE).toISOString() }), [], at(-3_600_000), quietMs],
  ] as const)('%s', (_name, schedules, releases, now, expected) => {
    expect(liveRefreshDelay({ schedules, releases, now })).toBe(expected)
  })

  it('the nearest of several releases decides', () => {
    expect(liveRefreshDelay({ schedules: plenty, releases: [at(600_000), at(75_000)], now: at(0) })).toBe(15_000)
  })
})

describe('releaseInstantsOf', () => {
  it('lists each not-yet-released instant once', () => {
    const iso = new Date(RELEASE).toISOString()
    const schedules = schedulesOf({ remaining: [3, 3], opensAt: iso }, { remaining: [3] }, { remaining: [2], opensAt: iso })
    expect(releaseInstantsOf(schedules)).toEqual([RELEASE])
    expect(releaseInstantsOf(plenty)).toEqual([])
  })
})
