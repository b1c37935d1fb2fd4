import { latestDue, retryDelayMs } from '../../../../cloudfunctions/shared/domain/jobSchedule';

const ZONE = 'Asia/Shanghai';

describe('latestDue', () => {
  it.each([
    // Daily at 10:30 Beijing time = 02:30 UTC.
    ['2026-12-01T02:29:59Z', { dailyAt: '10:30' }, '2026-11-30T02:30:00.000Z'],
    ['2026-12-01T02:30:00Z', { dailyAt: '10:30' }, '2026-12-01T02:30:00.000Z'],
    ['2026-12-01T15:59:59Z', { dailyAt: '10:30' }, '2026-12-01T02:30:00.000Z'],
    // 00:30 Beijing is 16:30 UTC the day before.
    ['2026-12-01T16:29:00Z', { dailyAt: '00:30' }, '2026-11-30T16:30:00.000Z'],
    ['2026-12-01T16:30:00Z', { dailyAt: '00:30' }, '2026-12-01T16:30:00.000Z'],
    ['2026-12-01T16:00:00Z', { dailyAt: '00:30' }, '2026-11-30T16:30:00.000Z'],
    // Every minute and every 10 s.
    ['2026-12-01T02:30:59.999Z', { everyMs: 60_000 }, '2026-12-01T02:30:00.000Z'],
    ['2026-12-01T02:31:00Z', { everyMs: 60_000 }, '2026-12-01T02:31:00.000Z'],
    ['2026-12-01T02:31:19Z', { everyMs: 10_000 }, '2026-12-01T02:31:10.000Z'],
  ] as const)('at %s, %j was last due at %s', (now, schedule, due) => {
    expect(latestDue(schedule, new Date(now), ZONE).toISOString()).toBe(due);
  });
});

it.each([
  [1, 1],
  [2, 2],
  [3, 4],
  [7, 60],
  [30, 60],
])('after %i failures a job waits %i minutes', (failures, minutes) => {
  expect(retryDelayMs(failures)).toBe(minutes * 60_000);
});
