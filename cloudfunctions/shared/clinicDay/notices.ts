// What a patient is told when the hospital changes their appointment (A2, N2): stop-clinic and substitute doctor.
// Each notice is recorded on the appointment (`notices`), so the appointment detail shows it, and queued in
// the messages outbox (message center, and a WeChat notice with consent) with the same words. A notice is
// written once per key, and the outbox keys its message too: a resumed or repeated job never tells twice.
import type { ObjectId } from 'mongodb';
import { appointmentsOf, type AppointmentDoc } from '../booking/appointments';
import { queueClinicNotice } from '../messages/events';
import type { QueueServices } from '../messages/outbox';
import type { ClinicAlternative } from './stopAlternatives';

export interface AppointmentNotice {
  /** `${kind}:${jobId}`: one notice per appointment and job. */
  key: string;
  kind: 'clinic_stopped' | 'doctor_substituted';
  at: Date;
  /** The whole message in Chinese, as the patient reads it. */
  text: string;
  alternatives: ClinicAlternative[];
  /** Where the patient books again (a mini-program page path). */
  bookLink: string | null;
}

declare module '../booking/appointments' {
  interface AppointmentDoc {
    notices?: AppointmentNotice[];
  }
}

type NoticeServices = QueueServices;

async function record(services: NoticeServices, appointment: AppointmentDoc, notice: AppointmentNotice): Promise<boolean> {
  const result = await appointmentsOf(services.db).updateOne({ _id: appointment._id, 'notices.key': { $ne: notice.key } }, { $push: { notices: notice } });
  // Queued even when the notice was already recorded (a job killed between the two): the outbox drops the repeat.
  await queueClinicNotice(services, appointment, { event: notice.kind === 'clinic_stopped' ? 'stop_clinic' : 'doctor_substituted', text: notice.text });
  return result.modifiedCount === 1;
}

/** 停诊: the visit is cancelled, the fee (if any) goes back, and here is where to go instead. */
export function noticeStopClinic(
  services: NoticeServices,
  input: { appointment: AppointmentDoc; jobId: ObjectId; when: string; doctorName: string; reason: string; refunded: boolean; alternatives: ClinicAlternative[] },
): Promise<boolean> {
  const { appointment, alternatives } = input;
  const money = input.refunded ? '挂号费会原路退回，一般 1-3 个工作日到账。' : '';
  const next = alternatives.length
    ? `您可以改约：${alternatives.map((entry) => entry.sentence).join('；')}。`
    : '近期暂时没有可改约的号，请过几天放号时再来看看。';
  const text = `很抱歉，${input.doctorName}医生 ${input.when} 因${input.reason}停诊，您的预约已为您取消，不需要再来医院。${money}${next}`;
  return record(services, appointment, {
    key: `clinic_stopped:${input.jobId.toHexString()}`,
    kind: 'clinic_stopped',
    at: services.now,
    text,
    alternatives,
    bookLink: alternatives[0]?.bookLink ?? `/pages/catalog/department/index?id=${appointment.departmentId.toHexString()}`,
  });
}

/** 替诊: same time, same fee class, another doctor; the patient may still cancel at no cost whatever the cutoff. */
export function noticeSubstitute(
  services: NoticeServices,
  input: { appointment: AppointmentDoc; jobId: ObjectId; when: string; fromDoctorName: string; toDoctorName: string; toTitle: string; reason: string; number: number | null },
): Promise<boolean> {
  const number = input.number === null ? '' : `，就诊序号改为 ${input.number} 号`;
  const text =
    `${input.fromDoctorName}医生 ${input.when} 因${input.reason}不能出诊，医院已安排同科室的${input.toDoctorName}${input.toTitle}为您看诊${number}，时间和费用不变。` +
    '如果您不想换医生，可以在预约详情里直接取消，不受退号时间限制，挂号费会原路退回。';
  return record(services, input.appointment, {
    key: `doctor_substituted:${input.jobId.toHexString()}`,
    kind: 'doctor_substituted',
    at: services.now,
    text,
    alternatives: [],
    bookLink: null,
  });
}
