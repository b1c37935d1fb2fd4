// Unbinding a card must not strand a booking still to come (P3, X1): see `checkUnbind` for who may
// leave when. Called under the patient's lease, which holds also take, so no hold can be written
// between this check and the removal of the link.
import type { AccountContext } from '../context';
import { checkUnbind } from '../domain/accountLimits';
import { AppError } from '../errors';
import { linksOf, type ManagedPatient } from '../patients/patientRepository';
import { appointmentsOf } from './appointments';
import { expireIfDue } from './holds';

export async function assertUnbindable(context: AccountContext, managed: ManagedPatient): Promise<void> {
  const { db, now, user } = context;
  const upcoming = await appointmentsOf(db).find({ patientId: managed.patient._id, active: true, end: { $gt: now } }).toArray();
  // An unpaid hold past its time is expired now (its place goes back) rather than blocking.
  const current = await Promise.all(upcoming.map((appointment) => expireIfDue(context, appointment)));
  const otherManagers = await linksOf(db).countDocuments({ patientId: managed.patient._id, _id: { $ne: managed.link._id } });
  const verdict = checkUnbind({
    appointments: current.map((appointment) => ({
      active: appointment.active === true,
      end: appointment.end,
      madeByCaller: appointment.createdBy.equals(user._id),
      date: appointment.date,
    })),
    otherManagers,
    now,
  });
  if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
}
