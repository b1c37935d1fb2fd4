// The `admin` function's actions: departments, doctors, weekly templates, schedule generation and
// extra slots (A1). Admin role only; every change is audited and drops the affected caches.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { MongoServerError, ObjectId } from 'mongodb';
import { z } from 'zod';
import { catalogCache } from '../shared/catalog/catalogCache';
import { departmentsOf, doctorsOf, HOSPITAL_ID, hospitalsOf, schedulesOf, templatesOf } from '../shared/catalog/collections';
import { insertExtraSlot } from '../shared/catalog/extraSlots';
import { generateSchedules } from '../shared/catalog/generateSchedules';
import type { DepartmentDoc, DoctorDoc, ScheduleTemplateDoc } from '../shared/catalog/model';
import { pinyinOf } from '../shared/catalog/pinyin';
import { scheduleCache } from '../shared/catalog/scheduleCache';
import type { UserContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { AppError } from '../shared/errors';
import { auditAdmin } from './requireAdmin';
import { checkInActions } from './checkIn';
import { clinicDayActions } from './clinicDay';
import { deskPlaceAction } from './deskPlace';
import { patientLookupActions } from './patientLookup';
import { messageStatsAction } from './messageStats';
import { homeContentActions } from './homeContent';
import { suspicionsAction } from './suspicions';
import { scriptingSignsAction } from './scriptingSigns';
import { extraSlotSchema, generateSchema, saveDepartmentSchema, saveDoctorSchema, saveTemplateSchema } from './schemas';

dayjs.extend(utc);
dayjs.extend(timezone);

const MAX_GENERATE_DAYS = 31;

async function hospitalZone(context: UserContext): Promise<string> {
  return (await hospitalsOf(context.db).findOne({ _id: HOSPITAL_ID }))?.timeZone ?? context.config.timeZone;
}

async function mustExist<T>(found: Promise<T | null>, message: string): Promise<T> {
  const value = await found;
  if (!value) throw new AppError('NOT_FOUND', message);
  return value;
}

export const adminActions = {
  overview: defineAction({
    auth: 'admin',
    input: z.object({}),
    async run(context) {
      const [hospital, departments, doctors] = await Promise.all([
        hospitalsOf(context.db).findOne({ _id: HOSPITAL_ID }),
        departmentsOf(context.db).find({}).sort({ sort: 1 }).toArray(),
        doctorsOf(context.db).find({}).sort({ name: 1 }).toArray(),
      ]);
      return { hospital, departments, doctors };
    },
  }),

  saveDepartment: defineAction({
    auth: 'admin',
    input: saveDepartmentSchema,
    async run(context, input) {
      const parentId = input.parentId ? new ObjectId(input.parentId) : null;
      if (parentId) await mustExist(departmentsOf(context.db).findOne({ _id: parentId, parentId: null }), '没有找到这个上级科室。');
      const id = input.id ? new ObjectId(input.id) : new ObjectId();
      const fields: Omit<DepartmentDoc, '_id'> = {
        hospitalId: HOSPITAL_ID,
        parentId,
        name: input.name,
        ...pinyinOf(input.name),
        intro: input.intro,
        locationId: input.locationId,
        common: input.common,
        sort: input.sort,
        ...(input.releaseRules && { releaseRules: input.releaseRules }),
        ...(input.preparation !== undefined && { preparation: input.preparation }),
        updatedAt: context.now,
      };
      const saved = input.id
        ? await departmentsOf(context.db).findOneAndUpdate({ _id: id }, { $set: fields }, { returnDocument: 'after' })
        : (await departmentsOf(context.db).insertOne({ _id: id, ...fields }), { _id: id, ...fields });
      if (!saved) throw new AppError('NOT_FOUND', '没有找到这个科室。');
      catalogCache.invalidate();
      await auditAdmin(context, 'saveDepartment', { targetId: id, name: input.name });
      return { department: saved };
    },
  }),

  saveDoctor: defineAction({
    auth: 'admin',
    input: saveDoctorSchema,
    async run(context, input) {
      const departmentId = new ObjectId(input.departmentId);
      await mustExist(departmentsOf(context.db).findOne({ _id: departmentId }), '没有找到这个科室。');
      const id = input.id ? new ObjectId(input.id) : new ObjectId();
      const fields: Omit<DoctorDoc, '_id'> = {
        departmentId,
        name: input.name,
        title: input.title as DoctorDoc['title'],
        specialty: input.specialty,
        intro: input.intro,
        feeClass: input.feeClass as DoctorDoc['feeClass'],
        feeFen: input.feeFen,
        active: input.active,
        ...(input.preparation !== undefined && { preparation: input.preparation }),
        updatedAt: context.now,
      };
      const saved = input.id
        ? await doctorsOf(context.db).findOneAndUpdate({ _id: id }, { $set: fields }, { returnDocument: 'after' })
        : (await doctorsOf(context.db).insertOne({ _id: id, ...fields }), { _id: id, ...fields });
      if (!saved) throw new AppError('NOT_FOUND', '没有找到这位医生。');
      catalogCache.invalidate();
      await auditAdmin(context, 'saveDoctor', { targetId: id, name: input.name });
      return { doctor: saved };
    },
  }),

  templates: defineAction({
    auth: 'admin',
    input: z.object({ doctorId: z.string().regex(/^[0-9a-f]{24}$/, '请选择医生') }),
    async run(context, input) {
      const templates = await templatesOf(context.db).find({ doctorId: new ObjectId(input.doctorId) }).sort({ weekday: 1, startTime: 1 }).toArray();
      return { templates };
    },
  }),

  saveTemplate: defineAction({
    auth: 'admin',
    input: saveTemplateSchema,
    async run(context, input) {
      const doctorId = new ObjectId(input.doctorId);
      await mustExist(doctorsOf(context.db).findOne({ _id: doctorId }), '没有找到这位医生。');
      const id = input.id ? new ObjectId(input.id) : new ObjectId();
      const fields: Omit<ScheduleTemplateDoc, '_id'> = {
        doctorId,
        weekday: input.weekday,
        period: input.period as ScheduleTemplateDoc['period'],
        startTime: input.startTime,
        endTime: input.endTime,
        slotMinutes: input.slotMinutes,
        placesPerSlot: input.placesPerSlot,
        locationId: input.locationId,
        updatedAt: context.now,
      };
      const save = async () =>
        input.id
          ? await templatesOf(context.db).findOneAndUpdate({ _id: id, doctorId }, { $set: fields }, { returnDocument: 'after' })
          : (await templatesOf(context.db).insertOne({ _id: id, ...fields }), { _id: id, ...fields });
      const saved = await save().catch((error: unknown) => {
        if (error instanceof MongoServerError && error.code === 11000) {
          throw new AppError('INVALID_PARAMS', '这位医生在这一天的这个时段已经有出诊模板了，请直接修改原来的那个。', [
            { path: 'period', message: '这个时段已经有模板了' },
          ]);
        }
        throw error;
      });
      if (!saved) throw new AppError('NOT_FOUND', '没有找到这个排班模板。');
      await auditAdmin(context, 'saveTemplate', { targetId: id, doctorId: input.doctorId, weekday: input.weekday, period: input.period });
      return { template: saved, hint: '模板已保存。请“生成排班”后，患者看到的号源才会更新。' };
    },
  }),

  deleteTemplate: defineAction({
    auth: 'admin',
    input: z.object({ id: z.string().regex(/^[0-9a-f]{24}$/, '排班模板编号不对') }),
    async run(context, input) {
      const removed = await templatesOf(context.db).findOneAndDelete({ _id: new ObjectId(input.id) });
      if (!removed) throw new AppError('NOT_FOUND', '没有找到这个排班模板。');
      await auditAdmin(context, 'deleteTemplate', { targetId: removed._id });
      return { deleted: true };
    },
  }),

  generateSchedules: defineAction({
    auth: 'admin',
    input: generateSchema,
    async run(context, input) {
      const timeZone = await hospitalZone(context);
      const days = dayjs.tz(input.to, timeZone).diff(dayjs.tz(input.from, timeZone), 'day');
      if (days < 0 || days >= MAX_GENERATE_DAYS) throw new AppError('INVALID_PARAMS', `一次最多生成 ${MAX_GENERATE_DAYS} 天的排班，结束日期不能早于开始日期。`);
      const report = await generateSchedules(context.db, {
        from: input.from,
        to: input.to,
        timeZone,
        now: context.now,
        ...(input.doctorId && { doctorId: new ObjectId(input.doctorId) }),
      });
      await auditAdmin(context, 'generateSchedules', { from: input.from, to: input.to, created: report.created, rebuilt: report.rebuilt, removed: report.removed });
      return { report };
    },
  }),

  addExtraSlot: defineAction({
    auth: 'admin',
    input: extraSlotSchema,
    async run(context, input) {
      const schedule = await mustExist(schedulesOf(context.db).findOne({ _id: new ObjectId(input.scheduleId) }), '没有找到这次出诊。');
      const timeZone = await hospitalZone(context);
      const start = dayjs.tz(`${schedule.date} ${input.startTime}`, timeZone);
      const end = dayjs.tz(`${schedule.date} ${input.endTime}`, timeZone);
      if (!end.isAfter(start)) throw new AppError('INVALID_PARAMS', '加号时段的结束时间要晚于开始时间。');
      const slot = await insertExtraSlot(context.db, schedule, {
        start: start.toDate(),
        end: end.toDate(),
        capacity: input.capacity,
        extra: { reason: input.reason, addedBy: context.user._id, addedAt: context.now },
      });
      scheduleCache.invalidateDoctor(schedule.doctorId);
      await auditAdmin(context, 'addExtraSlot', { targetId: slot._id, scheduleId: input.scheduleId, capacity: input.capacity, reason: input.reason });
      return { slot };
    },
  }),

  addPlaceForCard: deskPlaceAction,
  suspicions: suspicionsAction,
  scriptingSigns: scriptingSignsAction,
  ...clinicDayActions,
  ...checkInActions,
  ...patientLookupActions,
  messageStats: messageStatsAction,
  ...homeContentActions,
};
