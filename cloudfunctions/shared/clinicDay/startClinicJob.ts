// Staff stop a session, a doctor's day or a range of days (A2): the sessions are marked 停诊 at once (the
// catalog shows it and refuses new holds), then a job cancels or moves their appointments. Starting the same
// stop twice finds the sessions already stopped and answers with the job already at work.
import { ObjectId } from 'mongodb';
import { catalogCache } from '../catalog/catalogCache';
import { schedulesOf, slotsOf } from '../catalog/collections';
import { PERIOD_LABELS, type DoctorDoc, type ScheduleDoc, type SlotDoc } from '../catalog/model';
import { queueNumbers } from '../catalog/generateSchedules';
import { scheduleCache } from '../catalog/scheduleCache';
import type { UserContext } from '../context';
import { calendarDates, dateIn, formatMonthDay } from '../domain/releaseRules';
import { AppError } from '../errors';
import { CLINIC_JOB_LEASE_MS, clinicJobsOf, type ClinicJobDoc } from './clinicJobs';

export type StopScope =
  | { scope: 'session'; scheduleId: string }
  | { scope: 'day'; doctorId: string; date: string }
  | { scope: 'range'; doctorId: string; from: string; to: string };

export interface StartInput {
  target: StopScope;
  reason: string;
  /** 替诊: move the bookings to this doctor instead of cancelling them (one session or one day only). */
  substituteDoctorId?: string;
}

export const MAX_STOP_DAYS = 31;
const PAST_SESSION = '已经过去的出诊不能停诊，请选择今天或以后的日期。';

async function sessionsOf(context: UserContext, target: StopScope): Promise<{ sessions: ScheduleDoc[]; doctor: DoctorDoc; label: string }> {
  const zone = context.config.timeZone;
  const today = dateIn(context.now, zone);
  let sessions: ScheduleDoc[];
  let label: string;
  if (target.scope === 'session') {
    const session = await schedulesOf(context.db).findOne({ _id: new ObjectId(target.scheduleId) });
    if (!session) throw new AppError('NOT_FOUND', '没有找到这次出诊，请刷新排班后再选。');
    sessions = [session];
    label = `${formatMonthDay(session.date, zone)} ${PERIOD_LABELS[session.period]}`;
  } else {
    const [from, to] = target.scope === 'day' ? [target.date, target.date] : [target.from, target.to];
    const days = calendarDates(from, to);
    if (from < today) throw new AppError('INVALID_PARAMS', PAST_SESSION);
    if (!days.length || days.length > MAX_STOP_DAYS) throw new AppError('INVALID_PARAMS', `一次最多停诊 ${MAX_STOP_DAYS} 天，结束日期不能早于开始日期。`);
    sessions = await schedulesOf(context.db).find({ doctorId: new ObjectId(target.doctorId), date: { $in: days } }).sort({ date: 1 }).toArray();
    label = from === to ? formatMonthDay(from, zone) : `${formatMonthDay(from, zone)}-${formatMonthDay(to, zone)}`;
  }
  if (sessions.some((session) => session.date < today)) throw new AppError('INVALID_PARAMS', PAST_SESSION);
  const doctorId = target.scope === 'session' ? sessions[0].doctorId : new ObjectId(target.doctorId);
  const doctor = await catalogCache.doctor(context.db, doctorId);
  if (!doctor) throw new AppError('NOT_FOUND', '没有找到这位医生。');
  if (!sessions.length) throw new AppError('NOT_FOUND', `${doctor.name}医生在${label}没有出诊，不需要停诊。`);
  return { sessions, doctor, label: `${doctor.name} ${label}` };
}

async function substituteDoctor(context: UserContext, from: DoctorDoc, id: string): Promise<DoctorDoc> {
  const doctor = await catalogCache.doctor(context.db, new ObjectId(id));
  if (!doctor || !doctor.active) throw new AppError('NOT_FOUND', '没有找到这位替诊医生，或他已停用。');
  if (doctor._id.equals(from._id)) throw new AppError('INVALID_PARAMS', '替诊医生不能是停诊的医生本人，请选择同科室的另一位医生。');
  if (!doctor.departmentId.equals(from.departmentId) || doctor.feeClass !== from.feeClass) {
    throw new AppError('INVALID_PARAMS', `替诊医生要和${from.name}医生同一科室、同一号别（${from.feeClass}号），患者的挂号费才不变。请另选一位。`);
  }
  return doctor;
}

