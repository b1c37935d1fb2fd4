// Stored 公告 (notices staff post for patients: 春节门诊安排, 停车提示) and the read behind the home page.
import type { Db, ObjectId } from 'mongodb';

export interface NoticeDoc {
  _id: ObjectId;
  title: string;
  body: string;
  /** First and last day shown, 'YYYY-MM-DD' in the hospital's zone, both included. */
  from: string;
  until: string;
  /** False once staff took it down (撤下); kept for the record, never shown again unless saved again. */
  published: boolean;
  createdAt: Date;
  updatedAt: Date;
  updatedBy: ObjectId;
}

export const noticesOf = (db: Db) => db.collection<NoticeDoc>('notices');

/** At most this many notices on the home page: more would push the departments out of sight. */
export const MAX_SHOWN_NOTICES = 5;

export async function ensureNoticeIndexes(db: Db): Promise<void> {
  // The home read: published notices whose window contains today.
  await noticesOf(db).createIndex({ published: 1, until: 1, from: 1 });
}

/** Notices showing on `today`, the latest starting first. */
export function currentNotices(db: Db, today: string): Promise<NoticeDoc[]> {
  return noticesOf(db)
    .find({ published: true, from: { $lte: today }, until: { $gte: today } })
    .sort({ from: -1, updatedAt: -1 })
    .limit(MAX_SHOWN_NOTICES)
    .toArray();
}
