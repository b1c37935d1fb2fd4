// What one period or one slot of a doctor's schedule grid says: places left, full, not yet released, stopped.
import type { ScheduleDay, SchedulePeriod, Slot } from '../services/catalog'

export type CellKind = 'open' | 'full' | 'soon' | 'stopped' | 'closed' | 'none'

export interface CellState {
  kind: CellKind
  /** The short word in the cell: 余 12, 约满, 即将放号, 停诊, 已停约. */
  text: string
  /** For a period not released yet: 11月29日 07:00 放号. */
  opensAtLabel: string | null
}

const NONE: CellState = { kind: 'none', text: '无', opensAtLabel: null }

export function bookableRemaining(slots: Slot[]): number {
  return slots.filter((slot) => slot.bookable).reduce((sum, slot) => sum + slot.remaining, 0)
}

/** A period without a session (the doctor does not work then) is `none`. */
export function periodCell(period: SchedulePeriod | undefined): CellState {
  if (!period || period.slots.length === 0) return NONE
  if (period.status === 'stopped') return { kind: 'stopped', text: '停诊', opensAtLabel: null }
  const left = bookableRemaining(period.slots)
  if (left > 0) return { kind: 'open', text: `余 ${left}`, opensAtLabel: null }
  const unreleased = period.slots.find((slot) => slot.opensAtLabel)
  if (unreleased) return { kind: 'soon', text: '即将放号', opensAtLabel: unreleased.opensAtLabel }
  if (period.slots.every((slot) => slot.remaining === 0)) return { kind: 'full', text: '约满', opensAtLabel: null }
  // Places are left but booking has closed: the session has started or is about to.
  return { kind: 'closed', text: '已停约', opensAtLabel: null }
}

export function slotCell(slot: Slot, stopped: boolean): CellState {
  if (stopped) return { kind: 'stopped', text: '停诊', opensAtLabel: null }
  if (slot.bookable) return { kind: 'open', text: `余 ${slot.remaining}`, opensAtLabel: null }
  if (slot.opensAtLabel) return { kind: 'soon', text: '即将放号', opensAtLabel: slot.opensAtLabel }
  if (slot.remaining === 0) return { kind: 'full', text: '约满', opensAtLabel: null }
  return { kind: 'closed', text: '已停约', opensAtLabel: null }
}

/** The release label of a day none of whose places can be booked yet; null once any are released. */
export function dayOpensAtLabel(day: ScheduleDay): string | null {
  const slots = day.periods.flatMap((period) => period.slots)
  if (slots.some((slot) => !slot.opensAtLabel)) return null
  return slots[0]?.opensAtLabel ?? null
}

const DAY_MS = 24 * 60 * 60 * 1000
const calendarMs = (date: string) => Date.parse(`${date}T00:00:00Z`)

/** Whether `date` is among the `count` calendar days starting at `from` (both YYYY-MM-DD). */
export function withinDays(date: string, from: string, count: number): boolean {
  const offset = Math.round((calendarMs(date) - calendarMs(from)) / DAY_MS)
  return offset >= 0 && offset < count
}
