// The per-account card limit, enforced atomically: a slot is reserved on the user document before a
// card is linked and released if linking fails, so concurrent binds can never exceed the limit.
import type { Db, ObjectId } from 'mongodb';
import type { UserDoc } from '../users/userRepository';
import { linksOf } from './patientRepository';

const usersOf = (db: Db) => db.collection<UserDoc>('users');

async function tryReserve(db: Db, userId: ObjectId, limit: number): Promise<boolean> {
  const reserved = await usersOf(db).findOneAndUpdate(
    { _id: userId, $or: [{ patientCount: { $lt: limit } }, { patientCount: { $exists: false } }] },
    { $inc: { patientCount: 1, patientCountVersion: 1 } },
  );
  return reserved !== null;
}

export async function reserveCardSlot(db: Db, userId: ObjectId, limit: number): Promise<boolean> {
  if (await tryReserve(db, userId, limit)) return true;
  // A process that died between reserving and linking leaves the counter high: recount and try once more.
  const count = await readCardCount(db, userId);
  if (count.linked >= limit) return false;
  await correctCardCount(db, userId, count);
  return tryReserve(db, userId, limit);
}

export interface CardCount {
  /** The counter's version as read, before the links were counted (undefined: never changed). */
  version: number | undefined;
  linked: number;
}

export async function readCardCount(db: Db, userId: ObjectId): Promise<CardCount> {
  const user = await usersOf(db).findOne({ _id: userId }, { projection: { patientCountVersion: 1 } });
  return { version: user?.patientCountVersion, linked: await linksOf(db).countDocuments({ userId }) };
}

/**
 * Sets the counter to the links counted, only if no reservation, release or recount happened since
 * the version was read: a count that went stale meanwhile (another bind, an unbind) would drop that
 * reservation and let the account go over the limit. A version, not the counter's value, because
 * the counter can come back to the same value (recounted, then reserved again).
 */
export async function correctCardCount(db: Db, userId: ObjectId, count: CardCount): Promise<boolean> {
  const corrected = await usersOf(db).updateOne(
    { _id: userId, patientCountVersion: count.version ?? { $exists: false } },
    { $set: { patientCount: count.linked }, $inc: { patientCountVersion: 1 } },
  );
  return corrected.modifiedCount === 1;
}

export async function releaseCardSlot(db: Db, userId: ObjectId): Promise<void> {
  await usersOf(db).updateOne({ _id: userId, patientCount: { $gt: 0 } }, { $inc: { patientCount: -1, patientCountVersion: 1 } });
}
