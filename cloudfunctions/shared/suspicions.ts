// Patterns a script shows and a person does not, recorded for hospital staff to look into (X1): one
// record per account, kind and visit day, counting the attempts, so a script that keeps trying
// leaves one line that grows instead of thousands.
import type { Db, ObjectId } from 'mongodb';

export type SuspicionKind = 'booking_people_per_day';

export interface SuspicionDoc {
  /** `<kind>:<userId>:<date>`. */
  _id: string;
  kind: SuspicionKind;
  userId: ObjectId;
  /** The visit day, hospital time. */
  date: string;
  /** Everyone the account booked or tried to book for that day (patient ids; staff resolve names themselves). */
  patientIds: ObjectId[];
  limit: number;
  /** Refused attempts. */
  attempts: number;
  firstAt: Date;
  lastAt: Date;
}

export const suspicionsOf = (db: Db) => db.collection<SuspicionDoc>('suspicions');

export async function ensureSuspicionIndexes(db: Db): Promise<void> {
  await suspicionsOf(db).createIndex({ lastAt: -1 });
}

export async function recordSuspicion(
  db: Db,
  entry: { kind: SuspicionKind; userId: ObjectId; date: string; patientIds: ObjectId[]; limit: number; at: Date },
): Promise<void> {
  await suspicionsOf(db).updateOne(
    { _id: `${entry.kind}:${entry.userId.toHexString()}:${entry.date}` },
    {
      $setOnInsert: { kind: entry.kind, userId: entry.userId, date: entry.date, firstAt: entry.at },
      $set: { lastAt: entry.at, limit: entry.limit },
      $addToSet: { patientIds: { $each: entry.patientIds } },
      $inc: { attempts: 1 },
    },
    { upsert: true },
  );
}

/** The records last seen since `since`, newest first. */
export function recentSuspicions(db: Db, since: Date, limit: number): Promise<SuspicionDoc[]> {
  return suspicionsOf(db).find({ lastAt: { $gte: since } }).sort({ lastAt: -1 }).limit(limit).toArray();
}
