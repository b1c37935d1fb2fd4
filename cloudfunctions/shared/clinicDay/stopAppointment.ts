// One appointment of a stopped session (A2): the HIS registration is cancelled first, then the appointment
// (whatever the patient's cancel cutoff), its place given back, a paid fee refunded at once, the patient told.
// Every step is conditional or keyed, so running it again after a crash finishes what is missing and repeats
// nothing: the refund is recorded once per order, the notice once per job.
import type { ObjectId } from 'mongodb';
import { appointmentsOf, releasePlace, type AppointmentDoc } from '../booking/appointments';
import { catalogCache } from '../catalog/catalogCache';
import { PERIOD_LABELS } from '../catalog/model';
import { scheduleCache } from '../catalog/scheduleCache';
import { formatClock, formatMonthDay } from '../domain/releaseRules';
import { AppError } from '../errors';
import { orderOfAppointment, paymentsOf } from '../payment/payments';
import { prepareCancellation, sendRefund, startRefund, type Services } from '../payment/settlement';
import type { ClinicJobDoc, ItemDone } from './clinicJobs';
import { noticeStopClinic } from './notices';
import { stopAlternatives } from './stopAlternatives';

export interface ClinicStopMark {
  jobId: ObjectId;
  reason: string;
}

declare module '../booking/appointments' {
  interface AppointmentDoc {
    /** Set when a stop-clinic job cancelled it. */
    clinicStop?: ClinicStopMark;
  }
}

const CANCELLABLE = ['pending_payment', 'booked', 'checked_in'] as const;
const isCancellable = (status: AppointmentDoc['status']): status is (typeof CANCELLABLE)[number] => (CANCELLABLE as readonly string[]).includes(status);

/** "12月3日 上午 08:00-08:30": the window as the patient booked it. */
export function visitWhen(appointment: AppointmentDoc, timeZone: string): string {
  return `${formatMonthDay(appointment.date, timeZone)} ${PERIOD_LABELS[appointment.period]} ${formatClock(appointment.start, timeZone)}-${formatClock(appointment.end, timeZone)}`;
}

/** A hold still being made: it fails (completeHold then gives the place back itself) and any place it took returns. */
async function failHolding(services: Services, appointment: AppointmentDoc): Promise<AppointmentDoc | null> {
  const failed = await appointmentsOf(services.db).findOneAndUpdate(
    { _id: appointment._id, status: 'holding' },
    { $set: { status: 'failed', failure: { code: 'SLOT_CLOSED', message: '这位医生这次出诊已停诊，请选择其他时间或其他医生。' }, updatedAt: services.now }, $unset: { active: '' } },
    { returnDocument: 'after' },
  );
  if (failed && (await releasePlace(services.db, appointment.slotId, appointment._id, appointment.number))) scheduleCache.invalidateDoctor(appointment.doctorId);
  return failed;
}

/** Cancels it for the hospital; the appointment as it now stands (cancelled by this job, or changed by someone else). */
async function cancelForStop(services: Services, job: ClinicJobDoc, appointment: AppointmentDoc): Promise<AppointmentDoc> {
  let current = appointment;
  // An unpaid order is settled first: a payment that did arrive turns it into a paid one, handled on the next turn.
  for (let turn = 0; turn < 3 && isCancellable(current.status); turn++) {
    const prepared = await prepareCancellation(services, current);
    if (prepared.status !== current.status) {
      current = prepared;
      continue;
    }
    const cancelled = await appointmentsOf(services.db).findOneAndUpdate(
      { _id: current._id, status: current.status },
      {
        $set: { status: 'cancelled', cancelledAt: services.now, cancelledBy: job.createdBy, clinicStop: { jobId: job._id, reason: job.reason }, holdExpiresAt: null, updatedAt: services.now },
        $unset: { active: '' },
      },
      { returnDocument: 'after' },
    );
    if (cancelled) return cancelled;
    current = (await appointmentsOf(services.db).findOne({ _id: current._id })) ?? current;
  }
  return current;
}

/** The hospital's refund, never left for T+1: recorded once per order, sent (again) while not settled. */
async function refundAtOnce(services: Services, appointmentId: ObjectId): Promise<boolean> {
  const payment = await orderOfAppointment(services.db, appointmentId);
  if (payment?.status !== 'paid') return false;
  if (!payment.refund) {
    await startRefund(services, payment, 'clinic_stopped', true);
    return true;
  }
  // Recorded by a run that died before sending it, or queued for T+1 by the patient's own cancel: send it now.
  if (payment.refund.status === 'queued' || payment.refund.status === 'processing') {
    await paymentsOf(services.db).updateOne({ _id: payment._id, 'refund.status': 'queued' }, { $set: { 'refund.status': 'processing' } });
    await sendRefund(services, { ...payment, refund: { ...payment.refund, status: 'processing' } });
  }
  return true;
}

export async function stopAppointment(services: Services, job: ClinicJobDoc, appointment: AppointmentDoc): Promise<Omit<ItemDone, 'at'>> {
  if (appointment.status === 'holding') {
    await failHolding(services, appointment);
    return { outcome: 'released', refunded: false, number: appointment.number };
  }
  const mine = (entry: AppointmentDoc) => entry.status === 'cancelled' && entry.clinicStop?.jobId.equals(job._id) === true;
  const current = mine(appointment) ? appointment : await cancelForStop(services, job, appointment);
  if (!mine(current)) {
    if (isCancellable(current.status)) throw new AppError('CONFLICT', '这个预约刚刚有变化，没能取消，请稍后重试。');
    return { outcome: 'skipped', refunded: false, number: current.number };
  }
  if (await releasePlace(services.db, current.slotId, current._id, current.number)) scheduleCache.invalidateDoctor(current.doctorId);
  const refunded = await refundAtOnce(services, current._id);
  const doctor = await catalogCache.doctor(services.db, current.doctorId);
  await noticeStopClinic(services, {
    appointment: current,
    jobId: job._id,
    when: visitWhen(current, services.config.timeZone),
    doctorName: doctor?.name ?? '',
    reason: job.reason,
    refunded,
    alternatives: await stopAlternatives(services, current),
  });
  // An unpaid hold (pending payment) is only released; a paid or free booking was cancelled.
  return { outcome: refunded || current.feeFen === 0 ? 'cancelled' : 'released', refunded, number: current.number };
}