/** The substitute's session at the same date and period: theirs if they work then, else a copy of the stopped one. */
async function targetSession(context: UserContext, stopped: ScheduleDoc, doctor: DoctorDoc): Promise<ObjectId> {
  const existing = await schedulesOf(context.db).findOne({ doctorId: doctor._id, date: stopped.date, period: stopped.period });
  if (existing) {
    if (existing.status !== 'open') throw new AppError('INVALID_PARAMS', `${doctor.name}医生在这个时段也停诊了，请另选一位替诊医生。`);
    return existing._id;
  }
  const session: ScheduleDoc = { ...stopped, _id: new ObjectId(), doctorId: doctor._id, status: 'open', templateId: null, generatedAt: context.now };
  delete session.stop;
  try {
    await schedulesOf(context.db).insertOne(session);
  } catch {
    // Created meanwhile by a generator run or a second start: use that one.
    const raced = await schedulesOf(context.db).findOne({ doctorId: doctor._id, date: stopped.date, period: stopped.period });
    if (!raced) throw new AppError('CONFLICT');
    return raced._id;
  }
  const slots = await slotsOf(context.db).find({ scheduleId: stopped._id }).toArray();
  const copies: SlotDoc[] = slots.map((slot) => ({
    _id: new ObjectId(),
    scheduleId: session._id,
    doctorId: doctor._id,
    departmentId: slot.departmentId,
    date: slot.date,
    period: slot.period,
    start: slot.start,
    end: slot.end,
    firstNumber: slot.firstNumber,
    capacity: slot.capacity,
    // Open to everyone at once; a moved booking that finds no room left is stopped (cancelled and refunded) instead.
    remaining: slot.capacity,
    holders: [],
    freeNumbers: queueNumbers(slot.firstNumber, slot.capacity),
  }));
  if (copies.length) await slotsOf(context.db).insertMany(copies);
  return session._id;
}

export async function startClinicJob(context: UserContext, input: StartInput): Promise<{ job: ClinicJobDoc; alreadyStopped: boolean }> {
  const { sessions, doctor, label } = await sessionsOf(context, input.target);
  const substitute = input.substituteDoctorId ? await substituteDoctor(context, doctor, input.substituteDoctorId) : undefined;
  if (substitute && input.target.scope === 'range') throw new AppError('INVALID_PARAMS', '替诊一次只能安排一次出诊或一天，请按天分别安排。');

  const open = sessions.filter((session) => session.status === 'open');
  if (!open.length) {
    const earlier = await clinicJobsOf(context.db).findOne({ scheduleIds: sessions[0]._id }, { sort: { createdAt: -1 } });
    if (earlier) return { job: earlier, alreadyStopped: true };
    throw new AppError('CONFLICT', '这些出诊已经停诊了。');
  }
  const targets: Record<string, ObjectId> = {};
  if (substitute) for (const session of open) targets[session._id.toHexString()] = await targetSession(context, session, substitute);

  const job: ClinicJobDoc = {
    _id: new ObjectId(),
    kind: substitute ? 'substitute' : 'stop',
    reason: input.reason,
    scheduleIds: [],
    scopeLabel: label,
    ...(substitute && { substitute: { doctorId: substitute._id, doctorName: substitute.name, title: substitute.title }, targets }),
    status: 'running',
    done: {},
    failed: {},
    leaseOwner: null,
    // Not for a runner until its sessions are written below (an empty job would finish at once).
    leaseUntil: new Date(Date.now() + CLINIC_JOB_LEASE_MS),
    createdBy: context.user._id,
    createdAt: context.now,
    updatedAt: context.now,
  };
  await clinicJobsOf(context.db).insertOne(job);
  // Each session is stopped by exactly one job: a second start racing this one gets the sessions it won.
  const mine: ObjectId[] = [];
  for (const session of open) {
    const stopped = await schedulesOf(context.db).updateOne(
      { _id: session._id, status: 'open' },
      { $set: { status: 'stopped', stop: { reason: input.reason, at: context.now, by: context.user._id, jobId: job._id } } },
    );
    if (stopped.modifiedCount === 1) mine.push(session._id);
  }
  scheduleCache.invalidateDoctor(doctor._id);
  if (substitute) scheduleCache.invalidateDoctor(substitute._id);
  if (!mine.length) {
    await clinicJobsOf(context.db).deleteOne({ _id: job._id });
    const earlier = await clinicJobsOf(context.db).findOne({ scheduleIds: open[0]._id }, { sort: { createdAt: -1 } });
    if (!earlier) throw new AppError('CONFLICT');
    return { job: earlier, alreadyStopped: true };
  }
  await clinicJobsOf(context.db).updateOne({ _id: job._id }, { $set: { scheduleIds: mine, leaseUntil: new Date(0) } });
  return { job: { ...job, scheduleIds: mine, leaseUntil: new Date(0) }, alreadyStopped: false };
}

