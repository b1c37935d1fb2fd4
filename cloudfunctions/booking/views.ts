// What patients see of an appointment: the slip, the status in words, and what they can do next.
import type { Db } from 'mongodb';
import type { AppointmentDoc } from '../shared/booking/appointments';
import { catalogCache } from '../shared/catalog/catalogCache';
import { PERIOD_LABELS } from '../shared/catalog/model';
import { preparationFor } from '../shared/catalog/preparation';
import type { DepartmentRules } from '../shared/catalog/rules';
import { STATUS_LABELS } from '../shared/domain/appointmentStatus';
import { cancelDeadline, explainCancellation } from '../shared/domain/cancellation';
import { formatClock, formatMonthDay } from '../shared/domain/releaseRules';
import { comesIn, refundSentence } from '../shared/domain/slipWording';
import type { PatientDoc } from '../shared/patients/patientRepository';
import { orderOfAppointment, paymentsOf, pickOrderOfAppointment, type PaymentDoc, type RefundStatus } from '../shared/payment/payments';
import { queueOf, type QueueView } from '../shared/clinicDay/checkIn';

/** Patients are asked to arrive this long before their window. */
export const ARRIVE_MINUTES_BEFORE = 10;

export interface AppointmentView {
  id: string;
  status: AppointmentDoc['status'];
  statusLabel: string;
  patient: { id: string; name: string };
  doctor: { id: string; name: string; title: string };
  department: { id: string; name: string };
  date: string;
  /** 11月29日 上午 09:00-09:30 */
  when: string;
  window: string;
  start: string;
  end: string;
  number: number | null;
  /** Whether the patient is still expected: a cancelled or expired slip shows no number, arrival or check-in. */
  comesIn: boolean;
  location: string;
  feeFen: number;
  /** For pending payments: when the place goes back. */
  holdExpiresAt: string | null;
  /** Suggested arrival, HH:mm. */
  arriveBy: string;
  /** One natural sentence about where things stand. */
  message: string;
  cancel: { allowed: boolean; until: string | null; rule: string };
  /** Priced appointments: whether it is paid, and the refund's progress once there is one (Y4). */
  payment: { paid: boolean; refund: { status: RefundStatus; label: string; sentence: string; amountFen: number } | null } | null;
  /** What the hospital told the patient about this appointment (停诊, 替诊), newest first, with where to book instead. */
  notices: { kind: string; at: string; text: string; alternatives: { kind: string; slotId: string; doctorId: string; doctorName: string; when: string; sentence: string; bookLink: string }[]; bookLink: string | null }[];
  /** Set when the hospital stopped this session: shown as 停诊 on the slip. */
  clinicStopped: { label: '停诊'; reason: string } | null;
  /** Checked in: the live place in the doctor's queue. */
  queue: QueueView | null;
  /** 就诊须知 for this visit (the doctor's, else the department's); '' when there are none. */
  preparation: string;
  /** Booked: when self check-in opens and closes ("08:00-09:15"), and the rule in words. */
  checkIn: { opensAt: string; closesAt: string; rule: string } | null;
}

const REFUND_LABELS: Record<RefundStatus, string> = {
  queued: '退款将在次日对账后原路退回',
  processing: '退款处理中，一般 1-3 个工作日到账',
  succeeded: '已原路退款',
  failed: '退款遇到问题，工作人员会尽快与您联系',
};

import { locationName } from '../shared/catalog/locations';

export { locationName };

/**
 * The order that speaks for each of these appointments (priced ones only; an appointment may have had
 * several payers' orders), in one read: a list must not cost a round trip per line.
 */
export async function paymentsFor(db: Db, appointments: AppointmentDoc[]): Promise<Map<string, PaymentDoc>> {
  const priced = appointments.filter((appointment) => appointment.feeFen > 0).map((appointment) => appointment._id);
  const orders = priced.length > 0 ? await paymentsOf(db).find({ appointmentId: { $in: priced } }).toArray() : [];
  const byAppointment = new Map<string, PaymentDoc[]>();
  for (const order of orders) byAppointment.set(order.appointmentId.toHexString(), [...(byAppointment.get(order.appointmentId.toHexString()) ?? []), order]);
  return new Map([...byAppointment].flatMap(([id, list]) => {
    const picked = pickOrderOfAppointment(list);
    return picked ? [[id, picked] as const] : [];
  }));
}

