// Doctor-page schedules as the catalog returns them, shaped for the refresh-timing tests.
import type { Schedules, Slot } from '../../../src/services/catalog'

export interface FixtureSession {
  /** Places left per slot. */
  remaining: number[]
  /** ISO release instant while the session is not released yet. */
  opensAt?: string
  status?: 'open' | 'stopped'
}

export function schedulesOf(...sessions: FixtureSession[]): Schedules {
  return {
    from: '2026-11-22',
    to: '2026-12-05',
    days: sessions.map((session, index) => {
      const date = `2026-11-${String(23 + index).padStart(2, '0')}`
      const slots: Slot[] = session.remaining.map((remaining, slot) => ({
        id: `${date}-${slot}`,
        start: `${date}T01:00:00.000Z`,
        end: `${date}T01:30:00.000Z`,
        window: '09:00-09:30',
        capacity: Math.max(remaining, 1),
        remaining,
        bookable: !session.opensAt && remaining > 0,
        opensAt: session.opensAt ?? null,
        opensAtLabel: session.opensAt ? '11月23日 07:00 放号' : null,
        extra: false,
      }))
      const remaining = slots.reduce((sum, slot) => sum + slot.remaining, 0)
      return {
        date,
        label: `11月${23 + index}日`,
        periods: [{ scheduleId: `s-${date}`, period: 'morning', label: '上午', status: session.status ?? 'open', locationId: 'opd-3b', feeFen: 0, remaining, slots }],
      }
    }),
  }
}
