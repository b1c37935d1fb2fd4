// Works a stop-clinic or substitute job through its appointments (A2), under the job's lease, recording each
// outcome as it goes: a crash loses at most the appointment in hand, which the next run finishes (every step
// is idempotent). Failures (the HIS down, a refund refused) are recorded with a reason and left for a retry.
import type { Db, Filter, ObjectId } from 'mongodb';
import { appointmentsOf, type AppointmentDoc } from '../booking/appointments';
import { ERRORS, AppError } from '../errors';
import { HisError } from '../his/his';
import { describeError } from '../log';
import type { Services } from '../payment/settlement';
import { clinicJobsOf, leaseJob, releaseLease, renewLease, type ClinicJobDoc, type ItemDone } from './clinicJobs';
import { stopAppointment } from './stopAppointment';
import { substituteAppointment } from './substituteAppointment';

/** The appointments a job still has to look at: active ones in its sessions, and ones it already touched. */
export function jobAppointmentsFilter(job: Pick<ClinicJobDoc, '_id' | 'scheduleIds'>): Filter<AppointmentDoc> {
  return { $or: [{ scheduleId: { $in: job.scheduleIds }, active: true }, { 'clinicStop.jobId': job._id }, { 'substitution.jobId': job._id }] };
}

function failureOf(error: unknown): { code: string; reason: string } {
  if (error instanceof AppError) return { code: error.code, reason: error.message };
  if (error instanceof HisError) return { code: 'HIS_UNAVAILABLE', reason: ERRORS.HIS_UNAVAILABLE.message };
  return { code: 'INTERNAL', reason: '处理时出了意外，请稍后点“重试”。' };
}

export interface RunReport {
  ran: boolean;
  handled: number;
  finished: boolean;
}

/**
 * Runs the job until it is finished or `budgetMs` of real time has passed (the rest is left to the next
 * tick). Returns ran: false when another runner holds it or it is already finished.
 */
export async function runClinicJob(services: Services, jobId: ObjectId, budgetMs: number): Promise<RunReport> {
  const leased = await leaseJob(services.db, jobId);
  if (!leased) return { ran: false, handled: 0, finished: false };
  const { job, owner } = leased;
  const deadline = Date.now() + budgetMs;
  let handled = 0;
  try {
    const candidates = await appointmentsOf(services.db).find(jobAppointmentsFilter(job)).sort({ start: 1, number: 1 }).toArray();
    const todo = candidates.filter((entry) => !job.done[entry._id.toHexString()] && !job.failed[entry._id.toHexString()]);
    for (const appointment of todo) {
      if (Date.now() >= deadline || !(await renewLease(services.db, jobId, owner))) return { ran: true, handled, finished: false };
      await handleOne(services, job, appointment);
      handled += 1;
    }
    const finished = await finishIfDone(services.db, job, services.now);
    return { ran: true, handled, finished };
  } finally {
    await releaseLease(services.db, jobId, owner);
  }
}

async function handleOne(services: Services, job: ClinicJobDoc, appointment: AppointmentDoc): Promise<void> {
  const key = appointment._id.toHexString();
  try {
    const result = job.kind === 'substitute' ? await substituteAppointment(services, job, appointment) : await stopAppointment(services, job, appointment);
    const done: ItemDone = { ...result, at: services.now };
    job.done[key] = done;
    await clinicJobsOf(services.db).updateOne({ _id: job._id }, { $set: { [`done.${key}`]: done, updatedAt: services.now }, $unset: { [`failed.${key}`]: '' } });
  } catch (error) {
    const failure = failureOf(error);
    if (failure.code === 'INTERNAL') services.log.error('clinic job item failed', { jobId: job._id.toHexString(), appointmentId: key, ...describeError(error) });
    const entry = { ...failure, attempts: (job.failed[key]?.attempts ?? 0) + 1, at: services.now };
    job.failed[key] = entry;
    await clinicJobsOf(services.db).updateOne({ _id: job._id }, { $set: { [`failed.${key}`]: entry, updatedAt: services.now } });
  }
}

/** Finished when nothing in its sessions is left undone (failures count as looked at; a retry reopens them). */
async function finishIfDone(db: Db, job: ClinicJobDoc, now: Date): Promise<boolean> {
  const remaining = await appointmentsOf(db).find(jobAppointmentsFilter(job), { projection: { _id: 1 } }).toArray();
  if (remaining.some((entry) => !job.done[entry._id.toHexString()] && !job.failed[entry._id.toHexString()])) return false;
  const result = await clinicJobsOf(db).updateOne({ _id: job._id, status: 'running' }, { $set: { status: 'finished', finishedAt: now, updatedAt: now } });
  return result.modifiedCount === 1 || (await clinicJobsOf(db).findOne({ _id: job._id }))?.status === 'finished';
}

/** Retry: failed items go back to the to-do list and the job runs again. */
export async function reopenFailures(db: Db, jobId: ObjectId, now: Date): Promise<ClinicJobDoc | null> {
  return clinicJobsOf(db).findOneAndUpdate({ _id: jobId }, { $set: { failed: {}, status: 'running', updatedAt: now }, $unset: { finishedAt: '' } }, { returnDocument: 'after' });
}

/** The tick's sweep: every running job whose lease has lapsed (its runner died or ran out of budget). */
export async function resumeClinicJobs(services: Services, budgetMs: number): Promise<{ resumed: number; finished: number }> {
  const deadline = Date.now() + budgetMs;
  const open = await clinicJobsOf(services.db).find({ status: 'running', leaseUntil: { $lte: new Date() } }, { projection: { _id: 1 } }).sort({ createdAt: 1 }).toArray();
  let resumed = 0;
  let finished = 0;
  for (const { _id } of open) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const report = await runClinicJob(services, _id, left);
    if (report.ran) resumed += 1;
    if (report.finished) finished += 1;
  }
  return { resumed, finished };
}
