// What a person turned off in 我的 > 消息设置: the day-before reminder's WeChat notice (the message center keeps it).
import type { Db, ObjectId } from 'mongodb';

export interface MessagePreferencesDoc {
  /** The user's id. */
  _id: ObjectId;
  reminders: boolean;
  updatedAt: Date;
}

export const preferencesOf = (db: Db) => db.collection<MessagePreferencesDoc>('messagePreferences');

export async function remindersOff(db: Db, userId: ObjectId): Promise<boolean> {
  return (await preferencesOf(db).findOne({ _id: userId }))?.reminders === false;
}

export async function setReminders(db: Db, userId: ObjectId, reminders: boolean, now: Date): Promise<void> {
  await preferencesOf(db).updateOne({ _id: userId }, { $set: { reminders, updatedAt: now } }, { upsert: true });
}
