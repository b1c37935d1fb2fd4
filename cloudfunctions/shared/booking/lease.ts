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
export function withLease<T>(db: Db, lease: LeaseOptions, work: () => Promise<T>): Promise<T> {
  return withLeases(db, [lease], work);
}

/**
 * Runs `work` holding every lease in `leases`, always taken in that order. All keys are tried at once first
 * (one round trip when none is busy, as on most of release morning); from the first busy key on, any later
 * key just taken is given back and the rest are waited for one by one, so two callers never each hold a key
 * the other waits for. Given back together; `after`, work that needs no lease, runs on the result meanwhile.
 */
export async function withLeases<T, U = T>(db: Db, leases: LeaseOptions[], work: () => Promise<T>, after?: (value: T) => Promise<U>): Promise<U> {
  const owner = new ObjectId();
  const held: LeaseOptions[] = [];
  let renewing: ReturnType<typeof setInterval> | undefined;
  let renewal: Promise<unknown> = Promise.resolve();
  const release = async () => {
    clearInterval(renewing);
    // A renewal landing after the release would hold the key again for nothing.
    await renewal;
    if (held.length > 0) await giveBack(db, held, owner);
  };
  let value: T;
  try {
    await takeInOrder(db, leases, owner, held);
    const leaseMs = Math.min(...held.map(lengthOf));
    const renewUntil = Date.now() + Math.min(...held.map((lease) => lease.maxHoldMs ?? LEASE_MAX_HOLD_MS));
    renewing = setInterval(() => {
      if (Date.now() > renewUntil) return clearInterval(renewing);
      // A failed renewal is not the work's failure: the lease then simply runs out as a dead holder's would.
      renewal = Promise.all(
        held.map((lease) => leasesOf(db, lease).updateOne({ _id: lease.key, owner }, { $set: { until: endOf(lease) } })),
      ).catch(() => undefined);
    }, leaseMs / 3);
    value = await work();
  } catch (error) {
    await release();
    throw error;
  }
  const [released, result] = await Promise.allSettled([release(), after ? after(value) : (value as unknown as U)]);
  if (result.status === 'rejected') throw result.reason;
  if (released.status === 'rejected') throw released.reason;
  return result.value;
}

/** Takes every key into `held` (what it holds so far, should it fail), as `withLeases` describes. */
async function takeInOrder(db: Db, leases: LeaseOptions[], owner: ObjectId, held: LeaseOptions[]): Promise<void> {
  const tries = await Promise.allSettled(leases.map((lease) => tryTake(db, lease, owner)));
  const taken = tries.map((attempt) => attempt.status === 'fulfilled' && attempt.value);
  const failed = tries.find((attempt) => attempt.status === 'rejected');
  if (failed) {
    held.push(...leases.filter((_, index) => taken[index]));
    throw failed.reason;
  }
  const busy = taken.indexOf(false);
  const inOrder = busy === -1 ? leases.length : busy;
  held.push(...leases.slice(0, inOrder));
  const outOfOrder = leases.filter((_, index) => index > inOrder && taken[index]);
  if (outOfOrder.length > 0) await giveBack(db, outOfOrder, owner);
  for (const lease of leases.slice(inOrder)) {
    await take(db, lease, owner, lease === leases[busy]);
    held.push(lease);
  }
}

const leasesOf = (db: Db, lease: LeaseOptions) => db.collection<LeaseDoc>(lease.collection);
const lengthOf = (lease: LeaseOptions) => lease.leaseMs ?? LEASE_MS;
/** When the lease runs out if taken or renewed now. */
const endOf = (lease: LeaseOptions) => new Date(Date.now() + lengthOf(lease));

/** Takes the key if it is free or has run out; false when it is live in someone else's hands. */
async function tryTake(db: Db, lease: LeaseOptions, owner: ObjectId): Promise<boolean> {
  try {
    const taken = await leasesOf(db, lease).findOneAndUpdate(
      { _id: lease.key, until: { $lte: new Date() } },
      { $set: { owner, until: endOf(lease) } },
      { upsert: true, returnDocument: 'after' },
    );
    return taken?.owner.equals(owner) ?? false;
  } catch (error) {
    // Held by someone else: the upsert's insert met the existing document.
    if (error instanceof MongoServerError && error.code === 11000) return false;
    throw error;
  }
}

/** Waits for the key up to the lease's wait (`busyNow`: it was just found busy), then answers CONFLICT with its busy sentence. */
async function take(db: Db, lease: LeaseOptions, owner: ObjectId, busyNow: boolean): Promise<void> {
  const giveUpAt = Date.now() + (lease.waitMs ?? LEASE_WAIT_MS);
  if (!busyNow && (await tryTake(db, lease, owner))) return;
  do {
    if (Date.now() > giveUpAt) throw new AppError('CONFLICT', lease.busyMessage);
    await sleep(10 + Math.random() * 30);
  } while (!(await tryTake(db, lease, owner)));
}

async function giveBack(db: Db, leases: LeaseOptions[], owner: ObjectId): Promise<void> {
  await Promise.all(leases.map((lease) => leasesOf(db, lease).updateOne({ _id: lease.key, owner }, { $set: { until: new Date(0) } })));
}
