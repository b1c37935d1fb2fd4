// Admin dates are hospital calendar days, whatever zone the phone is in: the generation fortnight and the reconciliation day.
import { defaultGenerateRange, defaultNoticeDates, defaultReconciliationDate, hospitalToday, isCalendarDate } from '../../../../src/admin/utils/dateRange'

describe('defaultGenerateRange', () => {
  it('starts on the hospital date, not the UTC one', () => {
    // 2026-11-26 17:30 UTC is already 11-27 01:30 in Shanghai.
    expect(defaultGenerateRange(new Date('2026-11-26T17:30:00Z'), 'Asia/Shanghai')).toEqual({ from: '2026-11-27', to: '2026-12-10' })
    expect(defaultGenerateRange(new Date('2026-11-26T15:59:00Z'), 'Asia/Shanghai')).toEqual({ from: '2026-11-26', to: '2026-12-09' })
  })
})

describe('reconciliation dates', () => {
  it('defaults to yesterday on the hospital calendar', () => {
    // 2026-11-26 16:30 UTC is already 11-27 00:30 in Shanghai, so yesterday is 11-26.
    expect(defaultReconciliationDate(new Date('2026-11-26T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-26')
    expect(defaultReconciliationDate(new Date('2026-11-26T15:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-25')
    expect(defaultReconciliationDate(new Date('2027-01-01T01:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-31')
    expect(hospitalToday(new Date('2026-11-26T16:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-27')
  })

  it('accepts only real calendar dates from a page query', () => {
    expect(isCalendarDate('2026-11-27')).toBe(true)
    expect(isCalendarDate('2028-02-29')).toBe(true)
    expect(isCalendarDate('2026-02-30')).toBe(false)
    expect(isCalendarDate('2026-1-5')).toBe(false)
    expect(isCalendarDate('yesterday')).toBe(false)
    expect(isCalendarDate('')).toBe(false)
    expect(isCalendarDate(undefined)).toBe(false)
  })
})

describe('defaultNoticeDates', () => {
  it('shows a new notice from the hospital today for a week, the last day included', () => {
    // 2026-12-28 17:00 UTC is already 12-29 01:00 in Shanghai; the week crosses the new year.
    expect(defaultNoticeDates(new Date('2026-12-28T17:00:00Z'), 'Asia/Shanghai')).toEqual({ from: '2026-12-29', until: '2027-01-05' })
    expect(defaultNoticeDates(new Date('2026-12-28T15:00:00Z'), 'Asia/Shanghai')).toEqual({ from: '2026-12-28', until: '2027-01-04' })
  })
})
