// The `catalog` function's actions: browse departments and doctors, read schedules with live counts (C1-C3).
import type { ObjectId } from 'mongodb';
import { z } from 'zod';
import { catalogCache } from '../shared/catalog/catalogCache';
import type { DepartmentDoc, ReleaseRules } from '../shared/catalog/model';
import { preparationFor } from '../shared/catalog/preparation';
import { rulesForDepartment } from '../shared/catalog/rules';
import { searchDepartments } from '../shared/catalog/pinyin';
import { scheduleCache } from '../shared/catalog/scheduleCache';
import type { Context } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { describeWhoMayBook } from '../shared/domain/eligibility';
import { explainReleaseRules } from '../shared/domain/explainRules';
import { addDays, dateIn, isCalendarDate } from '../shared/domain/releaseRules';
import { AppError } from '../shared/errors';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';
import { noteRequest } from '../shared/scriptingSigns';
import { parseObjectId } from '../shared/patients/patientRepository';
import { homeActions } from './homeActions';
import { buildScheduleDays, toDepartmentView, toDoctorView } from './views';

const MAX_RANGE_DAYS = 31;
const DEFAULT_RANGE_DAYS = 14;
const id = (message: string) => z.string({ error: message }).max(64);
const date = z.string().refine(isCalendarDate, '日期不对，请按 年-月-日 选择日期');

async function hospitalOrFail(context: Context) {
  const hospital = await catalogCache.hospital(context.db);
  if (!hospital) throw new AppError('NOT_FOUND', '医院信息还没有准备好，请稍后再试。');
  return hospital;
}

async function findById<T>(load: (id: ObjectId) => Promise<T | null>, raw: string): Promise<T> {
  const objectId = parseObjectId(raw);
  const found = objectId ? await load(objectId) : null;
  if (!found) throw new AppError('NOT_FOUND');
  return found;
}

async function departmentById(context: Context, raw: string): Promise<DepartmentDoc> {
  const departments = await catalogCache.departments(context.db);
  return findById(async (objectId) => departments.find((department) => department._id.equals(objectId)) ?? null, raw);
}

/** Hospital rules, then the first-level department's overrides, then the clinic's own. */
export async function rulesFor(context: Context, department: DepartmentDoc): Promise<ReleaseRules> {
  return (await rulesForDepartment(context, department)).release;
}

const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

/** One doctor's grid; under a surge every request within the cache's TTL shares one built grid. */
function doctorSchedule(context: Context, doctorId: ObjectId, from: string, to: string, rules: ReleaseRules, timeZone: string) {
  const viewKey = `${timeZone}|${JSON.stringify(rules)}`;
  return scheduleCache.view(context.db, doctorId, { from, to }, viewKey, context.now.getTime(), ({ schedules, slots }) => {
    const { days, validUntil } = buildScheduleDays({ schedules, slots, rules, timeZone, now: context.now });
    return { value: days, validUntil };
  });
}

export const catalogActions = {
  hospital: defineAction({
    auth: 'identity',
    input: z.object({}),
    async run(context) {
      const hospital = await hospitalOrFail(context);
      return { hospital: { name: hospital.name, timeZone: hospital.timeZone, campuses: hospital.campuses } };
    },
  }),

  departments: defineAction({
    auth: 'identity',
    input: z.object({ keyword: z.string().max(40, '搜索词太长了，请简短一些').optional() }),
    async run(context, input) {
      const departments = await catalogCache.departments(context.db);
      const found = input.keyword?.trim() ? searchDepartments(input.keyword, departments) : departments;
      return { departments: found.map(toDepartmentView) };
    },
  }),

  doctors: defineAction({
    auth: 'identity',
    input: z.object({ departmentId: id('请选择科室') }),
    async run(context, input) {
      const hospital = await hospitalOrFail(context);
      const department = await departmentById(context, input.departmentId);
      const rules = await rulesFor(context, department);
      const from = dateIn(context.now, hospital.timeZone);
      const range = [from, addDays(from, rules.daysAhead)] as const;
      const doctors = await catalogCache.doctorsOf(context.db, department._id);
      const views = await Promise.all(
        doctors.map(async (doctor) => {
          const days = await doctorSchedule(context, doctor._id, range[0], range[1], rules, hospital.timeZone);
          const next = days.find((day) => day.periods.some((period) => period.slots.some((slot) => slot.bookable)));
          const placesLeft = next?.periods.flatMap((period) => period.slots).filter((slot) => slot.bookable).reduce((sum, slot) => sum + slot.remaining, 0) ?? 0;
          return { ...toDoctorView(doctor), nextAvailable: next ? { date: next.date, label: next.label, placesLeft } : null };
        }),
      );
      return { department: toDepartmentView(department), doctors: views };
    },
  }),

  doctor: defineAction({
    auth: 'identity',
    input: z.object({ doctorId: id('请选择医生') }),
    async run(context, input) {
      const doctor = await findById((objectId) => catalogCache.doctor(context.db, objectId), input.doctorId);
      const department = await departmentById(context, doctor.departmentId.toHexString());
      // `preparation`: the 就诊须知 a patient of this doctor reads (the doctor's, else the department's).
      const preparation = await preparationFor(context.db, { doctorId: doctor._id, departmentId: department._id });
      return { doctor: toDoctorView(doctor), department: toDepartmentView(department), preparation };
    },
  }),

  schedules: defineAction({
    auth: 'identity',
    input: z.object({ doctorId: id('请选择医生'), from: date.optional(), to: date.optional() }),
    async run(context, input) {
      // Polling for the release faster than a person can read gains nothing (X1): told with a sentence.
      noteRequest(context);
      await limitCaller(context, RATE_RULES.schedulePerCaller);
      const hospital = await hospitalOrFail(context);
      const doctor = await findById((objectId) => catalogCache.doctor(context.db, objectId), input.doctorId);
      const department = await departmentById(context, doctor.departmentId.toHexString());
      const rules = await rulesFor(context, department);
      const from = input.from ?? dateIn(context.now, hospital.timeZone);
      const to = input.to ?? addDays(from, DEFAULT_RANGE_DAYS - 1);
      if (to < from || daysBetween(from, to) >= MAX_RANGE_DAYS) {
        throw new AppError('INVALID_PARAMS', `一次最多查看 ${MAX_RANGE_DAYS} 天的排班，请缩短日期范围。`);
      }
      const days = await doctorSchedule(context, doctor._id, from, to, rules, hospital.timeZone);
      // `now` on the business clock lets the page time its next ask around releases whatever the phone's clock says.
      return { doctor: toDoctorView(doctor), from, to, days, now: context.now.toISOString() };
    },
  }),

  rules: defineAction({
    auth: 'identity',
    input: z.object({ departmentId: id('请选择科室') }),
    async run(context, input) {
      const hospital = await hospitalOrFail(context);
      const department = await departmentById(context, input.departmentId);
      const { release: rules, eligibility } = await rulesForDepartment(context, department);
      // `who`: the department's sex and age limits in one sentence, so nobody learns them from a refusal.
      return { rules, explanation: explainReleaseRules(rules, context.now, hospital.timeZone), who: describeWhoMayBook(eligibility, department.name) };
    },
  }),
  ...homeActions,
};
