// Holding a place, giving it back (B2, B4): the steps every booking path shares.
import { MongoServerError, ObjectId } from 'mongodb';
import { catalogCache } from '../catalog/catalogCache';
import { schedulesOf, slotsOf } from '../catalog/collections';
import type { DepartmentDoc, DoctorDoc, SlotDoc } from '../catalog/model';
import { rulesForDepartment, type DepartmentRules } from '../catalog/rules';
import { scheduleCache } from '../catalog/scheduleCache';
import type { AccountContext } from '../context';
import { checkCancellation } from '../domain/cancellation';
import { checkEligibility, type EligibilityResult, type PatientBookingCounts } from '../domain/eligibility';
import { addDays, dateIn, formatOpensAt, slotBookability } from '../domain/releaseRules';
import { AppError } from '../errors';
import { recordAudit } from '../audit';
import type { PatientDoc } from '../patients/patientRepository';
import { prepareCancellation, refundCancelled, settleBeforeExpiry, type Services } from '../payment/settlement';
import { queueBookingConfirmed, queueCancelled } from '../messages/events';
import { appointmentsOf, claimPlace, releasePlace, type AppointmentDoc } from './appointments';

export interface SlotContext {
  slot: SlotDoc;
  doctor: DoctorDoc;
  department: DepartmentDoc;
  rules: DepartmentRules;
  feeFen: number;
  locationId: string;
}

/** The slot with what a booking needs to judge it; NOT_FOUND for an unknown slot. */
export async function loadSlot(context: AccountContext, slotId: ObjectId): Promise<SlotContext> {
  const slot = await slotsOf(context.db).findOne({ _id: slotId });
  if (!slot) throw new AppError('NOT_FOUND', '没有找到这个号源，请返回医生主页刷新后再选。');
  const [schedule, doctor, departments] = await Promise.all([
    schedulesOf(context.db).findOne({ _id: slot.scheduleId }),
    catalogCache.doctor(context.db, slot.doctorId),
    catalogCache.departments(context.db),
  ]);
  const department = departments.find((entry) => entry._id.equals(slot.departmentId));
  if (!schedule || !doctor || !department) throw new AppError('NOT_FOUND', '没有找到这个号源，请返回医生主页刷新后再选。');
  if (schedule.status !== 'open') throw new AppError('SLOT_CLOSED', '这位医生这次出诊已停诊，请选择其他时间或其他医生。');
  return { slot, doctor, department, rules: await rulesForDepartment(context, department), feeFen: schedule.feeFen, locationId: schedule.locationId };
}

/** Why the slot cannot be booked now (outside the release window, past its cutoff), or null when it can. */
export function bookingRefusal(context: Pick<AccountContext, 'now'>, target: SlotContext): AppError | null {
  const { slot, rules } = target;
  // A place given at the desk to one card stays that card's, also once it is given back.
  if (slot.extra?.heldFor) return new AppError('SLOT_FULL', '这个加号是医院窗口为指定患者预留的，请选择其他时段。');
  const check = slotBookability({ slotStart: slot.start, slotDate: slot.date, rules: rules.release, timeZone: rules.timeZone, now: context.now });
  if (check.bookable) return null;
  if (check.reason === 'not_released') {
    return new AppError('NOT_RELEASED', `这个时段的号将在${formatOpensAt(check.opensAt, rules.timeZone)}，请到时再来预约。`);
  }
  return new AppError('SLOT_CLOSED');
}

/** Refuses a slot outside the release window or past its booking cutoff, saying when it opens or closed. */
export function assertBookable(context: Pick<AccountContext, 'now'>, target: SlotContext): void {
  const refusal = bookingRefusal(context, target);
  if (refusal) throw refusal;
}

/** Counts the patient's active appointments for the eligibility rules (B1). */
export async function bookingCounts(context: AccountContext, patientId: ObjectId, target: SlotContext): Promise<PatientBookingCounts> {
  const today = dateIn(context.now, target.rules.timeZone);
  const [active, noShows] = await Promise.all([
    appointmentsOf(context.db).find({ patientId, active: true }).toArray(),
    appointmentsOf(context.db)
      .find({ patientId, status: 'no_show', noShowWaiver: { $exists: false }, date: { $gte: addDays(today, -2 * target.rules.eligibility.restriction.withinDays - 1) } })
      .toArray(),
  ]);
  const onDate = active.filter((appointment) => appointment.date === target.slot.date);
  return {
    onDate: onDate.length,
    inDepartmentOnDate: onDate.filter((appointment) => appointment.departmentId.equals(target.slot.departmentId)).length,
    withDoctorOnDate: onDate.filter((appointment) => appointment.doctorId.equals(target.slot.doctorId)).length,
    active: active.length,
    noShowDates: noShows.map((appointment) => appointment.date),
  };
}

