// Cloud function `payment`: prepay for a held appointment, WeChat Pay notifications over HTTP
// access, a sweep (HIS confirmations, refunds in flight) and the daily T+1 reconciliation at 10:30.
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../shared/audit';
import { ensureAppointmentIndexes } from '../shared/booking/appointments';
import { createMain } from '../shared/createMain';
import { runJobsOnTick, TICK_TRIGGER } from '../shared/jobs';
import { ensurePatientIndexes } from '../shared/patients/patientRepository';
import { ensurePaymentAlertIndexes } from '../shared/payment/paymentAlerts';
import { ensurePaymentIndexes } from '../shared/payment/payments';
import { reconcileDueDays } from '../shared/payment/reconcileJob';
import { sweepPayments } from '../shared/payment/sweep';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { paymentActions } from './actions';
import { handleNotification } from './notify';

export async function prepare(db: Db): Promise<void> {
  await ensureUserIndexes(db);
  await ensurePatientIndexes(db);
  await ensureAppointmentIndexes(db);
  await ensurePaymentIndexes(db);
  await ensurePaymentAlertIndexes(db);
  await ensureAuditIndexes(db);
}

export const main = createMain('payment', paymentActions, {
  prepare,
  http: handleNotification,
  triggers: {
    [TICK_TRIGGER]: runJobsOnTick([
      {
        name: 'payment.sweep',
        schedule: { everyMs: 60_000 },
        leaseMs: 60_000,
        async run(context) {
          const report = await sweepPayments(context);
          if (Object.values(report).some((count) => count > 0)) context.log.info('payment sweep', { ...report });
          return { ...report };
        },
      },
      // T+1: WeChat Pay's bill for a day is ready after 10:00 the next day.
      { name: 'payment.reconcile', schedule: { dailyAt: '10:30' }, leaseMs: 10 * 60_000, run: reconcileDueDays },
    ]),
  },
});
