// Cloud function `admin`: catalog and schedule management for hospital staff; a daily timer keeps
// 14 days of schedules generated ahead. Thin entry; the work is in ./actions.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../shared/audit';
import { ensureCatalogIndexes } from '../shared/catalog/catalogIndexes';
import { generateSchedules } from '../shared/catalog/generateSchedules';
import { createMain } from '../shared/createMain';
import { runJobsOnTick, TICK_TRIGGER } from '../shared/jobs';
import { ensureSuspicionIndexes } from '../shared/suspicions';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { adminActions } from './actions';

dayjs.extend(utc);
dayjs.extend(timezone);

export const SCHEDULE_DAYS_AHEAD = 14;

export async function prepare(db: Db): Promise<void> {
  await ensureUserIndexes(db);
  await ensureCatalogIndexes(db);
  await ensureAuditIndexes(db);
  await ensureSuspicionIndexes(db);
}

export const main = createMain('admin', adminActions, {
  prepare,
  triggers: {
    [TICK_TRIGGER]: runJobsOnTick([
      {
        name: 'admin.generateAhead',
        schedule: { dailyAt: '00:30' },
        leaseMs: 5 * 60_000,
        async run(context) {
          const today = dayjs(context.now).tz(context.config.timeZone);
          const report = await generateSchedules(context.db, {
            from: today.format('YYYY-MM-DD'),
            to: today.add(SCHEDULE_DAYS_AHEAD - 1, 'day').format('YYYY-MM-DD'),
            timeZone: context.config.timeZone,
            now: context.now,
          });
          context.log.info('schedules generated ahead', { ...report, keptWithBookings: report.keptWithBookings.length });
          return { created: report.created, keptWithBookings: report.keptWithBookings.length };
        },
      },
    ]),
  },
});
