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

export const LEASE_MS = 5_000;
/** How long a tap waits for the key's other work before being told to try again. */
export const LEASE_WAIT_MS = 3_000;

export interface LeaseOptions {
  collection: string;
  key: ObjectId | string;
  busyMessage: string;
  /** Tests only (production uses LEASE_MS and LEASE_WAIT_MS): other lengths for the lease and the wait. */
  leaseMs?: number;
  waitMs?: number;
}

// Real time, not the business clock, on purpose: a lease bounds how long a process may block others.
export async function withLease<T>(db: Db, lease: LeaseOptions, work: () => Promise<T>): Promise<T> {
  const { leaseMs = LEASE_MS, waitMs = LEASE_WAIT_MS } = lease;
  const leases = db.collection<LeaseDoc>(lease.collection);
  const owner = new ObjectId();
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      const taken = await leases.findOneAndUpdate(
        { _id: lease.key, until: { $lte: new Date() } },
        { $set: { owner, until: new Date(Date.now() + leaseMs) } },
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
