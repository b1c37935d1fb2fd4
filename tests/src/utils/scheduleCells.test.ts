import type { ScheduleDay, SchedulePeriod, Slot } from '../../../src/services/catalog'
import { dayOpensAtLabel, periodCell, slotCell, withinDays } from '../../../src/utils/scheduleCells'

const slot = (fields: Partial<Slot> = {}): Slot => ({
  id: 's1',
  start: '2025-11-29T01:00:00.000Z',
  end: '2025-11-29T01:30:00.000Z',
  window: '09:00-09:30',
  capacity: 5,
  remaining: 5,
  bookable: true,
  opensAt: null,
  opensAtLabel: null,
  extra: false,
  ...fields,
})

const session = (slots: Slot[], status: 'open' | 'stopped' = 'open'): SchedulePeriod => ({
  scheduleId: 'sch1',
  period: 'morning',
  label: '上午',
  status,
  locationId: 'opd-6a',
  feeFen: 2500,
  remaining: slots.reduce((sum, entry) => sum + entry.remaining, 0),
  slots,
})

const notReleased = { bookable: false, opensAt: '2025-11-22T23:00:00.000Z', opensAtLabel: '11月23日 07:00 放号' }
const closed = { bookable: false }

describe('a period cell of the schedule grid', () => {
  it('counts only the places that can still be booked', () => {
    expect(periodCell(session([slot({ remaining: 3 }), slot({ remaining: 2 }), slot({ ...closed, remaining: 4 })]))).toEqual({
      kind: 'open',
      text: '余 5',
      opensAtLabel: null,
    })
  })

  it('says 约满 when no place is left', () => {
    expect(periodCell(session([slot({ remaining: 0, bookable: false }), slot({ remaining: 0, bookable: false })])).text).toBe('约满')
  })

  it('says 即将放号 with the release time before the places are released', () => {
    expect(periodCell(session([slot(notReleased), slot(notReleased)]))).toEqual({
      kind: 'soon',
      text: '即将放号',
      opensAtLabel: '11月23日 07:00 放号',
    })
  })

  it('says 停诊 for a stopped session, whatever its counts', () => {
    expect(periodCell(session([slot({ remaining: 5 })], 'stopped')).text).toBe('停诊')
  })

  it('says 已停约 when places are left but booking has closed', () => {
    expect(periodCell(session([slot({ ...closed, remaining: 2 }), slot({ remaining: 0, bookable: false })])).text).toBe('已停约')
  })

  it('is empty when the doctor does not work then', () => {
    expect(periodCell(undefined).kind).toBe('none')
    expect(periodCell(session([])).kind).toBe('none')
  })
})

describe('a slot', () => {
  it('reads like its period', () => {
    expect(slotCell(slot({ remaining: 2 }), false).text).toBe('余 2')
    expect(slotCell(slot({ remaining: 0, bookable: false }), false).text).toBe('约满')
    expect(slotCell(slot(notReleased), false)).toMatchObject({ text: '即将放号', opensAtLabel: '11月23日 07:00 放号' })
    expect(slotCell(slot({ ...closed, remaining: 1 }), false).text).toBe('已停约')
    expect(slotCell(slot(), true).text).toBe('停诊')
  })
})

describe('a day', () => {
  const day = (periods: SchedulePeriod[]): ScheduleDay => ({ date: '2025-11-30', label: '11月30日 周日', periods })

  it('carries its release time only while none of its places are released', () => {
    expect(dayOpensAtLabel(day([session([slot(notReleased)]), session([slot(notReleased)])]))).toBe('11月23日 07:00 放号')
    expect(dayOpensAtLabel(day([session([slot(notReleased)]), session([slot()])]))).toBeNull()
    expect(dayOpensAtLabel(day([]))).toBeNull()
  })
})

describe('withinDays', () => {
  it.each([
    ['2025-11-22', true],
    ['2025-11-28', true],
    ['2025-11-29', false],
    ['2025-11-21', false],
    ['2025-12-05', false],
  ])('%s is among the 7 days from 2025-11-22: %s', (date, within) => {
    expect(withinDays(date, '2025-11-22', 7)).toBe(within)
  })

  it('crosses months and a year end', () => {
    expect(withinDays('2026-01-03', '2025-12-28', 7)).toBe(true)
    expect(withinDays('2026-01-04', '2025-12-28', 7)).toBe(false)
  })
})
