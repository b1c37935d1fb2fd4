import type { Appointment, AppointmentStatus } from '../../../src/services/booking'
import { groupAppointments, groupOf, nextAppointment } from '../../../src/utils/appointmentGroups'

function appointment(id: string, status: AppointmentStatus, start: string): Appointment {
  return {
    id,
    status,
    statusLabel: status,
    patient: { id: 'p', name: '张秀英' },
    doctor: { id: 'd', name: '王芳', title: '主治医师' },
    department: { id: 'x', name: '皮肤科' },
    date: start.slice(0, 10),
    when: start,
    window: '09:00-09:30',
    start,
    end: start,
    number: 1,
    comesIn: true,
    location: '门诊楼 3 楼 B 区',
    feeFen: 0,
    holdExpiresAt: null,
    arriveBy: '08:50',
    message: '',
    cancel: { allowed: false, until: null, rule: '' },
    payment: null,
    notices: [],
    clinicStopped: null,
    queue: null,
    checkIn: null,
    preparation: '',
  }
}

describe('预约记录 groups', () => {
  it.each<[AppointmentStatus, 'active' | 'history']>([
    ['pending_payment', 'active'],
    ['booked', 'active'],
    ['checked_in', 'active'],
    ['completed', 'history'],
    ['no_show', 'history'],
    ['cancelled', 'history'],
    ['expired', 'history'],
  ])('%s belongs to %s', (status, group) => {
    expect(groupOf(status)).toBe(group)
  })

  it('puts unpaid holds first, then the soonest visit; history latest first', () => {
    const list = [
      appointment('later', 'booked', '2025-12-03T01:00:00.000Z'),
      appointment('old', 'completed', '2025-11-01T01:00:00.000Z'),
      appointment('soon', 'booked', '2025-12-01T01:00:00.000Z'),
      appointment('unpaid', 'pending_payment', '2025-12-05T01:00:00.000Z'),
      appointment('gone', 'cancelled', '2025-11-20T01:00:00.000Z'),
    ]
    const { active, history } = groupAppointments(list)
    expect(active.map((entry) => entry.id)).toEqual(['unpaid', 'soon', 'later'])
    expect(history.map((entry) => entry.id)).toEqual(['gone', 'old'])
    expect(list.map((entry) => entry.id)).toEqual(['later', 'old', 'soon', 'unpaid', 'gone'])
  })
})

describe('nextAppointment', () => {
  it('is the soonest visit still expected, whatever its order in the list', () => {
    const later = appointment('later', 'booked', '2026-12-05T01:00:00Z')
    const sooner = appointment('sooner', 'checked_in', '2026-12-02T01:00:00Z')
    const cancelled = appointment('cancelled', 'cancelled', '2026-12-01T01:00:00Z')
    expect(nextAppointment([later, cancelled, sooner])?.id).toBe('sooner')
  })

  it('skips an active entry the patient is no longer expected at, and is absent when nothing is ahead', () => {
    const stopped = { ...appointment('stopped', 'booked', '2026-12-02T01:00:00Z'), comesIn: false }
    expect(nextAppointment([stopped, appointment('done', 'completed', '2026-11-01T01:00:00Z')])).toBeUndefined()
    expect(nextAppointment([])).toBeUndefined()
  })
})
