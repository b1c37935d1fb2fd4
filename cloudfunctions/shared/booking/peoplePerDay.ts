// One account books for at most BOOKING_PEOPLE_PER_DAY different people on one visit day (X1).
// Counted from the appointments the account made (`createdBy`), which no unbind can erase, under a
// lease on account + day: parallel taps from one account for five people are decided one at a time,
// so exactly the allowed number pass. Nothing to give back when a hold fails, expires or is
// cancelled: it stops being active and stops counting.
import type { ObjectId } from 'mongodb';
import type { AccountContext } from '../context';
import { checkPeopleOnDay } from '../domain/accountLimits';
import { AppError } from '../errors';
import { linksOf, type PatientLinkDoc } from '../patients/patientRepository';
import { recordSuspicion } from '../suspicions';
import { appointmentsOf } from './appointments';
import type { LeaseOptions } from './lease';

/** Held while a hold of this account for this day is decided, so that no other one is (taken before the patient's lease). */
export const bookerDayLease = (context: AccountContext, date: string): LeaseOptions => ({
  collection: 'bookerDayLocks',
  key: `${context.user._id.toHexString()}:${date}`,
  busyMessage: '您的另一个预约正在处理中，请稍等几秒再试。',
});

/** The people this account has an active booking for on `date`. */
export function peopleBookedOnDay(context: AccountContext, date: string): Promise<ObjectId[]> {
  return appointmentsOf(context.db).distinct('patientId', { createdBy: context.user._id, date, active: true });
}

/**
 * Refuses (and records for staff) a hold for one person more than the account may book for that day, judged
 * on `booked` (peopleBookedOnDay, read under `bookerDayLease`).
 */
export async function refusePeopleOnDay(context: AccountContext, patientId: ObjectId, date: string, booked: ObjectId[]): Promise<void> {
  const limit = context.config.bookingPeoplePerDay;
  const verdict = checkPeopleOnDay({ booked: booked.map((id) => id.toHexString()), patientId: patientId.toHexString(), limit, date });
  if (verdict.ok) return;
  await recordSuspicion(context.db, { kind: 'booking_people_per_day', userId: context.user._id, date, patientIds: [...booked, patientId], limit, at: context.now });
  context.log.warn('booking people per day refused', { requestId: context.requestId, userId: context.user._id.toHexString(), date, people: verdict.people });
  throw new AppError(verdict.code, verdict.message);
}

/** The caller still manages the card: read again under the patient's lease, since an unbind may have won the race for it. */
export async function stillManagedRefusal(context: AccountContext, link: PatientLinkDoc): Promise<AppError | null> {
  if (await linksOf(context.db).countDocuments({ _id: link._id }, { limit: 1 })) return null;
  return new AppError('NOT_FOUND', '没有找到这位就诊人，请在“我的就诊人”里确认后再预约。');
}
