// Cloud function `admin`: catalog and schedule management for hospital staff; a daily timer keeps
// 14 days of schedules generated ahead. Thin entry; the work is in ./actions.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../shared/audit';
import { ensureAppointmentIndexes } from '../shared/booking/appointments';
import { ensureClinicJobIndexes } from '../shared/clinicDay/clinicJobs';
import { resumeClinicJobs } from '../shared/clinicDay/runClinicJob';
import { ensureCatalogIndexes } from '../shared/catalog/catalogIndexes';
import { generateSchedules } from '../shared/catalog/generateSchedules';
import { createMain } from '../shared/createMain';
import { runJobsOnTick, TICK_TRIGGER } from '../shared/jobs';
import { ensureNoticeIndexes } from '../shared/notices/noticeRepository';
import { ensureScriptingSignsIndexes } from '../shared/scriptingSigns';
import { ensureSuspicionIndexes } from '../shared/suspicions';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { adminActions } from './actions';

dayjs.extend(utc);
dayjs.extend(timezone);

export const SCHEDULE_DAYS_AHEAD = 14;

/** Below the tick job's own lease (60 s), so one tick ends before the next may start. */
const CLINIC_TICK_BUDGET_MS = 40_000;

export async function prepare(db: Db): Promise<void> {
  await ensureUserIndexes(db);
  await ensureCatalogIndexes(db);
  await ensureAuditIndexes(db);
  await ensureSuspicionIndexes(db);
  await ensureScriptingSignsIndexes(db);
  await ensureAppointmentIndexes(db);
  await ensureClinicJobIndexes(db);
  await ensureNoticeIndexes(db);
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
      {
        // Stop-clinic and substitute jobs whose runner died or ran out of time carry on here (A2).
        name: 'admin.clinicJobs',
        schedule: { everyMs: 60_000 },
        leaseMs: 60_000,
        async run(context) {
          const report = await resumeClinicJobs(context, CLINIC_TICK_BUDGET_MS);
          if (report.resumed) context.log.info('clinic jobs resumed', report);
          return report;
        },
      },
    ]),
  },
});
