// Cloud function `booking`: hold a place, cancel, list and read appointments; a timer sweeps every
// minute (expired holds, half-finished holds). Thin entry; the work is in ./actions.
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../shared/audit';
import { ensureAppointmentIndexes } from '../shared/booking/appointments';
import { sweepBookings } from '../shared/booking/sweeper';
import { resolveDueDraws } from '../shared/booking/draws';
import { markNoShows } from '../shared/clinicDay/noShows';
import { ensureCatalogIndexes } from '../shared/catalog/catalogIndexes';
import { createMain } from '../shared/createMain';
import { runJobsOnTick, TICK_TRIGGER } from '../shared/jobs';
import { ensureRateLimitIndexes, sweepRateLimits } from '../shared/rateLimit';
import { ensurePatientIndexes } from '../shared/patients/patientRepository';
import { ensureSuspicionIndexes } from '../shared/suspicions';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { bookingActions } from './actions';

export async function prepare(db: Db): Promise<void> {
  await ensureUserIndexes(db);
  await ensurePatientIndexes(db);
  await ensureCatalogIndexes(db);
  await ensureAppointmentIndexes(db);
  await ensureAuditIndexes(db);
  await ensureRateLimitIndexes(db);
  await ensureSuspicionIndexes(db);
}

export const main = createMain('booking', bookingActions, {
  prepare,
  triggers: {
    [TICK_TRIGGER]: runJobsOnTick([
      {
        name: 'booking.sweep',
        schedule: { everyMs: 60_000 },
        leaseMs: 60_000,
        async run(context) {
          const report = { ...(await sweepBookings(context)), rateCounters: await sweepRateLimits(context.db, context.now) };
          if (Object.values(report).some((count) => count > 0)) context.log.info('booking sweep', { ...report });
          return report;
        },
      },
      {
        // 抽签放号 (X1): a draw whose window closed is resolved here if no poll got there first.
        name: 'booking.draws',
        schedule: { everyMs: 1_000 },
        leaseMs: 60_000,
        async run(context) {
          const resolved = await resolveDueDraws(context);
          if (resolved) context.log.info('draws resolved', { resolved });
          return { resolved };
        },
      },
      {
        // 爽约 (A3): booked, never checked in, session over plus the grace period.
        name: 'booking.noShows',
        schedule: { everyMs: 5 * 60_000 },
        leaseMs: 60_000,
        async run(context) {
          const report = await markNoShows(context);
          if (report.marked) context.log.info('no-shows marked', report);
          return report;
        },
      },
    ]),
  },
});