export function assertEligible(context: AccountContext, patient: PatientDoc, relation: 'owner' | 'manager', target: SlotContext, bookings: PatientBookingCounts): void {
  const verdict = eligibilityVerdict(context, patient, relation, target, bookings);
  if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
}

/** The B1 verdict for this card and slot: what the hold enforces and the confirm sheet shows before the tap. */
export function eligibilityVerdict(
  context: AccountContext,
  patient: PatientDoc,
  relation: 'owner' | 'manager',
  target: SlotContext,
  bookings: PatientBookingCounts,
): EligibilityResult {
  return checkEligibility({
    rules: target.rules.eligibility,
    departmentName: target.department.name,
    patient,
    relation,
    visitDate: target.slot.date,
    today: dateIn(context.now, target.rules.timeZone),
    bookings,
  });
}

export const isDuplicateKey = (error: unknown, index: string) => error instanceof MongoServerError && error.code === 11000 && error.message.includes(index);

/**
 * Step one of a hold: the appointment, written as 'holding' and active, so the patient's quotas
 * count it from now on. Call it inside `withPatientLock`, right after the eligibility check.
 * A patient who already holds an appointment with this doctor that day gets SAME_DOCTOR_SAME_DAY.
 */
export async function insertHolding(context: AccountContext, input: { requestId: string; patient: PatientDoc; target: SlotContext }): Promise<AppointmentDoc> {
  const { slot } = input.target;
  const appointment: AppointmentDoc = {
    _id: new ObjectId(),
    createdBy: context.user._id,
    requestId: input.requestId,
    patientId: input.patient._id,
    slotId: slot._id,
    scheduleId: slot.scheduleId,
    doctorId: slot.doctorId,
    departmentId: slot.departmentId,
    date: slot.date,
    period: slot.period,
    start: slot.start,
    end: slot.end,
    locationId: input.target.locationId,
    feeFen: input.target.feeFen,
    number: null,
    status: 'holding',
    active: true,
    holdExpiresAt: null,
    createdAt: context.now,
    updatedAt: context.now,
  };
  try {
    await appointmentsOf(context.db).insertOne(appointment);
  } catch (error) {
    if (isDuplicateKey(error, 'one_per_doctor_day')) throw new AppError('SAME_DOCTOR_SAME_DAY');
    throw error;
  }
  return appointment;
}

/**
 * Step two: claims the place, then records the outcome. Returns the appointment as it ended:
 * pending_payment / booked, or failed (full).
 */
export async function completeHold(context: AccountContext, appointment: AppointmentDoc): Promise<AppointmentDoc> {
  const now = context.now;
  const number = await claimPlace(context.db, appointment.slotId, appointment._id);
  if (number === null) {
    const failure = { code: 'SLOT_FULL', message: '这个时段的号刚刚被约满了。' };
    await appointmentsOf(context.db).updateOne({ _id: appointment._id, status: 'holding' }, { $set: { status: 'failed', failure, updatedAt: now }, $unset: { active: '' } });
    return { ...appointment, status: 'failed', failure, active: undefined };
  }
  scheduleCache.invalidateDoctor(appointment.doctorId);
  const finished = await finishHold(context, appointment, number);
  if (!finished) {
    // The sweeper judged this hold abandoned while we were slow; give the place back and say so.
    await releasePlace(context.db, appointment.slotId, appointment._id, number);
    throw new AppError('CONFLICT');
  }
  // The audit and a free booking's confirmation are written together (one wait); a priced booking is
  // confirmed once paid and confirmed by the HIS (settlement.ts).
  await Promise.all([
    recordAudit(context.db, {
      at: now,
      actorUserId: context.user._id,
      action: 'booking.hold',
      patientId: appointment.patientId,
      requestId: context.requestId,
      details: { appointmentId: appointment._id.toHexString(), status: finished.status },
    }),
    finished.status === 'booked' ? queueBookingConfirmed(context, finished) : null,
  ]);
  return finished;
}

