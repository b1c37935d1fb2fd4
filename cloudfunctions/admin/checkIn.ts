// Counter check-in for staff (A3): scan the patient's visit code (or type an appointment id), see their
// appointments for today, check one in. Staff only; every check-in is audited.
import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { appointmentsOf, type AppointmentDoc } from '../shared/booking/appointments';
import { catalogCache } from '../shared/catalog/catalogCache';
import { PERIOD_LABELS } from '../shared/catalog/model';
import { checkIn, queueOf } from '../shared/clinicDay/checkIn';
import { waiveNoShow } from '../shared/clinicDay/noShows';
import type { UserContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { STATUS_LABELS } from '../shared/domain/appointmentStatus';
import { checkStaffCheckIn } from '../shared/domain/checkIn';
import { dateIn, formatClock } from '../shared/domain/releaseRules';
import { AppError } from '../shared/errors';
import { patientsOf } from '../shared/patients/patientRepository';
import { verifyVisitCode } from '../shared/patients/visitCode';

const APPOINTMENT_ID = /^[0-9a-f]{24}$/;

const lookupSchema = z.object({
  code: z
    .string({ error: '请扫描患者的就诊码，或输入预约编号' })
    .trim()
    .min(1, '请扫描患者的就诊码，或输入预约编号')
    .max(200, '就诊码太长了，请重新扫描'),
});

/** The patient behind a visit code or an appointment id. */
async function patientOfCode(context: UserContext, code: string): Promise<ObjectId> {
  if (APPOINTMENT_ID.test(code)) {
    const appointment = await appointmentsOf(context.db).findOne({ _id: new ObjectId(code) }, { projection: { patientId: 1 } });
    if (!appointment) throw new AppError('NOT_FOUND', '没有找到这个预约编号，请核对后再输入，或请患者出示就诊码。');
    return appointment.patientId;
  }
  const check = verifyVisitCode(context.visitCodeKey, code, context.now);
  if (!check.ok) throw new AppError(check.reason === 'expired' ? 'VISIT_CODE_EXPIRED' : 'VISIT_CODE_INVALID');
  return new ObjectId(check.patientId);
}

async function counterView(context: UserContext, appointment: AppointmentDoc, today: string) {
  const zone = context.config.timeZone;
  const [doctor, departments] = await Promise.all([catalogCache.doctor(context.db, appointment.doctorId), catalogCache.departments(context.db)]);
  const status = appointment.status === 'holding' || appointment.status === 'failed' ? null : appointment.status;
  const verdict = status ? checkStaffCheckIn({ status, visitDate: appointment.date, today }) : null;
  return {
    id: appointment._id.toHexString(),
    status: appointment.status,
    statusLabel: status ? STATUS_LABELS[status] : '未成功',
    when: `${PERIOD_LABELS[appointment.period]} ${formatClock(appointment.start, zone)}-${formatClock(appointment.end, zone)}`,
    doctor: doctor?.name ?? '',
    department: departments.find((entry) => entry._id.equals(appointment.departmentId))?.name ?? '',
    number: appointment.number,
    canCheckIn: verdict?.ok === true,
    /** Why not, in a sentence staff can read out. */
    refusal: verdict && !verdict.ok ? verdict.message : null,
    queue: appointment.status === 'checked_in' ? await queueOf(context.db, appointment) : null,
  };
}

export const checkInActions = {
  waiveNoShow: defineAction({
    auth: 'admin',
    input: z.object({
      appointmentId: z.string({ error: '请选择要免除的爽约记录' }).regex(APPOINTMENT_ID, '预约编号不对'),
      reason: z.string({ error: '请填写免除原因' }).trim().min(2, '免除原因至少 2 个字，例如“患者突发急病住院，有病历证明”').max(100, '免除原因最多 100 个字'),
    }),
    async run(context, input) {
      const { appointment, penalty } = await waiveNoShow(context, new ObjectId(input.appointmentId), input.reason);
      return {
        appointmentId: appointment._id.toHexString(),
        penalty,
        message: penalty.restricted ? `已免除这次爽约。这位患者仍有其他爽约记录：${penalty.message}` : '已免除这次爽约，这位患者现在可以在网上预约了。',
      };
    },
  }),

  checkInLookup: defineAction({
    auth: 'admin',
    input: lookupSchema,
    async run(context, input) {
      const patientId = await patientOfCode(context, input.code);
      const patient = await patientsOf(context.db).findOne({ _id: patientId }, { projection: { name: 1, sex: 1, birthDate: 1 } });
      if (!patient) throw new AppError('NOT_FOUND', '没有找到这位就诊人，请患者在小程序里重新打开就诊码。');
      const today = dateIn(context.now, context.config.timeZone);
      const todays = await appointmentsOf(context.db).find({ patientId, date: today, status: { $nin: ['holding', 'failed'] } }).sort({ start: 1 }).toArray();
      return {
        patient: { id: patientId.toHexString(), name: patient.name, sex: patient.sex ?? null, birthDate: patient.birthDate ?? null },
        date: today,
        appointments: await Promise.all(todays.map((appointment) => counterView(context, appointment, today))),
        message: todays.length ? `${patient.name}今天有 ${todays.length} 个预约。` : `${patient.name}今天没有预约。如需就诊，请到挂号窗口办理。`,
      };
    },
  }),

  checkIn: defineAction({
    auth: 'admin',
    input: z.object({ appointmentId: z.string({ error: '请选择要签到的预约' }).regex(APPOINTMENT_ID, '预约编号不对') }),
    async run(context, input) {
      const appointment = await appointmentsOf(context.db).findOne({ _id: new ObjectId(input.appointmentId) });
      if (!appointment) throw new AppError('NOT_FOUND', '没有找到这个预约，请重新扫码。');
      if (appointment.status === 'holding' || appointment.status === 'failed') throw new AppError('ILLEGAL_TRANSITION');
      const today = dateIn(context.now, context.config.timeZone);
      const checkedIn = await checkIn(context, appointment, checkStaffCheckIn({ status: appointment.status, visitDate: appointment.date, today }), 'staff');
      const shown = await counterView(context, checkedIn, today);
      return { appointment: shown, message: shown.queue?.sentence ?? '已签到。' };
    },
  }),
};
