// 替诊 (A2): one appointment moves to the substitute doctor's session at the same time, taking a new place
// (and so a number no one else holds there) before giving the old one back. When the substitute's session
// has no room, or the patient already sees that doctor that day, the appointment is stopped instead.
// The move is written in one conditional update carrying `substitution`, so a rerun knows it is done.
// A registration the HIS holds is moved there first (keyed by our appointment id, so a rerun repeats it
// harmlessly); when the HIS cannot, nothing changes here and the item is left failed for a retry.
import type { ObjectId } from 'mongodb';
import { appointmentsOf, claimPlace, releasePlace, type AppointmentDoc } from '../booking/appointments';
import { isDuplicateKey } from '../booking/holds';
import { catalogCache } from '../catalog/catalogCache';
import { slotsOf } from '../catalog/collections';
import type { SlotDoc } from '../catalog/model';
import { scheduleCache } from '../catalog/scheduleCache';
import { AppError } from '../errors';
import { HisError } from '../his/his';
import { orderOfAppointment } from '../payment/payments';
import type { Services } from '../payment/settlement';
import type { ClinicJobDoc, ItemDone } from './clinicJobs';
import { noticeSubstitute } from './notices';
import { stopAppointment, visitWhen } from './stopAppointment';

export interface SubstitutionMark {
  jobId: ObjectId;
  fromDoctorId: ObjectId;
  fromSlotId: ObjectId;
  fromNumber: number | null;
  reason: string;
}

declare module '../booking/appointments' {
  interface AppointmentDoc {
    /** Set when a substitute-doctor job moved it; the patient may then cancel whatever the cutoff. */
    substitution?: SubstitutionMark;
  }
}

declare module './clinicJobs' {
  interface ClinicJobDoc {
    /** For a substitute job: each stopped session (hex id) -> the substitute's session on the same date and period. */
    targets?: Record<string, ObjectId>;
  }
}

/** The slot at the same start if it has room, else the one nearest in time that has. */
function pickSlot(slots: SlotDoc[], start: Date): SlotDoc | undefined {
  return slots
    .filter((slot) => slot.remaining > 0)
    .sort((a, b) => Math.abs(a.start.getTime() - start.getTime()) - Math.abs(b.start.getTime() - start.getTime()) || a.start.getTime() - b.start.getTime())[0];
}

/**
 * Tells the HIS the registration now belongs to the substitute's place. Only paid bookings are registered
 * there; one whose confirmation is still under way (his.status 'pending') may not be yet, and its
 * confirmation reads the moved appointment, so "unknown" is fine for it.
 */
async function moveInHis(services: Services, appointment: AppointmentDoc, slot: SlotDoc, number: number): Promise<void> {
  const payment = await orderOfAppointment(services.db, appointment._id);
  if (payment?.status !== 'paid' || (payment.his?.status !== 'confirmed' && payment.his?.status !== 'pending')) return;
  try {
    await services.his.moveRegistration({
      bookingId: appointment._id.toHexString(),
      doctorId: slot.doctorId.toHexString(),
      departmentId: appointment.departmentId.toHexString(),
      date: appointment.date,
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
      number,
    });
  } catch (error) {
    if (!(error instanceof HisError) || error.kind !== 'refused') throw error;
    if (error.hisCode === 'UNKNOWN_REGISTRATION' && payment.his.status === 'pending') return;
    throw new AppError('HIS_REFUSED_MOVE');
  }
}

async function tell(services: Services, job: ClinicJobDoc, moved: AppointmentDoc): Promise<void> {
  const from = await catalogCache.doctor(services.db, moved.substitution!.fromDoctorId);
  await noticeSubstitute(services, {
    appointment: moved,
    jobId: job._id,
    when: visitWhen(moved, services.config.timeZone),
    fromDoctorName: from?.name ?? '',
    toDoctorName: job.substitute!.doctorName,
    toTitle: job.substitute!.title,
    reason: job.reason,
    number: moved.number,
  });
}

export async function substituteAppointment(services: Services, job: ClinicJobDoc, appointment: AppointmentDoc): Promise<Omit<ItemDone, 'at'>> {
  const { db } = services;
  if (appointment.substitution?.jobId.equals(job._id)) {
    // Moved by an earlier run: the old place may still be held if that run died right after the move.
    if (await releasePlace(db, appointment.substitution.fromSlotId, appointment._id, appointment.substitution.fromNumber)) scheduleCache.invalidateDoctor(appointment.substitution.fromDoctorId);
    await tell(services, job, appointment);
    return { outcome: 'moved', refunded: false, number: appointment.number };
  }
  if (appointment.clinicStop || appointment.status === 'holding' || appointment.active !== true) return stopAppointment(services, job, appointment);

  const targetId = job.targets?.[appointment.scheduleId.toHexString()];
  const slots = targetId ? await slotsOf(db).find({ scheduleId: targetId }).toArray() : [];
  // A run that died between claiming and moving left a place without its number written anywhere: give it back first.
  for (const slot of slots.filter((entry) => entry.holders.some((holder) => holder.equals(appointment._id)))) await releasePlace(db, slot._id, appointment._id, null);
  const slot = pickSlot(await slotsOf(db).find({ scheduleId: targetId }).toArray(), appointment.start);
  const number = slot ? await claimPlace(db, slot._id, appointment._id) : null;
  if (!slot || number === null) return stopAppointment(services, job, appointment);
  try {
    await moveInHis(services, appointment, slot, number);
  } catch (error) {
    await releasePlace(db, slot._id, appointment._id, number);
    throw error;
  }

  const substitution: SubstitutionMark = { jobId: job._id, fromDoctorId: appointment.doctorId, fromSlotId: appointment.slotId, fromNumber: appointment.number, reason: job.reason };
  let moved: AppointmentDoc | null;
  try {
    moved = await appointmentsOf(db).findOneAndUpdate(
      { _id: appointment._id, slotId: appointment.slotId, status: appointment.status, active: true },
      { $set: { slotId: slot._id, scheduleId: slot.scheduleId, doctorId: slot.doctorId, number, start: slot.start, end: slot.end, substitution, updatedAt: services.now } },
      { returnDocument: 'after' },
    );
  } catch (error) {
    if (!isDuplicateKey(error, 'one_per_doctor_day')) throw error;
    moved = null;
  }
  if (!moved) {
    // Already booked with the substitute that day, or cancelled meanwhile: the new place goes back.
    await releasePlace(db, slot._id, appointment._id, number);
    const now = await appointmentsOf(db).findOne({ _id: appointment._id });
    return now?.active ? stopAppointment(services, job, now) : { outcome: 'skipped', refunded: false, number: now?.number ?? null };
  }
  await releasePlace(db, appointment.slotId, appointment._id, appointment.number);
  scheduleCache.invalidateDoctor(appointment.doctorId);
  scheduleCache.invalidateDoctor(slot.doctorId);
  await tell(services, job, moved);
  return { outcome: 'moved', refunded: false, number };
}