/** Moves a claimed 'holding' appointment to pending_payment (priced) or booked (free); a null number is repaired by the sweeper. */
export async function finishHold(services: Pick<Services, 'db' | 'config' | 'now'>, appointment: AppointmentDoc, number: number | null): Promise<AppointmentDoc | null> {
  const { db, now } = services;
  const priced = appointment.feeFen > 0;
  return appointmentsOf(db).findOneAndUpdate(
    { _id: appointment._id, status: 'holding' },
    {
      $set: {
        number,
        status: priced ? 'pending_payment' : 'booked',
        holdExpiresAt: priced ? new Date(now.getTime() + services.config.paymentHoldMinutes * 60_000) : null,
        updatedAt: now,
      },
    },
    { returnDocument: 'after' },
  );
}

/**
 * pending_payment past its expiry -> expired, and the place goes back. A priced hold first makes sure
 * no payment was missed and closes its order (Y5). Safe to call from anywhere, any number of times.
 */
export async function expireIfDue(services: Services, appointment: AppointmentDoc): Promise<AppointmentDoc> {
  const { db, now } = services;
  if (appointment.status !== 'pending_payment' || !appointment.holdExpiresAt || appointment.holdExpiresAt > now) return appointment;
  if (appointment.feeFen > 0 && (await settleBeforeExpiry(services, appointment)) !== 'may_end') {
    return (await appointmentsOf(db).findOne({ _id: appointment._id })) ?? appointment;
  }
  const expired = await appointmentsOf(db).findOneAndUpdate(
    { _id: appointment._id, status: 'pending_payment', holdExpiresAt: { $lte: now } },
    { $set: { status: 'expired', updatedAt: now }, $unset: { active: '' } },
    { returnDocument: 'after' },
  );
  if (!expired) return (await appointmentsOf(db).findOne({ _id: appointment._id })) ?? appointment;
  if (await releasePlace(db, appointment.slotId, appointment._id, appointment.number)) scheduleCache.invalidateDoctor(appointment.doctorId);
  return expired;
}

/** 退号: checks the rule, settles the payment side, moves the appointment to cancelled, gives the place back at once, refunds. */
export async function cancelAppointment(context: AccountContext, current: AppointmentDoc, rules: DepartmentRules): Promise<AppointmentDoc> {
  if (current.status === 'holding' || current.status === 'failed') throw new AppError('ILLEGAL_TRANSITION');
  const freeOfCutoff = Boolean(current.substitution);
  const early = checkCancellation({ status: current.status, slotStart: current.start, now: context.now, rules: rules.cancellation, timeZone: rules.timeZone, freeOfCutoff });
  if (!early.ok) throw new AppError(early.code, early.message);
  const appointment = await prepareCancellation(context, current);
  if (appointment.status === 'holding' || appointment.status === 'failed') throw new AppError('ILLEGAL_TRANSITION');
  const verdict = checkCancellation({ status: appointment.status, slotStart: appointment.start, now: context.now, rules: rules.cancellation, timeZone: rules.timeZone, freeOfCutoff });
  if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
  const cancelled = await appointmentsOf(context.db).findOneAndUpdate(
    { _id: appointment._id, status: appointment.status },
    { $set: { status: 'cancelled', cancelledAt: context.now, cancelledBy: context.user._id, updatedAt: context.now }, $unset: { active: '' } },
    { returnDocument: 'after' },
  );
  if (!cancelled) throw new AppError('ILLEGAL_TRANSITION');
  if (await releasePlace(context.db, appointment.slotId, appointment._id, appointment.number)) scheduleCache.invalidateDoctor(appointment.doctorId);
  // The hospital changed the doctor: its refund never waits for T+1.
  if (appointment.status === 'booked') await refundCancelled(context, appointment, freeOfCutoff);
  await recordAudit(context.db, {
    at: context.now,
    actorUserId: context.user._id,
    action: 'booking.cancel',
    patientId: appointment.patientId,
    requestId: context.requestId,
    details: { appointmentId: appointment._id.toHexString(), from: appointment.status },
  });
  await queueCancelled(context, cancelled, context.user._id, appointment.status === 'booked' && appointment.feeFen > 0);
  return cancelled;
}
