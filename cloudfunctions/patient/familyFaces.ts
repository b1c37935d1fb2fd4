// Who shares a card, in words the owner recognizes (their relation to the patient and the masked name of
// their own card), and what each did for this card: booked, cancelled, paid, joined (P3 audit).
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { ObjectId } from 'mongodb';
import type { AuditDoc } from '../shared/audit';
import { appointmentsOf } from '../shared/booking/appointments';
import { catalogCache } from '../shared/catalog/catalogCache';
import type { UserContext } from '../shared/context';
import { maskName } from '../shared/domain/mask';
import type { Relation } from '../shared/domain/patientSchemas';
import { linksOf, patientsOf, type PatientDoc, type PatientLinkDoc } from '../shared/patients/patientRepository';
import { paymentsOf } from '../shared/payment/payments';

dayjs.extend(utc);
dayjs.extend(timezone);

/** The manager as seen from the patient: a link saying "the patient is my parent" makes the manager the patient's child. */
const MANAGER_AS: Record<Relation, string> = {
  self: '本人',
  parent: '子女',
  child: '父母',
  spouse: '配偶',
  sibling: '兄弟姐妹',
  other: '家人',
};

const ACTIVITY_LIMIT = 20;

/** "张秀英的子女 李*明": the manager's own card, masked; without one, that it is missing. */
export async function managerNames(context: UserContext, patient: Pick<PatientDoc, '_id' | 'name'>, links: PatientLinkDoc[]): Promise<Map<string, string>> {
  const userIds = links.map((link) => link.userId);
  const selfLinks = await linksOf(context.db).find({ userId: { $in: userIds }, relation: 'self' }).toArray();
  const selves = await patientsOf(context.db).find({ _id: { $in: selfLinks.map((link) => link.patientId) } }).toArray();
  const selfName = new Map(selfLinks.flatMap((link) => {
    const own = selves.find((entry) => entry._id.equals(link.patientId));
    return own ? [[link.userId.toHexString(), maskName(own.name)] as const] : [];
  }));
  return new Map(links.map((link) => {
    const id = link.userId.toHexString();
    if (link.userId.equals(context.user._id)) return [id, '您'];
    if (link.relation === 'self') return [id, `就诊人本人 ${maskName(patient.name)}`];
    const own = selfName.get(id);
    return [id, `${patient.name}的${MANAGER_AS[link.relation]}${own ? ` ${own}` : '（还没有登记自己的就诊卡）'}`];
  }));
}

export interface ActivityView {
  at: string;
  who: string;
  what: string;
}

/** The newest things done for this card, by whom: from the audit (bookings, cancels, joins) and paid orders. */
export async function cardActivity(context: UserContext, patientId: ObjectId, names: Map<string, string>): Promise<ActivityView[]> {
  const zone = context.config.timeZone;
  const audit = await context.db
    .collection<AuditDoc>('audit')
    .find({ patientId, action: { $in: ['booking.hold', 'booking.cancel', 'patient.invite.accept', 'patient.proof.join', 'patient.revokeManager', 'patient.phone.change'] } })
    .sort({ at: -1 })
    .limit(ACTIVITY_LIMIT)
    .toArray();
  const paid = await paymentsOf(context.db).find({ patientId, status: 'paid' }).sort({ paidAt: -1 }).limit(ACTIVITY_LIMIT).toArray();
  const appointmentIds = [...audit.map((entry) => entry.details?.appointmentId), ...paid.map((order) => order.appointmentId.toHexString())]
    .filter((id): id is string => typeof id === 'string' && ObjectId.isValid(id))
    .map((id) => ObjectId.createFromHexString(id));
  const appointments = await appointmentsOf(context.db).find({ _id: { $in: appointmentIds }, patientId }).toArray();
  const doctorNames = new Map<string, string>();
  for (const appointment of appointments) {
    const doctor = await catalogCache.doctor(context.db, appointment.doctorId);
    doctorNames.set(appointment.doctorId.toHexString(), doctor?.name ?? '');
  }
  const visit = (id: unknown) => {
    const appointment = appointments.find((entry) => entry._id.toHexString() === id);
    if (!appointment) return '一个号';
    return `${doctorNames.get(appointment.doctorId.toHexString())}医生 ${dayjs(appointment.start).tz(zone).format('M月D日 HH:mm')} 的号`;
  };
  const who = (userId: ObjectId) => names.get(userId.toHexString()) ?? '已不再管理的家人';
  const entries = [
    ...audit.map((entry) => ({
      at: entry.at,
      who: who(entry.actorUserId),
      what:
        entry.action === 'booking.hold'
          ? `预约了${visit(entry.details?.appointmentId)}`
          : entry.action === 'booking.cancel'
            ? `取消了${visit(entry.details?.appointmentId)}`
            : entry.action === 'patient.revokeManager'
              ? `移除了${entry.targetUserId ? who(entry.targetUserId) : '一位家人'}`
              : entry.action === 'patient.phone.change'
                ? '修改了登记手机号'
                : '加入了管理这张就诊卡',
    })),
    ...paid.map((order) => ({ at: order.paidAt ?? order.updatedAt, who: who(order.createdBy), what: `支付了${visit(order.appointmentId.toHexString())}的挂号费` })),
  ];
  return entries
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .slice(0, ACTIVITY_LIMIT)
    .map((entry) => ({ at: entry.at.toISOString(), who: entry.who, what: entry.what }));
}
