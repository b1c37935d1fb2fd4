// Applies the hospital's per-person quotas (domain/personQuotas.ts) to a hold: the person's visits that hold
// a place, within 90 days either side of the visit date, whichever account booked them. Call it under the
// patient's lock, with the other eligibility checks, so parallel taps cannot all pass.
import type { ObjectId } from 'mongodb';
import { catalogCache } from '../catalog/catalogCache';
import type { Context } from '../context';
import { checkPersonQuotas, NO_PERSON_QUOTAS } from '../domain/personQuotas';
import { addDays } from '../domain/releaseRules';
import { AppError } from '../errors';
import { appointmentsOf, PLACE_HOLDING_STATES } from './appointments';

export async function assertPersonQuotas(services: Pick<Context, 'db'>, patientId: ObjectId, visitDate: string): Promise<void> {
  const refusal = await personQuotaRefusal(services, patientId, visitDate);
  if (refusal) throw refusal;
}

/** Why the person may not book another visit on `visitDate`, or null. */
export async function personQuotaRefusal(services: Pick<Context, 'db'>, patientId: ObjectId, visitDate: string): Promise<AppError | null> {
  const quotas = (await catalogCache.hospital(services.db))?.personQuotas ?? NO_PERSON_QUOTAS;
  if (quotas.perVisitDay === null && quotas.per7Days === null && quotas.per3Months === null) return null;
  const visits = await appointmentsOf(services.db)
    .find(
      { patientId, status: { $in: [...PLACE_HOLDING_STATES] }, date: { $gte: addDays(visitDate, -89), $lte: addDays(visitDate, 89) } },
      { projection: { date: 1 } },
    )
    .toArray();
  const verdict = checkPersonQuotas({ quotas, existingVisitDates: visits.map((visit) => visit.date), visitDate });
  return verdict.ok ? null : new AppError(verdict.code, verdict.message);
}
