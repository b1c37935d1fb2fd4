// A short lease on one key: work that counts and then writes runs one at a time per key. A lease, not
// a lock that must be released: a process killed inside it blocks the key for LEASE_MS at most.
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, ObjectId, type Db } from 'mongodb';
import { AppError } from '../errors';

interface LeaseDoc {
  _id: ObjectId | string;
  owner: ObjectId;
  until: Date;
}

// Leases and waits measure real elapsed time, never the business clock: a frozen or moved calendar must not hold a key.
const LEASE_MS = 5_000;
/** How long a tap waits for the key's other work before being told to try again. */
export const LEASE_WAIT_MS = 3_000;

export async function withLease<T>(db: Db, lease: { collection: string; key: ObjectId | string; busyMessage: string }, work: () => Promise<T>): Promise<T> {
  const leases = db.collection<LeaseDoc>(lease.collection);
  const owner = new ObjectId();
  const giveUpAt = Date.now() + LEASE_WAIT_MS;
  for (;;) {
    try {
      const taken = await leases.findOneAndUpdate(
        { _id: lease.key, until: { $lte: new Date() } },
        { $set: { owner, until: new Date(Date.now() + LEASE_MS) } },
        { upsert: true, returnDocument: 'after' },
      );
      if (taken?.owner.equals(owner)) break;
    } catch (error) {
      // Held by someone else: the upsert's insert met the existing document.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
    if (Date.now() > giveUpAt) throw new AppError('CONFLICT', lease.busyMessage);
    await sleep(10 + Math.random() * 30);
  }
  try {
    return await work();
  } finally {
    await leases.updateOne({ _id: lease.key, owner }, { $set: { until: new Date(0) } });
  }
}
