// 签到 (A3): moving a booked appointment to checked_in, once, by the patient (inside the window) or by staff
// (any time that day), and the live queue position read from the check-ins of the same session.
import type { Db, ObjectId } from 'mongodb';
import { recordAudit } from '../audit';
import { appointmentsOf, type AppointmentDoc } from '../booking/appointments';
import type { UserContext } from '../context';
import { peopleAhead, queueSentence, type CheckInVerdict } from '../domain/checkIn';
import { AppError } from '../errors';

declare module '../booking/appointments' {
  interface AppointmentDoc {
    checkedInAt?: Date;
    checkedInBy?: { userId: ObjectId; as: 'patient' | 'staff' };
  }
}

export interface QueueView {
  ahead: number;
  /** "已签到，前面还有 3 人，请留意叫号。" */
  sentence: string;
}

/** Where a checked-in appointment stands among the checked-in patients of its session, now. */
export async function queueOf(db: Db, appointment: Pick<AppointmentDoc, 'scheduleId' | 'number'>): Promise<QueueView> {
  const present = await appointmentsOf(db).find({ scheduleId: appointment.scheduleId, status: 'checked_in' }, { projection: { number: 1 } }).toArray();
  const ahead = peopleAhead(appointment.number ?? Number.MAX_SAFE_INTEGER, present.flatMap((entry) => (entry.number === null ? [] : [entry.number])));
  return { ahead, sentence: queueSentence(ahead) };
}

/** Applies a verdict the pure rule gave for this appointment; checking in twice at once checks in once. */
export async function checkIn(context: UserContext, appointment: AppointmentDoc, verdict: CheckInVerdict, as: 'patient' | 'staff'): Promise<AppointmentDoc> {
  if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
  const updated = await appointmentsOf(context.db).findOneAndUpdate(
    { _id: appointment._id, status: 'booked' },
    { $set: { status: 'checked_in', checkedInAt: context.now, checkedInBy: { userId: context.user._id, as }, updatedAt: context.now } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new AppError('ILLEGAL_TRANSITION', '这个预约刚刚有变化（可能已经签到或取消），请刷新后再看。');
  await recordAudit(context.db, {
    at: context.now,
    actorUserId: context.user._id,
    action: as === 'staff' ? 'admin.checkIn' : 'booking.checkIn',
    patientId: appointment.patientId,
    requestId: context.requestId,
    details: { appointmentId: appointment._id.toHexString() },
  });
  return updated;
}
