// Per-account notices about a card, shown on its detail page: someone joined by proving the phone on record,
// the card's owner changed, or the owner changed the phone on record. Kept simple until the messages work (outbox, subscriptions) arrives.
import { ObjectId, type Db } from 'mongodb';

export type NoticeKind = 'manager_joined' | 'owner_changed' | 'phone_changed';
export type NoticeVia = 'sms' | 'wechat_phone' | 'counter';

export interface PatientNoticeDoc {
  _id: ObjectId;
  /** Who sees it. */
  userId: ObjectId;
  patientId: ObjectId;
  kind: NoticeKind;
  via: NoticeVia;
  at: Date;
}

const NOTICE_DAYS = 90;
export const noticesOf = (db: Db) => db.collection<PatientNoticeDoc>('patientNotices');

export async function ensureNoticeIndexes(db: Db): Promise<void> {
  await noticesOf(db).createIndex({ userId: 1, patientId: 1 });
}

export async function addNotice(db: Db, notice: Omit<PatientNoticeDoc, '_id'>): Promise<void> {
  await noticesOf(db).insertOne({ _id: new ObjectId(), ...notice });
}

/** The newest few from the last 90 days. */
export function recentNotices(db: Db, userId: ObjectId, patientId: ObjectId, now: Date): Promise<PatientNoticeDoc[]> {
  const since = new Date(now.getTime() - NOTICE_DAYS * 24 * 60 * 60_000);
  return noticesOf(db).find({ userId, patientId, at: { $gte: since } }).sort({ at: -1 }).limit(5).toArray();
}
