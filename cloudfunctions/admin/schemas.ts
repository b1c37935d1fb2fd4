// Admin payloads, validated at the edge with messages staff can act on.
import { z } from 'zod';
import { DOCTOR_TITLES, FEE_CLASSES, PERIODS } from '../shared/catalog/model';
import { preparationSchema } from '../shared/domain/preparationNotes';

const objectId = (message: string) => z.string({ error: message }).regex(/^[0-9a-f]{24}$/, message);
const timeOfDay = (label: string) => z.string({ error: `请填写${label}` }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, `${label}请按 24 小时制填写，例如 08:00`);
const isoDate = (label: string) => z.string({ error: `请选择${label}` }).regex(/^\d{4}-\d{2}-\d{2}$/, `${label}的格式应为 年-月-日`);

export const releaseRulesSchema = z
  .object({
    daysAhead: z.number().int().min(1, '至少提前 1 天放号').max(90, '最多提前 90 天放号'),
    releaseTime: timeOfDay('放号时间'),
    sameDayCutoff: timeOfDay('当天挂号截止时间').nullable(),
    closeMinutesBefore: z.number().int().min(0).max(24 * 60, '停止预约的时间请在 0 到 1440 分钟之间'),
  })
  .partial();

export const saveDepartmentSchema = z.object({
  id: objectId('科室编号不对').optional(),
  parentId: objectId('上级科室编号不对').nullable().default(null),
  name: z.string({ error: '请填写科室名称' }).trim().min(2, '科室名称至少 2 个字').max(20, '科室名称最多 20 个字'),
  intro: z.string().trim().max(500, '科室介绍最多 500 字').default(''),
  locationId: z.string({ error: '请选择就诊地点' }).min(1, '请选择就诊地点').max(40),
  common: z.boolean().default(false),
  sort: z.number().int().min(0).max(10_000).default(100),
  releaseRules: releaseRulesSchema.optional(),
  /** 就诊须知; '' clears it (a clinic then shows its first-level department's), absent leaves it as it is. */
  preparation: preparationSchema.optional(),
});

export const saveDoctorSchema = z.object({
  id: objectId('医生编号不对').optional(),
  departmentId: objectId('请选择科室'),
  name: z.string({ error: '请填写医生姓名' }).trim().min(2, '医生姓名至少 2 个字').max(20, '医生姓名最多 20 个字'),
  title: z.enum(DOCTOR_TITLES as [string, ...string[]], { error: '请选择职称' }),
  specialty: z.string().trim().max(100, '擅长最多 100 字').default(''),
  intro: z.string().trim().max(1000, '简介最多 1000 字').default(''),
  feeClass: z.enum(FEE_CLASSES as [string, ...string[]], { error: '请选择号别' }),
  feeFen: z.number({ error: '请填写挂号费' }).int('挂号费以分为单位，须为整数').min(0).max(1_000_000, '挂号费不能超过 1 万元'),
  active: z.boolean().default(true),
  /** The doctor's own 就诊须知; '' follows the department's, absent leaves it as it is. */
  preparation: preparationSchema.optional(),
});

export const saveTemplateSchema = z
  .object({
    id: objectId('排班模板编号不对').optional(),
    doctorId: objectId('请选择医生'),
    weekday: z.number({ error: '请选择星期几' }).int().min(1, '星期请在 1（周一）到 7（周日）之间').max(7, '星期请在 1（周一）到 7（周日）之间'),
    period: z.enum(PERIODS as [string, ...string[]], { error: '请选择上午、下午或夜间' }),
    startTime: timeOfDay('开始时间'),
    endTime: timeOfDay('结束时间'),
    slotMinutes: z.number({ error: '请填写每个时段的分钟数' }).int().min(5, '每个时段至少 5 分钟').max(30, '每个时段最长 30 分钟'),
    placesPerSlot: z.number({ error: '请填写每个时段的号源数' }).int().min(1, '每个时段至少 1 个号').max(100, '每个时段最多 100 个号'),
    locationId: z.string({ error: '请选择就诊地点' }).min(1).max(40),
  })
  .refine((template) => template.period === 'evening' || template.startTime < template.endTime, { message: '结束时间要晚于开始时间', path: ['endTime'] });

export const generateSchema = z.object({
  from: isoDate('开始日期'),
  to: isoDate('结束日期'),
  doctorId: objectId('医生编号不对').optional(),
});

export const extraSlotSchema = z.object({
  scheduleId: objectId('请选择要加号的出诊'),
  startTime: timeOfDay('加号时段的开始时间'),
  endTime: timeOfDay('加号时段的结束时间'),
  capacity: z.number({ error: '请填写加号数量' }).int().min(1, '至少加 1 个号').max(50, '一次最多加 50 个号'),
  reason: z.string({ error: '请填写加号原因' }).trim().min(2, '请简单写明加号原因，便于追溯').max(100, '加号原因最多 100 字'),
});
