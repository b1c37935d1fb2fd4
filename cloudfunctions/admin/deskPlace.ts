// 加号 at the desk (A1): staff add one place to a session and give it straight to a named card, instead of
// publishing it. The same steps as a patient's hold (insertHolding, finishHold, the B1 checks under the
// patient's lock), except that the place is created already held, so nobody else can take it. The person's
// restriction, quotas and department limits apply unless staff override them with a reason; all audited.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { ObjectId } from 'mongodb';
import { z } from 'zod';
import { recordAudit } from '../shared/audit';
import { appointmentsOf, type AppointmentDoc } from '../shared/booking/appointments';
import { assertEligible, bookingCounts, finishHold, insertHolding, type SlotContext } from '../shared/booking/holds';
import { withPatientLock } from '../shared/booking/patientLock';
import { assertPersonQuotas } from '../shared/booking/personQuotaGuard';
import { catalogCache } from '../shared/catalog/catalogCache';
import { schedulesOf } from '../shared/catalog/collections';
import { insertExtraSlot } from '../shared/catalog/extraSlots';
import type { ScheduleDoc, SlotDoc } from '../shared/catalog/model';
import { rulesForDepartment } from '../shared/catalog/rules';
import { scheduleCache } from '../shared/catalog/scheduleCache';
import { assertNoPenalty } from '../shared/clinicDay/noShows';
import type { UserContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { formatClock, formatMonthDay } from '../shared/domain/releaseRules';
import { AppError } from '../shared/errors';
import { queueBookingConfirmed } from '../shared/messages/events';
import { patientsOf, type PatientDoc } from '../shared/patients/patientRepository';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';

dayjs.extend(utc);
dayjs.extend(timezone);

const hex24 = (message: string) => z.string({ error: message }).regex(/^[0-9a-f]{24}$/, message);
const timeOfDay = (label: string) => z.string({ error: `请选择${label}` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label}请按 24 小时制选择，例如 08:00`);

export const deskPlaceSchema = z.object({
  scheduleId: hex24('请选择要加号的出诊'),
  patientId: hex24('请先查到患者的就诊卡，再为他加号'),
  startTime: timeOfDay('就诊开始时间'),
  endTime: timeOfDay('就诊结束时间'),
  reason: z.string({ error: '请填写加号原因' }).trim().min(2, '请简单写明加号原因，便于追溯').max(100, '加号原因最多 100 字'),
  /** Given only when staff knowingly book past the person's restriction, quotas or department limits. */
  overrideReason: z.string().trim().min(2, '破例原因至少 2 个字，例如“医生同意加诊”').max(100, '破例原因最多 100 字').optional(),
  requestId: z.string({ error: '请求缺少编号，请刷新页面后再试。' }).regex(/^[A-Za-z0-9_-]{8,64}$/, '请求编号格式不对，请刷新页面后再试。'),
});

/** The refusals staff may override with a reason (the person's own limits, not the session's). */
const OVERRIDABLE = new Set(['PATIENT_RESTRICTED', 'PERSON_QUOTA', 'ACTIVE_QUOTA', 'DAILY_QUOTA', 'DEPARTMENT_DAILY_QUOTA', 'AGE_RESTRICTED', 'AGE_UNKNOWN', 'SEX_RESTRICTED', 'SEX_UNKNOWN']);

/** The session with what the B1 checks judge, for the place about to be created. */
async function targetFor(context: UserContext, schedule: ScheduleDoc, slot: SlotDoc): Promise<SlotContext> {
  const [doctor, departments] = await Promise.all([catalogCache.doctor(context.db, schedule.doctorId), catalogCache.departments(context.db)]);
  const department = departments.find((entry) => entry._id.equals(schedule.departmentId));
  if (!doctor || !department) throw new AppError('NOT_FOUND', '没有找到这次出诊的医生或科室，请刷新后再选。');
  return { slot, doctor, department, rules: await rulesForDepartment(context, department), feeFen: schedule.feeFen, locationId: schedule.locationId };
}

async function checkPerson(context: UserContext, patient: PatientDoc, target: SlotContext): Promise<void> {
  try {
    await assertNoPenalty(context, patient._id);
    await assertPersonQuotas(context, patient._id, target.slot.date);
    assertEligible(context, patient, 'owner', target, await bookingCounts(context, patient._id, target));
  } catch (error) {
    if (error instanceof AppError && OVERRIDABLE.has(error.code)) {
      throw new AppError(error.code, `${error.message}如确需为这位患者加号，请填写“破例原因”后再提交。`);
    }
    throw error;
  }
}

function answer(context: UserContext, appointment: AppointmentDoc, patient: PatientDoc) {
  const zone = context.config.timeZone;
  const when = `${formatMonthDay(appointment.date, zone)} ${formatClock(appointment.start, zone)}-${formatClock(appointment.end, zone)}`;
  const next =
    appointment.status === 'pending_payment'
      ? `请告诉患者：在小程序“预约记录”里 ${context.config.paymentHoldMinutes} 分钟内支付挂号费，过时号会自动释放。`
      : '患者在小程序“预约记录”里就能看到这个预约。';
  return {
    appointment: { id: appointment._id.toHexString(), status: appointment.status, number: appointment.number, when, patientName: patient.name },
    message: `已为 ${patient.name} 加号：${when}，第 ${appointment.number ?? '-'} 号。${next}`,
  };
}

export const deskPlaceAction = defineAction({
  auth: 'admin',
  input: deskPlaceSchema,
  async run(context, input) {
    await limitCaller(context, RATE_RULES.deskPlacePerStaff);
    const patient = await patientsOf(context.db).findOne({ _id: new ObjectId(input.patientId) });
    if (!patient) throw new AppError('NOT_FOUND', '没有找到这张就诊卡，请先用“患者查询”查到患者，再为他加号。');
    const earlier = await appointmentsOf(context.db).findOne({ createdBy: context.user._id, requestId: input.requestId });
    if (earlier) {
      if (!earlier.patientId.equals(patient._id)) throw new AppError('CONFLICT');
      return answer(context, earlier, patient);
    }
    const schedule = await schedulesOf(context.db).findOne({ _id: new ObjectId(input.scheduleId) });
    if (!schedule) throw new AppError('NOT_FOUND', '没有找到这次出诊，请刷新后再选。');
    if (schedule.status !== 'open') throw new AppError('SLOT_CLOSED', '这次出诊已停诊，不能再加号，请选择其他出诊。');
    const start = dayjs.tz(`${schedule.date} ${input.startTime}`, context.config.timeZone);
    const end = dayjs.tz(`${schedule.date} ${input.endTime}`, context.config.timeZone);
    if (!end.isAfter(start)) throw new AppError('INVALID_PARAMS', '就诊结束时间要晚于开始时间。', [{ path: 'endTime', message: '结束时间要晚于开始时间' }]);
    if (!end.isAfter(context.now)) throw new AppError('INVALID_PARAMS', '这个时段已经过去了，请选择还没结束的时间。', [{ path: 'endTime', message: '这个时间已经过去了' }]);

    const slotId = new ObjectId();
    const extra = { reason: input.reason, addedBy: context.user._id, addedAt: context.now, heldFor: patient._id };
    const planned: SlotDoc = { _id: slotId, scheduleId: schedule._id, doctorId: schedule.doctorId, departmentId: schedule.departmentId, date: schedule.date, period: schedule.period, start: start.toDate(), end: end.toDate(), firstNumber: 0, capacity: 1, remaining: 1, holders: [], freeNumbers: [], extra };
    const target = await targetFor(context, schedule, planned);

    const finished = await withPatientLock(context.db, patient._id, async () => {
      if (!input.overrideReason) await checkPerson(context, patient, target);
      const holding = await insertHolding(context, { requestId: input.requestId, patient, target });
      const slot = await insertExtraSlot(context.db, schedule, { start: planned.start, end: planned.end, capacity: 1, extra, slotId, heldBy: holding._id }).catch(async (error: unknown) => {
        await appointmentsOf(context.db).updateOne({ _id: holding._id }, { $set: { status: 'failed', updatedAt: context.now }, $unset: { active: '' } });
        throw error;
      });
      return finishHold(context, holding, slot.firstNumber);
    });
    if (!finished) throw new AppError('CONFLICT');
    scheduleCache.invalidateDoctor(schedule.doctorId);
    await recordAudit(context.db, {
      at: context.now,
      actorUserId: context.user._id,
      action: 'admin.addPlaceForCard',
      patientId: patient._id,
      requestId: context.requestId,
      details: {
        appointmentId: finished._id.toHexString(),
        scheduleId: input.scheduleId,
        slotId: slotId.toHexString(),
        reason: input.reason,
        status: finished.status,
        ...(input.overrideReason && { overrideReason: input.overrideReason }),
      },
    });
    if (finished.status === 'booked') await queueBookingConfirmed(context, finished);
    return answer(context, finished, patient);
  },
});
