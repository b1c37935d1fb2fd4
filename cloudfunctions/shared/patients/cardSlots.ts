// The per-account card limit, enforced atomically: a slot is reserved on the user document before a
// card is linked and released if linking fails, so concurrent binds can never exceed the limit.
import type { Db, ObjectId } from 'mongodb';
import type { UserDoc } from '../users/userRepository';
import { linksOf } from './patientRepository';

const usersOf = (db: Db) => db.collection<UserDoc>('users');

async function tryReserve(db: Db, userId: ObjectId, limit: number): Promise<boolean> {
  const reserved = await usersOf(db).findOneAndUpdate(
    { _id: userId, $or: [{ patientCount: { $lt: limit } }, { patientCount: { $exists: false } }] },
    { $inc: { patientCount: 1 } },
  );
  return reserved !== null;
}

export async function reserveCardSlot(db: Db, userId: ObjectId, limit: number): Promise<boolean> {
  if (await tryReserve(db, userId, limit)) return true;
  // A process that died between reserving and linking leaves the counter high: recount and try once more.
  const actual = await linksOf(db).countDocuments({ userId });
  if (actual >= limit) return false;
  await usersOf(db).updateOne({ _id: userId }, { $set: { patientCount: actual } });
  return tryReserve(db, userId, limit);
}

export async function releaseCardSlot(db: Db, userId: ObjectId): Promise<void> {
  await usersOf(db).updateOne({ _id: userId, patientCount: { $gt: 0 } }, { $inc: { patientCount: -1 } });
}
