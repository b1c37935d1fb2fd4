// Stop-clinic and substitute-doctor jobs (A2): one document per staff decision, holding which sessions it
// covers and, per appointment, what was done or why it failed. The work runs under a short lease on the job
// document (real time: a lease is an elapsed-time budget), so a process killed mid-job leaves it to the next
// tick once the lease runs out, and two runners never work the same job at once.
import { randomUUID } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';

export type ClinicJobKind = 'stop' | 'substitute';

export type ItemOutcome =
  /** 停诊: the appointment was cancelled (and refunded when paid). */
  | 'cancelled'
  /** 替诊: moved to the substitute doctor. */
  | 'moved'
  /** A hold still being made, or an unpaid one: given back, nothing to refund. */
  | 'released'
  /** Cancelled or moved by someone else meanwhile: nothing left to do. */
  | 'skipped';

export interface ItemDone {
  outcome: ItemOutcome;
  refunded: boolean;
  number: number | null;
  at: Date;
}

export interface ItemFailed {
  code: string;
  /** In Chinese, for staff: what went wrong and what a retry will do. */
  reason: string;
  attempts: number;
  at: Date;
}

export interface ClinicJobDoc {
  _id: ObjectId;
  kind: ClinicJobKind;
  reason: string;
  /** The sessions (schedule documents) this job covers. */
  scheduleIds: ObjectId[];
  /** "王建国 12月3日 上午" or "王建国 12月3日-12月5日": what staff chose, for the list. */
  scopeLabel: string;
  substitute?: { doctorId: ObjectId; doctorName: string; title: string };
  status: 'running' | 'finished';
  /** Keyed by appointment id (hex). */
  done: Record<string, ItemDone>;
  failed: Record<string, ItemFailed>;
  leaseOwner: string | null;
  /** Real time. */
  leaseUntil: Date;
  createdBy: ObjectId;
  createdAt: Date;
  updatedAt: Date;
  finishedAt?: Date;
}

export const clinicJobsOf = (db: Db) => db.collection<ClinicJobDoc>('clinicJobs');

export async function ensureClinicJobIndexes(db: Db): Promise<void> {
  await clinicJobsOf(db).createIndex({ status: 1, leaseUntil: 1 });
  await clinicJobsOf(db).createIndex({ createdAt: -1 });
  await clinicJobsOf(db).createIndex({ scheduleIds: 1 });
}

/** How long a runner may hold a job between two items before another may take it over. */
export const CLINIC_JOB_LEASE_MS = 15_000;

/** Takes the job for this runner, or null when it is finished or another runner holds it. */
export async function leaseJob(db: Db, jobId: ObjectId): Promise<{ job: ClinicJobDoc; owner: string } | null> {
  const owner = randomUUID();
  const job = await clinicJobsOf(db).findOneAndUpdate(
    { _id: jobId, status: 'running', leaseUntil: { $lte: new Date() } },
    { $set: { leaseOwner: owner, leaseUntil: new Date(Date.now() + CLINIC_JOB_LEASE_MS) } },
    { returnDocument: 'after' },
  );
  return job ? { job, owner } : null;
}

/** Extends the lease; false when it was lost (taken over), and the runner must stop. */
export async function renewLease(db: Db, jobId: ObjectId, owner: string): Promise<boolean> {
  const result = await clinicJobsOf(db).updateOne({ _id: jobId, leaseOwner: owner }, { $set: { leaseUntil: new Date(Date.now() + CLINIC_JOB_LEASE_MS) } });
  return result.matchedCount === 1;
}

export async function releaseLease(db: Db, jobId: ObjectId, owner: string): Promise<void> {
  await clinicJobsOf(db).updateOne({ _id: jobId, leaseOwner: owner }, { $set: { leaseOwner: null, leaseUntil: new Date(0) } });
}
