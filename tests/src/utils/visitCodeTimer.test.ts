// The visit code countdown trusts the server's expiry only while the phone's clock agrees with it.
import { formatCountdown, VISIT_CODE_LIFETIME_MS, visitCodeDeadline } from '../../../src/utils/visitCodeTimer'

const received = Date.parse('2026-11-26T02:00:00.000Z')
const at = (ms: number) => new Date(received + ms).toISOString()

describe('visitCodeDeadline', () => {
  it.each([
    ['the clocks agree', at(VISIT_CODE_LIFETIME_MS), received + VISIT_CODE_LIFETIME_MS],
    ['the answer took two seconds', at(VISIT_CODE_LIFETIME_MS - 2000), received + VISIT_CODE_LIFETIME_MS - 2000],
    ['the phone runs a minute fast', at(VISIT_CODE_LIFETIME_MS - 60_000), received + VISIT_CODE_LIFETIME_MS - 60_000],
    ['the phone runs an hour fast (already "expired")', at(-3_600_000), received + VISIT_CODE_LIFETIME_MS],
    ['the phone runs a minute slow', at(VISIT_CODE_LIFETIME_MS + 60_000), received + VISIT_CODE_LIFETIME_MS],
    ['the expiry is unreadable', 'soon', received + VISIT_CODE_LIFETIME_MS],
  ])('%s', (_, expiresAt, deadline) => {
    expect(visitCodeDeadline(expiresAt, received)).toBe(deadline)
  })
})

describe('formatCountdown', () => {
  it.each([
    [300_000, '5:00'],
    [299_001, '5:00'],
    [299_000, '4:59'],
    [65_000, '1:05'],
    [1, '0:01'],
    [0, '0:00'],
    [-5000, '0:00'],
  ])('%i ms -> %s', (ms, text) => {
    expect(formatCountdown(ms)).toBe(text)
  })
})
