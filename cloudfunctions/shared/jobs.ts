// Timed jobs with their schedules and last runs in the store (one timer per function in WeChat
// cloud, many jobs behind it). A job runs once per due instant across every instance: a lease on
// its document is taken before it runs, and a process killed mid-run loses the lease when it ends.
import { randomUUID } from 'node:crypto';
import { MongoServerError, type Db } from 'mongodb';
import type { Context } from './context';
import { latestDue, retryDelayMs, type JobSchedule } from './domain/jobSchedule';
import { AppError } from './errors';
import { describeError } from './log';

export interface JobDef {
  name: string;
  schedule: JobSchedule;
  /** How long one run may take before another instance may take over (and below the function's timeout). */
  leaseMs: number;
  /** `due` is the scheduled instant being served (a daily job run late still knows which day it is for). */
  run(context: Context, due: Date): Promise<Record<string, unknown> | void>;
}

export interface JobDoc {
  _id: string;
  /** The latest due instant that has run to completion. */
  lastDue: Date;
  leaseOwner: string | null;
  leaseUntil: Date;
  failures: number;
  lastRun?: { due: Date; startedAt: Date; ms: number; ok: boolean; error?: string; report?: Record<string, unknown> };
}

export const jobsOf = (db: Db) => db.collection<JobDoc>('jobs');

export interface JobOutcome {
  name: string;
  due: Date;
  outcome: 'ran' | 'failed' | 'not_due' | 'busy';
}

/** The one timer trigger's name in every function's config.json (WeChat cloud allows one per function). */
export const TICK_TRIGGER = 'tick';

/** The function's timer trigger: runs its due jobs and logs what ran or failed. */
export function runJobsOnTick(jobs: JobDef[]): (context: Context) => Promise<void> {
  return async (context) => {
    const outcomes = await runDueJobs(context, jobs);
    const done = outcomes.filter((outcome) => outcome.outcome === 'ran' || outcome.outcome === 'failed');
    if (done.length) context.log.debug('jobs', { requestId: context.requestId, jobs: done.map((outcome) => `${outcome.name}:${outcome.outcome}`).join(',') });
  };
}

/** Runs, one after another, every job that is due and not leased elsewhere. Never throws for one job's failure. */
export async function runDueJobs(context: Context, jobs: JobDef[]): Promise<JobOutcome[]> {
  const outcomes: JobOutcome[] = [];
  for (const job of jobs) outcomes.push(await runIfDue(context, job));
  return outcomes;
}

async function runIfDue(context: Context, job: JobDef): Promise<JobOutcome> {
  const { db, now } = context;
  const due = latestDue(job.schedule, now, context.config.timeZone);
  const owner = randomUUID();
  let claimed: JobDoc | null;
  try {
    claimed = await jobsOf(db).findOneAndUpdate(
      { _id: job.name, lastDue: { $lt: due }, leaseUntil: { $lte: now } },
      { $set: { leaseOwner: owner, leaseUntil: new Date(now.getTime() + job.leaseMs) }, $setOnInsert: { lastDue: new Date(0), failures: 0 } },
      { upsert: true, returnDocument: 'after' },
    );
  } catch (error) {
    // The document exists but is not claimable: already run for this due instant, or leased.
    if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    claimed = null;
  }
  if (!claimed || claimed.leaseOwner !== owner) {
    const current = await jobsOf(db).findOne({ _id: job.name });
    return { name: job.name, due, outcome: current && current.lastDue >= due ? 'not_due' : 'busy' };
  }

  // `startedAt` in the record is business time; `ms` is how long the run really took.
  const startedAt = Date.now();
  try {
    const report = (await job.run(context, due)) ?? undefined;
    await jobsOf(db).updateOne(
      { _id: job.name, leaseOwner: owner },
      { $set: { lastDue: due, leaseOwner: null, leaseUntil: new Date(0), failures: 0, lastRun: { due, startedAt: now, ms: Date.now() - startedAt, ok: true, ...(report && { report }) } } },
    );
    return { name: job.name, due, outcome: 'ran' };
  } catch (error) {
    const failures = claimed.failures + 1;
    context.log.error('job failed', { requestId: context.requestId, job: job.name, failures, ...describeError(error) });
    await jobsOf(db).updateOne(
      { _id: job.name, leaseOwner: owner },
      {
        $set: {
          leaseOwner: null,
          // The lease doubles as the back-off: the next tick after it ends tries again.
          leaseUntil: new Date(now.getTime() + retryDelayMs(failures)),
          failures,
          lastRun: { due, startedAt: now, ms: Date.now() - startedAt, ok: false, error: errorSummary(error) },
        },
      },
    );
    return { name: job.name, due, outcome: 'failed' };
  }
}

/** What staff see of a failure: a code, or the error's kind and first line (never a stack). */
function errorSummary(error: unknown): string {
  if (error instanceof AppError) return error.code;
  if (error instanceof Error) return `${error.name}: ${error.message.split('\n')[0].slice(0, 200)}`;
  return String(error).slice(0, 200);
}
