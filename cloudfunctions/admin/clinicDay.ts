// Admin actions for a clinic day (A2): stop a session / a doctor's day / a range (停诊), or put a substitute
// doctor in (替诊); watch a job's progress; retry what failed. Staff only; every start and retry is audited.
import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { clinicJobsOf } from '../shared/clinicDay/clinicJobs';
import { clinicJobView } from '../shared/clinicDay/jobView';
import { reopenFailures, runClinicJob } from '../shared/clinicDay/runClinicJob';
import { startClinicJob } from '../shared/clinicDay/startClinicJob';
import { defineAction } from '../shared/createMain';
import { AppError } from '../shared/errors';
import { auditAdmin } from './requireAdmin';

/** How long the action itself works the job before answering; the tick carries on with the rest. */
export const INLINE_BUDGET_MS = 3000;

const objectId = (message: string) => z.string({ error: message }).regex(/^[0-9a-f]{24}$/, message);
const isoDate = (label: string) => z.string({ error: `请选择${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label}的格式应为 年-月-日`);

export const stopClinicSchema = z.object({
  target: z.discriminatedUnion(
    'scope',
    [
      z.object({ scope: z.literal('session'), scheduleId: objectId('请选择要停诊的出诊') }),
      z.object({ scope: z.literal('day'), doctorId: objectId('请选择医生'), date: isoDate('停诊日期') }),
      z.object({ scope: z.literal('range'), doctorId: objectId('请选择医生'), from: isoDate('开始日期'), to: isoDate('结束日期') }),
    ],
    { error: '请选择停诊范围：一次出诊、一天或一段日期' },
  ),
  reason: z.string({ error: '请填写停诊原因，患者会在通知里看到' }).trim().min(2, '停诊原因至少 2 个字，例如“医生临时有急诊手术”').max(40, '停诊原因最多 40 个字'),
  substituteDoctorId: objectId('替诊医生编号不对').optional(),
});

const jobIdSchema = z.object({ jobId: objectId('请选择停诊任务') });

async function findJob(db: Parameters<typeof clinicJobsOf>[0], jobId: string) {
  const job = await clinicJobsOf(db).findOne({ _id: new ObjectId(jobId) });
  if (!job) throw new AppError('NOT_FOUND', '没有找到这个停诊任务，请返回列表刷新。');
  return job;
}

export const clinicDayActions = {
  stopClinic: defineAction({
    auth: 'admin',
    input: stopClinicSchema,
    async run(context, input) {
      const { job, alreadyStopped } = await startClinicJob(context, input);
      if (!alreadyStopped) {
        await auditAdmin(context, job.kind === 'stop' ? 'stopClinic' : 'substituteDoctor', {
          targetId: job._id,
          scope: job.scopeLabel,
          sessions: job.scheduleIds.length,
          reason: job.reason,
          ...(job.substitute && { substituteDoctorId: job.substitute.doctorId }),
        });
      }
      await runClinicJob(context, job._id, INLINE_BUDGET_MS);
      const view = await clinicJobView(context, await findJob(context.db, job._id.toHexString()));
      const head = alreadyStopped ? '这些出诊已经停诊过了，下面是当时的处理进度。' : `已${view.kindLabel}：${view.scopeLabel}，患者端已显示停诊。`;
      return { job: view, alreadyStopped, message: `${head}${view.summary}` };
    },
  }),

  clinicJob: defineAction({
    auth: 'admin',
    input: jobIdSchema,
    async run(context, input) {
      return { job: await clinicJobView(context, await findJob(context.db, input.jobId)) };
    },
  }),

  clinicJobs: defineAction({
    auth: 'admin',
    input: z.object({ limit: z.number({ error: '条数要是 1 到 50 的整数' }).int('条数要是整数').min(1).max(50).default(20) }),
    async run(context, input) {
      const jobs = await clinicJobsOf(context.db).find({}).sort({ createdAt: -1 }).limit(input.limit).toArray();
      return { jobs: await Promise.all(jobs.map((job) => clinicJobView(context, job, false))) };
    },
  }),

  retryClinicJob: defineAction({
    auth: 'admin',
    input: jobIdSchema,
    async run(context, input) {
      const job = await findJob(context.db, input.jobId);
      const failed = Object.keys(job.failed).length;
      if (job.status === 'finished' && failed === 0) throw new AppError('CONFLICT', '这个任务已经全部处理完成，没有需要重试的预约。');
      await reopenFailures(context.db, job._id, context.now);
      await auditAdmin(context, 'retryClinicJob', { targetId: job._id, failed });
      await runClinicJob(context, job._id, INLINE_BUDGET_MS);
      const view = await clinicJobView(context, await findJob(context.db, input.jobId));
      return { job: view, message: view.summary };
    },
  }),
};
