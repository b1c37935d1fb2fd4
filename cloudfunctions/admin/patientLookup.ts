// Patient look-up for staff (A3, A5): by appointment id, visit code, card id, or name plus the last 4 of the
// ID; shows the person's appointments, no-shows, restriction and payments. Every look-up is audited with the
// staff member and the reason chosen; ID and phone numbers stay masked. And the audit trail, filtered.
import { ObjectId, type Filter } from 'mongodb';
import { z } from 'zod';
import type { AuditDoc } from '../shared/audit';
import { recordAudit } from '../shared/audit';
import { appointmentsOf } from '../shared/booking/appointments';
import { catalogCache } from '../shared/catalog/catalogCache';
import { PERIOD_LABELS } from '../shared/catalog/model';
import { penaltyOf } from '../shared/clinicDay/noShows';
import type { UserContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { STATUS_LABELS } from '../shared/domain/appointmentStatus';
import { maskIdNumber, maskPhone } from '../shared/domain/mask';
import { formatClock, formatMonthDay, zonedInstant } from '../shared/domain/releaseRules';
import { AppError } from '../shared/errors';
import { linksOf, patientsOf, type PatientDoc } from '../shared/patients/patientRepository';
import { verifyVisitCode } from '../shared/patients/visitCode';
import { paymentsOf } from '../shared/payment/payments';

/** Why staff looked someone up: chosen from this list, recorded with the look-up. */
export const LOOKUP_REASONS = {
  counter_service: '窗口办理业务',
  refund_inquiry: '患者咨询退费',
  no_show_appeal: '患者说明爽约情况',
  complaint: '处理投诉或意见',
  phone_inquiry: '患者电话咨询',
} as const;

const hex24 = (message: string) => z.string({ error: message }).regex(/^[0-9a-f]{24}$/, message);
const reason = z.enum(Object.keys(LOOKUP_REASONS) as [keyof typeof LOOKUP_REASONS], { error: '请选择查询原因' });

export const lookupSchema = z.discriminatedUnion(
  'by',
  [
    z.object({ by: z.literal('appointment'), appointmentId: hex24('预约编号不对'), reason }),
    z.object({ by: z.literal('visitCode'), code: z.string({ error: '请扫描就诊码' }).trim().min(1, '请扫描就诊码').max(200), reason }),
    z.object({ by: z.literal('card'), patientId: hex24('就诊卡编号不对'), reason }),
    z.object({
      by: z.literal('nameId'),
      name: z.string({ error: '请填写姓名' }).trim().min(1, '请填写姓名').max(40, '姓名最多 40 个字'),
      idLast4: z.string({ error: '请填写证件号码后 4 位' }).regex(/^[0-9]{3}[0-9Xx]$/, '请填写证件号码后 4 位，最后一位可以是 X'),
      reason,
    }),
  ],
  { error: '请选择查询方式：预约编号、就诊码、就诊卡或姓名加证件后 4 位' },
);

/** At most this many people answer one name + last-4 query (two people can share both). */
const MAX_MATCHES = 5;

async function findPatients(context: UserContext, input: z.infer<typeof lookupSchema>): Promise<PatientDoc[]> {
  const byId = async (id: ObjectId) => {
    const patient = await patientsOf(context.db).findOne({ _id: id });
    return patient ? [patient] : [];
  };
  if (input.by === 'card') return byId(new ObjectId(input.patientId));
  if (input.by === 'appointment') {
    const appointment = await appointmentsOf(context.db).findOne({ _id: new ObjectId(input.appointmentId) }, { projection: { patientId: 1 } });
    return appointment ? byId(appointment.patientId) : [];
  }
  if (input.by === 'visitCode') {
    const check = verifyVisitCode(context.visitCodeKey, input.code, context.now);
    if (!check.ok) throw new AppError(check.reason === 'expired' ? 'VISIT_CODE_EXPIRED' : 'VISIT_CODE_INVALID');
    return byId(new ObjectId(check.patientId));
  }
  // The ID is sealed at rest: the few cards with this exact name are opened here, never searched by number.
  const named = await patientsOf(context.db).find({ name: input.name }).limit(200).toArray();
  const last4 = input.idLast4.toUpperCase();
  return named.filter((patient) => patient.idNumberSealed && context.pii.decrypt(patient.idNumberSealed).toUpperCase().endsWith(last4)).slice(0, MAX_MATCHES);
}

async function personView(context: UserContext, patient: PatientDoc) {
  const zone = context.config.timeZone;
  const [appointments, managers, payments, penalty] = await Promise.all([
    appointmentsOf(context.db).find({ patientId: patient._id, status: { $nin: ['holding', 'failed'] } }).sort({ start: -1 }).limit(50).toArray(),
    linksOf(context.db).countDocuments({ patientId: patient._id }),
    paymentsOf(context.db).find({ patientId: patient._id }).sort({ createdAt: -1 }).limit(50).toArray(),
    penaltyOf(context, patient._id),
  ]);
  const doctors = new Map(await Promise.all([...new Set(appointments.map((entry) => entry.doctorId.toHexString()))].map(async (id) => [id, (await catalogCache.doctor(context.db, new ObjectId(id)))?.name ?? ''] as const)));
  return {
    patient: {
      id: patient._id.toHexString(),
      name: patient.name,
      sex: patient.sex ?? null,
      birthDate: patient.birthDate ?? null,
      idNumber: patient.idNumberSealed ? maskIdNumber(context.pii.decrypt(patient.idNumberSealed)) : null,
      phone: maskPhone(context.pii.decrypt(patient.phoneSealed)),
      managers,
    },
    appointments: appointments.map((entry) => ({
      id: entry._id.toHexString(),
      date: entry.date,
      when: `${formatMonthDay(entry.date, zone)} ${PERIOD_LABELS[entry.period]} ${formatClock(entry.start, zone)}-${formatClock(entry.end, zone)}`,
      doctor: doctors.get(entry.doctorId.toHexString()) ?? '',
      number: entry.number,
      status: entry.status,
      statusLabel: entry.status === 'holding' || entry.status === 'failed' ? '未成功' : STATUS_LABELS[entry.status],
      clinicStopped: Boolean(entry.clinicStop),
    })),
    noShows: appointments
      .filter((entry) => entry.status === 'no_show')
      .map((entry) => ({ appointmentId: entry._id.toHexString(), date: entry.date, waived: entry.noShowWaiver ? { reason: entry.noShowWaiver.reason, at: entry.noShowWaiver.at.toISOString() } : null })),
    restriction: penalty.restricted ? { restricted: true, reopensOn: penalty.reopensOn, message: penalty.message } : { restricted: false, reopensOn: null, message: '可以正常在网上预约。' },
    payments: payments.map((order) => ({
      outTradeNo: order._id,
      appointmentId: order.appointmentId.toHexString(),
      amountFen: order.amountFen,
      status: order.status,
      paidAt: order.paidAt?.toISOString() ?? null,
      refund: order.refund ? { status: order.refund.status, reason: order.refund.reason, amountFen: order.refund.amountFen } : null,
    })),
  };
}

const auditQuery = z.object({
  actorUserId: hex24('工作人员编号不对').optional(),
  patientId: hex24('就诊卡编号不对').optional(),
  /** Not `action`: that names the call itself. */
  auditAction: z.string().regex(/^[a-zA-Z]+\.[a-zA-Z]+$/, '操作名称的格式应为“功能.操作”，例如 booking.cancel').optional(),
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '开始日期的格式应为 年-月-日').optional(),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '结束日期的格式应为 年-月-日').optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const patientLookupActions = {
  lookupPatient: defineAction({
    auth: 'admin',
    input: lookupSchema,
    async run(context, input) {
      const found = await findPatients(context, input);
      // Every look-up leaves a trace, a miss too (someone searching widely is worth seeing).
      await recordAudit(context.db, {
        at: context.now,
        actorUserId: context.user._id,
        action: 'admin.lookupPatient',
        ...(found.length === 1 && { patientId: found[0]._id }),
        requestId: context.requestId,
        details: { by: input.by, reason: input.reason, matches: found.length },
      });
      if (!found.length) throw new AppError('NOT_FOUND', '没有找到符合条件的就诊人，请核对后再查；姓名要和证件上的一致。');
      for (const patient of found.slice(1)) {
        await recordAudit(context.db, { at: context.now, actorUserId: context.user._id, action: 'admin.lookupPatient', patientId: patient._id, requestId: context.requestId, details: { by: input.by, reason: input.reason, matches: found.length } });
      }
      return { people: await Promise.all(found.map((patient) => personView(context, patient))), reasonLabel: LOOKUP_REASONS[input.reason] };
    },
  }),

  lookupReasons: defineAction({
    auth: 'admin',
    input: z.object({}),
    async run() {
      return { reasons: Object.entries(LOOKUP_REASONS).map(([value, label]) => ({ value, label })) };
    },
  }),

  audit: defineAction({
    auth: 'admin',
    input: auditQuery,
    async run(context, input) {
      const filter: Filter<AuditDoc> = {};
      if (input.actorUserId) filter.actorUserId = new ObjectId(input.actorUserId);
      if (input.patientId) filter.patientId = new ObjectId(input.patientId);
      if (input.auditAction) filter.action = input.auditAction;
      if (input.from || input.to) {
        filter.at = {
          ...(input.from && { $gte: zonedInstant(input.from, '00:00', context.config.timeZone) }),
          ...(input.to && { $lt: new Date(zonedInstant(input.to, '00:00', context.config.timeZone).getTime() + 86_400_000) }),
        };
      }
      const entries = await context.db.collection<AuditDoc>('audit').find(filter).sort({ at: -1 }).limit(input.limit).toArray();
      return {
        entries: entries.map((entry) => ({
          at: entry.at.toISOString(),
          actorUserId: entry.actorUserId.toHexString(),
          action: entry.action,
          patientId: entry.patientId?.toHexString() ?? null,
          targetUserId: entry.targetUserId?.toHexString() ?? null,
          requestId: entry.requestId,
          details: entry.details ?? {},
        })),
      };
    },
  }),
};
