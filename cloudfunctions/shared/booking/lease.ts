// A short lease on one key: work that counts and then writes runs one at a time per key. A lease, not
// a lock that must be released: a process killed inside it blocks the key for LEASE_MS at most. A live
// holder renews it while its work runs (an unbind may wait on WeChat Pay for longer than LEASE_MS), up to
// LEASE_MAX_HOLD_MS, so that a slow holder is never overtaken yet a stuck one cannot block the key for good.
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, ObjectId, type Db } from 'mongodb';
import { AppError } from '../errors';

interface LeaseDoc {
  _id: ObjectId | string;
  owner: ObjectId;
  until: Date;
}

export const LEASE_MS = 5_000;
/** Longest a live holder keeps renewing: the longest cloud function timeout (config/cloudbaserc.json). */
export const LEASE_MAX_HOLD_MS = 60_000;
/** How long a tap waits for the key's other work before being told to try again. */
export const LEASE_WAIT_MS = 3_000;

export interface LeaseOptions {
  collection: string;
  key: ObjectId | string;
  busyMessage: string;
  /** Tests only (production uses LEASE_MS and LEASE_WAIT_MS): other lengths for the lease and the wait. */
  leaseMs?: number;
  waitMs?: number;
  maxHoldMs?: number;
}

// Real time, not the business clock, on purpose: a lease bounds how long a process may block others.
export async function withLease<T>(db: Db, lease: LeaseOptions, work: () => Promise<T>): Promise<T> {
  const { leaseMs = LEASE_MS, waitMs = LEASE_WAIT_MS, maxHoldMs = LEASE_MAX_HOLD_MS } = lease;
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
  const renewUntil = Date.now() + maxHoldMs;
  let renewal: Promise<unknown> = Promise.resolve();
  const renewing = setInterval(() => {
    if (Date.now() > renewUntil) return clearInterval(renewing);
    // A failed renewal is not the work's failure: the lease then simply runs out as a dead holder's would.
    renewal = leases.updateOne({ _id: lease.key, owner }, { $set: { until: new Date(Date.now() + leaseMs) } }).catch(() => undefined);
  }, leaseMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(renewing);
    // A renewal landing after the release would hold the key again for nothing.
    await renewal;
    await leases.updateOne({ _id: lease.key, owner }, { $set: { until: new Date(0) } });
  }
}