/** `knownPayment`: the appointment's order when the caller read it already (null: none); read here when omitted. */
export async function toAppointmentView(
  db: Db,
  appointment: AppointmentDoc,
  patient: Pick<PatientDoc, '_id' | 'name'>,
  rules: DepartmentRules,
  now: Date,
  knownPayment?: PaymentDoc | null,
): Promise<AppointmentView> {
  const zone = rules.timeZone;
  const [doctor, departments, location, payment, preparation] = await Promise.all([
    catalogCache.doctor(db, appointment.doctorId),
    catalogCache.departments(db),
    locationName(db, appointment.locationId),
    knownPayment !== undefined || appointment.feeFen <= 0 ? (knownPayment ?? null) : orderOfAppointment(db, appointment._id),
    preparationFor(db, appointment),
  ]);
  const refund = payment?.refund;
  const queue = appointment.status === 'checked_in' ? await queueOf(db, appointment) : null;
  const opens = new Date(appointment.start.getTime() - rules.checkIn.opensMinutesBefore * 60_000);
  const closes = new Date(appointment.start.getTime() + rules.checkIn.closesMinutesAfter * 60_000);
  const refundWords = refund ? refundSentence(refund.reason, refund.status) : null;
  const department = departments.find((entry) => entry._id.equals(appointment.departmentId));
  const window = `${formatClock(appointment.start, zone)}-${formatClock(appointment.end, zone)}`;
  const day = formatMonthDay(appointment.date, zone);
  const doctorCall = doctor ? `${Array.from(doctor.name)[0]}医生` : '医生';
  const arriveBy = formatClock(new Date(appointment.start.getTime() - ARRIVE_MINUTES_BEFORE * 60_000), zone);
  const deadline = cancelDeadline(appointment.start, rules.cancellation);
  // After a substitute doctor was put in, the patient may cancel whatever the cutoff (A2).
  const freeOfCutoff = Boolean(appointment.substitution);
  const cancellable = (appointment.status === 'booked' && (now < deadline || freeOfCutoff)) || appointment.status === 'pending_payment';

  const messages: Partial<Record<AppointmentDoc['status'], string>> = {
    booked: `已为您预约 ${doctorCall} ${day} ${window}，请提前 ${ARRIVE_MINUTES_BEFORE} 分钟到${location}候诊。`,
    pending_payment: appointment.holdExpiresAt
      ? `已为您保留 ${doctorCall} ${day} ${window} 的号，请在 ${formatClock(appointment.holdExpiresAt, zone)} 前完成支付，超时号源会自动释放。`
      : undefined,
    checked_in: `${queue?.sentence ?? '已签到，请留意叫号。'}候诊地点：${location}。`,
    completed: '本次就诊已完成，祝您早日康复。',
    no_show: '这次预约没有按时就诊，已记为爽约。多次爽约会暂停网上预约，如不能来请提前取消。',
    cancelled: appointment.clinicStop
      ? `医生停诊（${appointment.clinicStop.reason}），医院已为您取消这个预约。${refund ? refundSentence(refund.reason, refund.status) : ''}`
      : (refundWords ?? '这个预约已取消，号源已经放回。'),
    expired: refundWords ?? '这个预约超过支付时间，已自动取消，号源已经放回。如仍需就诊，请重新预约。',
    failed: appointment.failure?.message ?? '预约没有成功，请重新预约。',
    holding: '正在为您预约，请稍候……',
  };
  return {
    id: appointment._id.toHexString(),
    status: appointment.status,
    statusLabel: appointment.status === 'holding' ? '预约中' : appointment.status === 'failed' ? '未成功' : STATUS_LABELS[appointment.status],
    patient: { id: patient._id.toHexString(), name: patient.name },
    doctor: { id: appointment.doctorId.toHexString(), name: doctor?.name ?? '', title: doctor?.title ?? '' },
    department: { id: appointment.departmentId.toHexString(), name: department?.name ?? '' },
    date: appointment.date,
    when: `${day} ${PERIOD_LABELS[appointment.period]} ${window}`,
    window,
    start: appointment.start.toISOString(),
    end: appointment.end.toISOString(),
    number: comesIn(appointment.status) ? appointment.number : null,
    comesIn: comesIn(appointment.status),
    location,
    feeFen: appointment.feeFen,
    holdExpiresAt: appointment.holdExpiresAt?.toISOString() ?? null,
    arriveBy,
    message: messages[appointment.status] ?? '',
    cancel: {
      allowed: cancellable,
      until: appointment.status === 'booked' && !freeOfCutoff ? `${formatMonthDay(deadline, zone)} ${formatClock(deadline, zone)}` : null,
      rule: freeOfCutoff ? '医院已为您更换看诊医生，如不想换医生，签到前可随时取消，挂号费原路退回。' : explainCancellation(appointment.start, rules.cancellation, zone),
    },
    payment:
      appointment.feeFen > 0
        ? {
            paid: payment?.status === 'paid',
            refund: refund ? { status: refund.status, label: REFUND_LABELS[refund.status], sentence: refundWords!, amountFen: refund.amountFen } : null,
          }
        : null,
    notices: [...(appointment.notices ?? [])].reverse().map((notice) => ({
      kind: notice.kind,
      at: notice.at.toISOString(),
      text: notice.text,
      alternatives: notice.alternatives.map(({ kind, slotId, doctorId, doctorName, when, sentence, bookLink }) => ({ kind, slotId, doctorId, doctorName, when, sentence, bookLink })),
      bookLink: notice.bookLink,
    })),
    clinicStopped: appointment.clinicStop ? { label: '停诊', reason: appointment.clinicStop.reason } : null,
    queue,
    preparation,
    checkIn:
      appointment.status === 'booked'
        ? {
            opensAt: opens.toISOString(),
            closesAt: closes.toISOString(),
            rule: `就诊当天 ${formatClock(opens, zone)}-${formatClock(closes, zone)} 可以在小程序里自助签到，也可以到门诊服务台出示就诊码签到；签到后不能再退号。`,
          }
        : null,
  };
}
