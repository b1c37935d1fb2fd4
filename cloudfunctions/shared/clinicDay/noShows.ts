// 爽约 (A3): a timer marks booked appointments nobody checked in once their session is over plus a grace
// period; the person's unwaived no-shows then restrict online booking by the hospital's penalty policy. A
// card is one person (its ID's blind index is unique), so every account that manages it meets the same
// restriction. Staff may waive a no-show with a reason, which lifts whatever depended on it.
import type { Db, ObjectId } from 'mongodb';
import { recordAudit } from '../audit';
import { appointmentsOf, type AppointmentDoc } from '../booking/appointments';
import { catalogCache } from '../catalog/catalogCache';
import { slotsOf } from '../catalog/collections';
import { DEFAULT_NO_SHOW_RULES } from '../catalog/rules';
import type { Context, UserContext } from '../context';
import { checkNoShowPenalty, type PenaltyPolicy, type PenaltyVerdict } from '../domain/noShowPenalty';
import { addDays, dateIn } from '../domain/releaseRules';
import { AppError } from '../errors';

declare module '../booking/appointments' {
  interface AppointmentDoc {
    noShowAt?: Date;
    /** Staff forgave this no-show: it no longer counts toward any restriction. */
    noShowWaiver?: { by: ObjectId; at: Date; reason: string };
  }
}

type Services = Pick<Context, 'db' | 'config' | 'now' | 'log'>;

/** Marks every booked appointment whose session ended more than the grace period ago. */
export async function markNoShows(services: Services): Promise<{ marked: number }> {
  const { db, now } = services;
  const rules = (await catalogCache.hospital(db))?.noShow ?? DEFAULT_NO_SHOW_RULES;
  const cutoff = new Date(now.getTime() - rules.graceMinutes * 60_000);
  // An appointment's own window ends no later than its session: a cheap first filter.
  const candidates = await appointmentsOf(db).find({ status: 'booked', end: { $lte: cutoff } }, { projection: { scheduleId: 1 } }).limit(5000).toArray();
  if (!candidates.length) return { marked: 0 };
  const scheduleIds = [...new Map(candidates.map((entry) => [entry.scheduleId.toHexString(), entry.scheduleId])).values()];
  const sessionEnd = new Map<string, number>();
  for (const slot of await slotsOf(db).find({ scheduleId: { $in: scheduleIds } }, { projection: { scheduleId: 1, end: 1 } }).toArray()) {
    const key = slot.scheduleId.toHexString();
    sessionEnd.set(key, Math.max(sessionEnd.get(key) ?? 0, slot.end.getTime()));
  }
  const over = scheduleIds.filter((id) => (sessionEnd.get(id.toHexString()) ?? 0) <= cutoff.getTime());
  if (!over.length) return { marked: 0 };
  const result = await appointmentsOf(db).updateMany(
    { scheduleId: { $in: over }, status: 'booked', end: { $lte: cutoff } },
    { $set: { status: 'no_show', noShowAt: now, updatedAt: now }, $unset: { active: '' } },
  );
  return { marked: result.modifiedCount };
}

/** The dates of the person's no-shows that still count (not waived), over the last two years. */
export async function countingNoShowDates(db: Db, patientId: ObjectId, today: string): Promise<string[]> {
  const found = await appointmentsOf(db)
    .find({ patientId, status: 'no_show', noShowWaiver: { $exists: false }, date: { $gte: addDays(today, -731) } }, { projection: { date: 1 } })
    .toArray();
  return found.map((entry) => entry.date);
}

export async function penaltyOf(services: Pick<Context, 'db' | 'config' | 'now'>, patientId: ObjectId): Promise<PenaltyVerdict & { policy: PenaltyPolicy }> {
  const hospital = await catalogCache.hospital(services.db);
  const policy = (hospital?.noShow ?? DEFAULT_NO_SHOW_RULES).penalty;
  const today = dateIn(services.now, hospital?.timeZone ?? services.config.timeZone);
  return { ...checkNoShowPenalty({ policy, noShowDates: await countingNoShowDates(services.db, patientId, today), today }), policy };
}

/** Refuses a hold for a restricted person, saying why and until when. */
export async function assertNoPenalty(services: Pick<Context, 'db' | 'config' | 'now'>, patientId: ObjectId): Promise<void> {
  const refusal = await penaltyRefusal(services, patientId);
  if (refusal) throw refusal;
}

/** The person's restriction as a refusal, or null when they may book. */
export async function penaltyRefusal(services: Pick<Context, 'db' | 'config' | 'now'>, patientId: ObjectId): Promise<AppError | null> {
  const verdict = await penaltyOf(services, patientId);
  return verdict.restricted ? new AppError('PATIENT_RESTRICTED', verdict.message) : null;
}

/** Waives a no-show (audited); answers the person's restriction as it now stands. */
export async function waiveNoShow(context: UserContext, appointmentId: ObjectId, reason: string): Promise<{ appointment: AppointmentDoc; penalty: PenaltyVerdict }> {
  const waived = await appointmentsOf(context.db).findOneAndUpdate(
    { _id: appointmentId, status: 'no_show', noShowWaiver: { $exists: false } },
    { $set: { noShowWaiver: { by: context.user._id, at: context.now, reason }, updatedAt: context.now } },
    { returnDocument: 'after' },
  );
  if (!waived) {
    const current = await appointmentsOf(context.db).findOne({ _id: appointmentId });
    if (!current) throw new AppError('NOT_FOUND', '没有找到这个预约。');
    throw new AppError('ILLEGAL_TRANSITION', current.noShowWaiver ? '这次爽约已经免除过了，不用重复操作。' : '这个预约不是爽约记录，不需要免除。');
  }
  await recordAudit(context.db, {
    at: context.now,
    actorUserId: context.user._id,
    action: 'admin.waiveNoShow',
    patientId: waived.patientId,
    requestId: context.requestId,
    details: { appointmentId: appointmentId.toHexString(), reason },
  });
  const verdict = await penaltyOf(context, waived.patientId);
  const penalty: PenaltyVerdict = verdict.restricted
    ? { restricted: true, noShowsThisYear: verdict.noShowsThisYear, reopensOn: verdict.reopensOn, message: verdict.message }
    : { restricted: false, noShowsThisYear: verdict.noShowsThisYear };
  return { appointment: waived, penalty };
}
