// What staff see of a stop-clinic or substitute job (A2): progress in numbers and one line per appointment.
import { appointmentsOf } from '../booking/appointments';
import type { Context } from '../context';
import { maskName } from '../domain/mask';
import { patientsOf } from '../patients/patientRepository';
import type { ClinicJobDoc, ItemOutcome } from './clinicJobs';
import { jobAppointmentsFilter } from './runClinicJob';
import { visitWhen } from './stopAppointment';

const OUTCOME_LABELS: Record<ItemOutcome, string> = {
  cancelled: '已取消并通知',
  moved: '已改由替诊医生看诊并通知',
  released: '未支付的预约已释放并通知',
  skipped: '患者已自行取消，无需处理',
};

export interface ClinicJobItemView {
  appointmentId: string;
  patientName: string;
  number: number | null;
  when: string;
  state: 'done' | 'failed' | 'remaining';
  /** "已取消并通知", "医院系统暂时连接不上…", "等待处理" */
  label: string;
  outcome: ItemOutcome | null;
  refunded: boolean;
  failure: { code: string; reason: string; attempts: number } | null;
}

export interface ClinicJobView {
  id: string;
  kind: ClinicJobDoc['kind'];
  kindLabel: '停诊' | '替诊';
  reason: string;
  scopeLabel: string;
  substitute: { doctorId: string; doctorName: string; title: string } | null;
  status: ClinicJobDoc['status'];
  counts: { total: number; done: number; failed: number; remaining: number; refunded: number };
  /** "共 10 个预约：已处理 8 个，失败 1 个，还剩 1 个" */
  summary: string;
  items: ClinicJobItemView[];
  createdAt: string;
  finishedAt: string | null;
}

export function summaryOf(kind: ClinicJobDoc['kind'], counts: ClinicJobView['counts'], status: ClinicJobDoc['status']): string {
  const head = `共 ${counts.total} 个预约：已处理 ${counts.done} 个`;
  const failed = counts.failed ? `，失败 ${counts.failed} 个（可点“重试”）` : '';
  const left = counts.remaining ? `，还剩 ${counts.remaining} 个正在处理` : '';
  const end = status === 'finished' && !counts.failed ? `。${kind === 'stop' ? '停诊' : '替诊'}已全部处理完成` : '';
  return `${head}${failed}${left}${end}。`;
}

export async function clinicJobView(services: Pick<Context, 'db' | 'config'>, job: ClinicJobDoc, withItems = true): Promise<ClinicJobView> {
  const appointments = await appointmentsOf(services.db).find(jobAppointmentsFilter(job)).sort({ start: 1, number: 1 }).toArray();
  const known = new Set(appointments.map((entry) => entry._id.toHexString()));
  const ids = [...new Set([...known, ...Object.keys(job.done), ...Object.keys(job.failed)])];
  const patients = withItems ? await patientsOf(services.db).find({ _id: { $in: appointments.map((entry) => entry.patientId) } }, { projection: { name: 1 } }).toArray() : [];
  const names = new Map(patients.map((patient) => [patient._id.toHexString(), patient.name]));
  const byId = new Map(appointments.map((entry) => [entry._id.toHexString(), entry]));
  const items: ClinicJobItemView[] = ids.map((id) => {
    const appointment = byId.get(id);
    const done = job.done[id];
    const failed = job.failed[id];
    return {
      appointmentId: id,
      patientName: appointment ? maskName(names.get(appointment.patientId.toHexString()) ?? '') : '',
      number: done?.number ?? appointment?.number ?? null,
      when: appointment ? visitWhen(appointment, services.config.timeZone) : '',
      state: done ? 'done' : failed ? 'failed' : 'remaining',
      label: done ? OUTCOME_LABELS[done.outcome] : failed ? failed.reason : '等待处理',
      outcome: done?.outcome ?? null,
      refunded: done?.refunded ?? false,
      failure: failed ? { code: failed.code, reason: failed.reason, attempts: failed.attempts } : null,
    };
  });
  const counts = {
    total: items.length,
    done: items.filter((item) => item.state === 'done').length,
    failed: items.filter((item) => item.state === 'failed').length,
    remaining: items.filter((item) => item.state === 'remaining').length,
    refunded: items.filter((item) => item.refunded).length,
  };
  return {
    id: job._id.toHexString(),
    kind: job.kind,
    kindLabel: job.kind === 'stop' ? '停诊' : '替诊',
    reason: job.reason,
    scopeLabel: job.scopeLabel,
    substitute: job.substitute ? { doctorId: job.substitute.doctorId.toHexString(), doctorName: job.substitute.doctorName, title: job.substitute.title } : null,
    status: job.status,
    counts,
    summary: summaryOf(job.kind, counts, job.status),
    items: withItems ? items : [],
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
