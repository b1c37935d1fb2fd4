// How soon the doctor page asks for counts again (C3, issue 15 item 7). On WeChat every ask is a billed
// cloud function call, so the page asks slowly while nothing is about to change and quickly only when a
// patient could lose a place by waiting: around a release instant, or when a session has few places left.
import type { Schedules } from '../services/catalog'

export const LIVE_REFRESH = {
  /** Nothing about to change: a count moved by someone else shows within this. */
  quietMs: 20_000,
  /** Around a release or with few places left. */
  busyMs: 2_000,
  /** Ask quickly from this long before a release instant... */
  beforeReleaseMs: 60_000,
  /** ...until this long after it (the rush of the first minutes). */
  afterReleaseMs: 120_000,
  /** An open session with this many places or fewer (but some) is "few places left". */
  fewPlaces: 5,
} as const

export interface RefreshSituation {
  /** The latest answer, or undefined while none has arrived (first load failed: retry soon). */
  schedules: Schedules | undefined
  /** Release instants (ms) seen on not-yet-released slots, kept after they pass so the rush after counts too. */
  releases: readonly number[]
  /** Now, in ms, on the server's clock (the answer's `now`), so a phone set to the wrong time changes nothing. */
  now: number
}

/** Release instants (ms) of the slots in `schedules` that are not released yet. */
export function releaseInstantsOf(schedules: Schedules): number[] {
  const instants = new Set<number>()
  for (const day of schedules.days) {
    for (const session of day.periods) {
      for (const slot of session.slots) if (slot.opensAt) instants.add(Date.parse(slot.opensAt))
    }
  }
  return [...instants]
}

function fewPlacesLeft(schedules: Schedules): boolean {
  return schedules.days.some((day) =>
    day.periods.some((session) => {
      if (session.status !== 'open') return false
      const left = session.slots.reduce((sum, slot) => sum + (slot.bookable ? slot.remaining : 0), 0)
      return left > 0 && left <= LIVE_REFRESH.fewPlaces
    }),
  )
}

/** Milliseconds until the next ask. */
export function liveRefreshDelay({ schedules, releases, now }: RefreshSituation): number {
  const { quietMs, busyMs, beforeReleaseMs, afterReleaseMs } = LIVE_REFRESH
  if (!schedules || fewPlacesLeft(schedules)) return busyMs
  let delay: number = quietMs
  for (const release of releases) {
    const rushStarts = release - beforeReleaseMs
    const rushEnds = release + afterReleaseMs
    if (now >= rushStarts && now < rushEnds) return busyMs
    // Wake up right when the rush before a release starts, not up to a whole quiet interval later.
    if (now < rushStarts) delay = Math.min(delay, Math.max(busyMs, rushStarts - now))
  }
  return delay
}

/** How long a release instant is remembered after it passed: the rush after it counts too. */
const RELEASE_MEMORY_MS = 10 * 60_000

/** What the page has seen, turned into the next delay: the latest answer, the releases, the server's clock. */
export interface RefreshTiming {
  /** An answer arrived; `serverNow` is its `now` (ms). */
  observe(schedules: Schedules, serverNow: number): void
  /** The ask failed: try again soon. */
  failed(): void
  nextDelay(): number
}

export function createRefreshTiming(): RefreshTiming {
  let schedules: Schedules | undefined
  let releases: number[] = []
  let serverNow = 0
  let receivedAt = 0
  return {
    observe(next, now) {
      const remembered = releases.filter((release) => release > now - RELEASE_MEMORY_MS)
      releases = [...new Set([...remembered, ...releaseInstantsOf(next)])]
      schedules = next
      serverNow = now
      receivedAt = Date.now()
    },
    failed() {
      schedules = undefined
    },
    // Elapsed time since the answer is measured on this device, the instant itself on the server.
    nextDelay: () => liveRefreshDelay({ schedules, releases, now: serverNow + (Date.now() - receivedAt) }),
  }
}
