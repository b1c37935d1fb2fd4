import { cronMatches, parseCron } from '../../../cloudfunctions/local/cron';

// Instants are written in UTC; WeChat reads trigger schedules in China time (UTC+8).
const at = (iso: string) => new Date(iso);

describe('7-field cron of WeChat timer triggers', () => {
  it.each([
    ['0 * * * * * *', '2026-11-22T01:05:00Z', true],
    ['0 * * * * * *', '2026-11-22T01:05:01Z', false],
    ['*/15 * * * * * *', '2026-11-22T01:05:45Z', true],
    ['*/15 * * * * * *', '2026-11-22T01:05:44Z', false],
    // 10:30 Beijing time is 02:30 UTC: the daily reconciliation slot.
    ['0 30 10 * * * *', '2026-11-22T02:30:00Z', true],
    ['0 30 10 * * * *', '2026-11-22T10:30:00Z', false],
    // 07:00 on Monday in Beijing is still Sunday 23:00 UTC.
    ['0 0 7 * * MON *', '2026-11-22T23:00:00Z', true],
    ['0 0 7 * * 1 *', '2026-11-22T23:00:00Z', true],
    ['0 0 7 * * 0 *', '2026-11-22T23:00:00Z', false],
    ['0 0 0 1 JAN * 2027', '2026-12-31T16:00:00Z', true],
    ['0 0 0 1 1 * 2026', '2026-12-31T16:00:00Z', false],
    ['0 0 8-18 * * 1-5 *', '2026-11-23T10:00:00Z', true],
    ['0 0 8-18 * * 1-5 *', '2026-11-23T11:00:00Z', false],
    ['0,30 * * * * * *', '2026-11-22T01:05:30Z', true],
  ])('%s at %s -> %s', (expression, iso, expected) => {
    expect(cronMatches(parseCron(expression), at(iso))).toBe(expected);
  });

  it.each(['* * * * *', '60 * * * * * *', '0 0 25 * * * *', '0 0 0 1 13 * *', '0 */0 * * * * *', '0 5-1 * * * * *', 'a b c d e f g'])(
    'rejects %s',
    (expression) => {
      expect(() => parseCron(expression)).toThrow();
    },
  );
});
