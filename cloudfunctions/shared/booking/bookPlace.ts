// The booked path's decision, shared by a hold and by a draw's winners: every check and the write
// under the account's day lease and the patient's lease, so parallel taps cannot pass the quotas.
import { assertNoPenalty } from '../clinicDay/noShows';
import type { AccountContext } from '../context';
import type { ManagedPatient } from '../patients/patientRepository';
import { appointmentsOf, type AppointmentDoc } from './appointments';
import { assertEligible, bookingCounts, insertHolding, type SlotContext } from './holds';
import { withPatientLock } from './patientLock';
import { assertPeopleOnDay, assertStillManaged, withBookerDayLease } from './peoplePerDay';
import { assertPersonQuotas } from './personQuotaGuard';

/** A fresh 'holding' appointment, or the one an earlier call with the same requestId already made. */
export function decideUnderLeases(context: AccountContext, managed: Pick<ManagedPatient, 'patient' | 'link'>, target: SlotContext, requestId: string): Promise<{ replay?: AppointmentDoc; holding?: AppointmentDoc }> {
  return withBookerDayLease(context, target.slot.date, () =>
    withPatientLock(context.db, managed.patient._id, async () => {
      // The same request may have been made by a retry that held the lease before us.
      const earlier = await appointmentsOf(context.db).findOne({ createdBy: context.user._id, requestId });
      if (earlier) return { replay: earlier };
      await assertStillManaged(context, managed.link);
      // No-show penalties follow the person, whichever account books (A3).
      await assertNoPenalty(context, managed.patient._id);
      await assertPersonQuotas(context, managed.patient._id, target.slot.date);
      assertEligible(context, managed.patient, managed.link.role, target, await bookingCounts(context, managed.patient._id, target));
      await assertPeopleOnDay(context, managed.patient._id, target.slot.date);
      return { holding: await insertHolding(context, { requestId, patient: managed.patient, target }) };
    }),
  );
}
