// Finding a slot in a doctor's live schedule by id: the confirm sheet follows the latest counts, and a
// "full" answer's alternative (or a link) names a slot by id only.
import type { ScheduleDay, SchedulePeriod, Slot } from '../services/catalog'

export interface FoundSlot {
  day: ScheduleDay
  session: SchedulePeriod
  slot: Slot
}

export function findSlot(days: ScheduleDay[], slotId: string): FoundSlot | undefined {
  for (const day of days) {
    for (const session of day.periods) {
      const slot = session.slots.find((entry) => entry.id === slotId)
      if (slot) return { day, session, slot }
    }
  }
  return undefined
}
