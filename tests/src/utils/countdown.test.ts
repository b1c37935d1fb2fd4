import { formatClockIn, formatCountdown, msUntil } from '../../../src/utils/countdown'

describe('the payment countdown', () => {
  it.each([
    [600_000, '10:00'],
    [599_400, '10:00'],
    [599_000, '09:59'],
    [61_000, '01:01'],
    [60_000, '01:00'],
    [59_001, '01:00'],
    [1_000, '00:01'],
    [1, '00:01'],
    [0, '00:00'],
    [-5_000, '00:00'],
  ])('%i ms left reads %s (rounded up: 00:00 only once the time is really up)', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text)
  })

  it('shows holds longer than an hour in minutes', () => {
    expect(formatCountdown(90 * 60_000)).toBe('90:00')
  })

  it('counts from now to the deadline and never below zero', () => {
    const now = Date.parse('2025-11-29T01:00:00.000Z')
    expect(msUntil('2025-11-29T01:10:00.000Z', now)).toBe(600_000)
    expect(msUntil('2025-11-29T00:59:59.000Z', now)).toBe(0)
  })
})

describe('the deadline as a clock time in the hospital zone', () => {
  it.each([
    ['2025-11-29T01:10:00.000Z', '09:10'],
    ['2025-11-29T15:59:00.000Z', '23:59'],
    // Past midnight in China while still the previous day in UTC.
    ['2025-11-29T16:05:00.000Z', '00:05'],
  ])('%s is %s in Asia/Shanghai', (iso, clock) => {
    expect(formatClockIn(iso)).toBe(clock)
  })

  it('follows the zone it is given', () => {
    expect(formatClockIn('2025-11-29T01:10:00.000Z', 'UTC')).toBe('01:10')
  })
})
