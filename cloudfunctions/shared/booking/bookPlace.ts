// The booked path's decision, shared by a hold and by a draw's winners: every check and the write
// under the account's day lease and the patient's lease, so parallel taps cannot pass the quotas.
import { penaltyRefusal } from '../clinicDay/noShows';
import type { AccountContext } from '../context';
import type { ManagedPatient } from '../patients/patientRepository';
import { appointmentsOf, type AppointmentDoc } from './appointments';
import { assertEligible, bookingCounts, completeHold, insertHolding, type SlotContext } from './holds';
import { withLeases } from './lease';
import { patientLease } from './patientLock';
import { bookerDayLease, peopleBookedOnDay, refusePeopleOnDay, stillManagedRefusal } from './peoplePerDay';
import { personQuotaRefusal } from './personQuotaGuard';

/**
 * A fresh hold decided under the leases and completed (the place claimed, `completeHold`) while they are given
 * back: booked, pending payment or failed (full). Or the appointment an earlier call with the same requestId
 * already made, as it stands.
 */
export function decideUnderLeases(context: AccountContext, managed: Pick<ManagedPatient, 'patient' | 'link'>, target: SlotContext, requestId: string): Promise<{ replay?: AppointmentDoc; finished?: AppointmentDoc }> {
  // The account's day lease, then the patient's: taken together; the place is claimed while they are given back.
  return withLeases(
    context.db,
    [bookerDayLease(context, target.slot.date), patientLease(managed.patient._id)],
    () => decide(context, managed, target, requestId),
    async ({ replay, holding }) => (holding ? { finished: await completeHold(context, holding) } : { replay }),
  );
}

/** Under both leases: a fresh 'holding' appointment, or the one an earlier call with the same requestId made. */
async function decide(context: AccountContext, managed: Pick<ManagedPatient, 'patient' | 'link'>, target: SlotContext, requestId: string): Promise<{ replay?: AppointmentDoc; holding?: AppointmentDoc }> {
  const patientId = managed.patient._id;
  const { date } = target.slot;
  // Nothing below writes before the hold itself, and the leases keep this account's and this card's other
  // holds out: every check reads at once (one wait on release morning, not six), then they are judged in
  // the order a patient should hear them.
  const [earlier, unmanaged, restricted, overQuota, bookings, booked] = await Promise.all([
    // The same request may have been made by a retry that held the lease before us.
    appointmentsOf(context.db).findOne({ createdBy: context.user._id, requestId }),
    stillManagedRefusal(context, managed.link),
    // No-show penalties follow the person, whichever account books (A3).
    penaltyRefusal(context, patientId),
    personQuotaRefusal(context, patientId, date),
    bookingCounts(context, patientId, target),
    peopleBookedOnDay(context, date),
  ]);
  if (earlier) return { replay: earlier };
  const refusal = unmanaged ?? restricted ?? overQuota;
  if (refusal) throw refusal;
  assertEligible(context, managed.patient, managed.link.role, target, bookings);
  await refusePeopleOnDay(context, patientId, date, booked);
  return { holding: await insertHolding(context, { requestId, patient: managed.patient, target }) };
}
