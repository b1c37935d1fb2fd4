// 预约记录 in two lists: what is still ahead of the patient, and everything that is over.
import type { Appointment, AppointmentStatus } from '../services/booking'

export type AppointmentGroup = 'active' | 'history'

const ACTIVE: ReadonlySet<AppointmentStatus> = new Set(['pending_payment', 'booked', 'checked_in'])

export function groupOf(status: AppointmentStatus): AppointmentGroup {
  return ACTIVE.has(status) ? 'active' : 'history'
}

/**
 * 进行中: soonest visit first, so the next thing to do is on top; 历史: latest first, as the list
 * arrives. Unpaid holds lead 进行中 because their time runs out first.
 */
export function groupAppointments(appointments: Appointment[]): Record<AppointmentGroup, Appointment[]> {
  const active = appointments.filter((entry) => groupOf(entry.status) === 'active')
  const history = appointments.filter((entry) => groupOf(entry.status) === 'history')
  const pendingFirst = (entry: Appointment) => (entry.status === 'pending_payment' ? 0 : 1)
  active.sort((a, b) => pendingFirst(a) - pendingFirst(b) || Date.parse(a.start) - Date.parse(b.start))
  history.sort((a, b) => Date.parse(b.start) - Date.parse(a.start))
  return { active, history }
}

/** The one visit the home page shows: the soonest one the patient is still expected at, unpaid holds included. */
export function nextAppointment(appointments: Appointment[]): Appointment | undefined {
  return appointments
    .filter((entry) => groupOf(entry.status) === 'active' && entry.comesIn)
    .sort((a, b) => Date.parse(a.start) - Date.parse(b.start))[0]
}
