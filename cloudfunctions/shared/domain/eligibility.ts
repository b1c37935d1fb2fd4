// Pure eligibility rules (B1): may this caller book this patient into this department on this day? No I/O.
//
// How the booking function uses it:
//   const rules = mergeEligibility(hospitalRules, parentDepartment?.eligibility, department.eligibility);
//   const verdict = checkEligibility({ rules, departmentName, patient, relation, visitDate, today, bookings });
//   if (!verdict.ok) throw new AppError(verdict.code, verdict.message);
// Every refusal code is also a key of ERRORS (errors.ts), so it maps to an HTTP status unchanged.
// `bookings` counts the patient's appointments that are `isActive` (appointmentStatus.ts) BEFORE this
// one: answer a replayed requestId first, or the retry would be refused by its own appointment.
// Counts are per patient card (one card per real person), so quotas hold across accounts and channels.
// Stored rules/overrides are parsed with `eligibilityRulesSchema` / `eligibilityOverridesSchema`.
//
// Not checked here, on purpose: the release window and the booking cutoff. They depend on the slot
// and the instant, and live in releaseRules.ts (`slotBookability`); the booking function checks both.
// "Real name only" is structural: the patient passed in is the server's bound card, never client data.
import { z } from 'zod';
import { type ErrorCode } from '../errors';
import { ageOn, parseIsoDate, type Sex } from './idDocument';
import { addDays, assertCalendarDate, formatMonthDay } from './releaseRules';

/** Completed years at the visit date, both ends inclusive; null = no bound on that side. */
export interface AgeRange {
  minAge: number | null;
  maxAge: number | null;
}

/** Limits on one patient's active appointments (pending payment, booked, checked in); a booking is refused AT the limit. */
export interface BookingQuotas {
  /** Active appointments on one visit date, all departments. */
  perDay: number;
  /** Active appointments on one visit date in one (bookable, second-level) department. */
  perDepartmentPerDay: number;
  /** Active appointments on one visit date with one doctor. */
  perDoctorPerDay: number;
  /** Active appointments on any future date. */
  activeBookings: number;
}

/**
 * Restricted patients: `noShows` no-shows whose dates fall within one stretch of `withinDays`
 * consecutive calendar days (last - first < withinDays) restrict online booking from the day of
 * the last of them through `restrictDays` days after it, inclusive; booking reopens the day after.
 */
export interface RestrictionPolicy {
  noShows: number;
  withinDays: number;
  restrictDays: number;
}

export interface EligibilityRules {
  /** Only patients of this sex may book; null = anyone. Configuration, never inferred from the department's name. */
  sex: Sex | null;
  age: AgeRange;
  quotas: BookingQuotas;
  restriction: RestrictionPolicy;
  /** May a family member who manages (but does not own) a card book for it? */
  allowProxy: boolean;
}

/** A department's (or a parent department's) overrides: each field inherits when undefined; null is a real value. */
export interface EligibilityOverrides {
  sex?: Sex | null;
  age?: Partial<AgeRange>;
  quotas?: Partial<BookingQuotas>;
  restriction?: Partial<RestrictionPolicy>;
  allowProxy?: boolean;
}

export const DEFAULT_ELIGIBILITY_RULES: EligibilityRules = {
  sex: null,
  age: { minAge: null, maxAge: null },
  quotas: { perDay: 3, perDepartmentPerDay: 1, perDoctorPerDay: 1, activeBookings: 5 },
  restriction: { noShows: 3, withinDays: 90, restrictDays: 90 },
  allowProxy: true,
};

export const DEFAULT_CHILD_MAX_AGE = 14;

// Stored configuration is parsed with these where it is read (hospital doc, department doc, admin edit).
const count = z.number().int().min(0);
const age = count.max(150).nullable();
export const eligibilityRulesSchema = z
  .object({
    sex: z.enum(['male', 'female']).nullable(),
    age: z.object({ minAge: age, maxAge: age }).strict(),
    quotas: z.object({ perDay: count, perDepartmentPerDay: count, perDoctorPerDay: count, activeBookings: count }).strict(),
    restriction: z.object({ noShows: count, withinDays: count, restrictDays: count }).strict(),
    allowProxy: z.boolean(),
  })
  .strict() satisfies z.ZodType<EligibilityRules>;
export const eligibilityOverridesSchema = z
  .object({
    sex: eligibilityRulesSchema.shape.sex.optional(),
    age: eligibilityRulesSchema.shape.age.partial().optional(),
    quotas: eligibilityRulesSchema.shape.quotas.partial().optional(),
    restriction: eligibilityRulesSchema.shape.restriction.partial().optional(),
    allowProxy: z.boolean().optional(),
  })
  .strict() satisfies z.ZodType<EligibilityOverrides>;

/** How the caller's account relates to the card: from its PatientLinkDoc role, or 'none' without a link. */
export type CallerRelation = 'owner' | 'manager' | 'none';

/** What the server knows of the patient; a PatientDoc fits as is. Missing sex/birth date (e.g. an old foreign ID) is allowed. */
export interface EligibilityPatient {
  sex?: Sex | null;
  birthDate?: string | null;
}

/** The patient's current appointments, counting only active ones (see appointmentStatus.ts `isActive`). */
export interface PatientBookingCounts {
  /** Active appointments on the visit date. */
  onDate: number;
  /** Active appointments on the visit date in this department. */
  inDepartmentOnDate: number;
  /** Active appointments on the visit date with this doctor. */
  withDoctorOnDate: number;
  /** All active appointments. */
  active: number;
  /** One date ('YYYY-MM-DD', hospital time) per no-show appointment, any order: two on one day count twice. */
  noShowDates: readonly string[];
}

export interface EligibilityInput {
  /** The effective rules: `mergeEligibility(hospital, ...departmentOverrides)`. */
  rules: EligibilityRules;
  /** Used in the refusal sentences ("妇产科仅接诊女性患者"). */
  departmentName: string;
  patient: EligibilityPatient;
  relation: CallerRelation;
  /** The slot's date, 'YYYY-MM-DD' in the hospital's zone. */
  visitDate: string;
  /** Today, 'YYYY-MM-DD' in the hospital's zone: restrictions are judged on the day of booking. */
  today: string;
  bookings: PatientBookingCounts;
}

export const ELIGIBILITY_CODES = [
  'NOT_MANAGER',
  'PROXY_NOT_ALLOWED',
  'PATIENT_RESTRICTED',
  'SEX_UNKNOWN',
  'SEX_RESTRICTED',
  'AGE_UNKNOWN',
  'AGE_RESTRICTED',
  'SAME_DOCTOR_SAME_DAY',
  'DEPARTMENT_DAILY_QUOTA',
  'DAILY_QUOTA',
  'ACTIVE_QUOTA',
] as const satisfies readonly ErrorCode[];
export type EligibilityCode = (typeof ELIGIBILITY_CODES)[number];

export type EligibilityResult = { ok: true } | { ok: false; code: EligibilityCode; message: string };

const OK: EligibilityResult = { ok: true };
const refuse = (code: EligibilityCode, message: string): EligibilityResult => ({ ok: false, code, message });
// A calendar-date label needs no zone: formatMonthDay reads a 'YYYY-MM-DD' string as is.
const monthDay = (date: string) => formatMonthDay(date, 'UTC');

/** Hospital rules, then each override in order (parent department before its clinic); later wins field by field. */
export function mergeEligibility(hospital: EligibilityRules, ...overrides: (EligibilityOverrides | null | undefined)[]): EligibilityRules {
  const merged: EligibilityRules = {
    ...hospital,
    age: { ...hospital.age },
    quotas: { ...hospital.quotas },
    restriction: { ...hospital.restriction },
  };
  for (const override of overrides) {
    if (!override) continue;
    if (override.sex !== undefined) merged.sex = override.sex;
    if (override.allowProxy !== undefined) merged.allowProxy = override.allowProxy;
    assignDefined(merged.age, override.age);
    assignDefined(merged.quotas, override.quotas);
    assignDefined(merged.restriction, override.restriction);
  }
  return merged;
}

function assignDefined<T extends object>(target: T, source: Partial<T> | undefined): void {
  if (!source) return;
  for (const key of Object.keys(target) as (keyof T)[]) {
    const value = source[key];
    if (value !== undefined) target[key] = value as T[keyof T];
  }
}

/**
 * Sensible starting overrides for a department, from its name and its parent's, for seeding and the
 * admin form only: 妇/产 -> women only, 男科 -> men only, 儿科/儿童/小儿/新生儿 -> 14 and under.
 * The result is stored on the department; eligibility itself never looks at names.
 */
export function suggestEligibilityOverrides(name: string, parentName?: string): EligibilityOverrides {
  const names = `${name} ${parentName ?? ''}`;
  const overrides: EligibilityOverrides = {};
  if (/妇|产科/.test(names)) overrides.sex = 'female';
  else if (/男科/.test(names)) overrides.sex = 'male';
  if (/儿科|儿童|小儿|新生儿/.test(names)) overrides.age = { maxAge: DEFAULT_CHILD_MAX_AGE };
  return overrides;
}

const SEX_LABELS: Record<Sex, string> = { male: '男性', female: '女性' };

/**
 * The first reason this booking is refused, or ok. Order: who is asking, whether the patient may
 * book at all, whether the department fits the patient, then the quotas from the most specific
 * (same doctor) to the broadest (all active appointments), so the sentence names the real obstacle.
 */
export function checkEligibility(input: EligibilityInput): EligibilityResult {
  assertCalendarDate(input.visitDate);
  assertCalendarDate(input.today);
  return checkRelation(input) ?? checkRestriction(input) ?? checkSex(input) ?? checkAge(input) ?? checkQuotas(input) ?? OK;
}

function checkRelation({ relation, rules }: EligibilityInput): EligibilityResult | undefined {
  if (relation === 'none') {
    return refuse('NOT_MANAGER', '这位就诊人不在您的就诊人列表里，不能为其预约。请先添加就诊人，或请已绑定的家人在“就诊人详情”里邀请您。');
  }
  if (relation === 'manager' && !rules.allowProxy) {
    return refuse('PROXY_NOT_ALLOWED', '本院暂不支持为家人代为预约，请就诊人本人登录小程序预约，或到医院窗口挂号。');
  }
  return undefined;
}

function checkRestriction({ rules, bookings, today }: EligibilityInput): EligibilityResult | undefined {
  const lastDay = restrictedThrough(bookings.noShowDates, rules.restriction, today);
  if (!lastDay) return undefined;
  const { noShows, withinDays } = rules.restriction;
  return refuse(
    'PATIENT_RESTRICTED',
    `这位就诊人在 ${withinDays} 天内有 ${noShows} 次预约后未就诊，按医院规定网上预约暂停到 ${monthDay(lastDay)}，` +
      `${monthDay(addDays(lastDay, 1))}起可以重新预约。如需就诊，请到医院窗口挂号。`,
  );
}

/** Calendar days since 1970-01-01 of a real 'YYYY-MM-DD' date. */
function dayNumber(date: string): number {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`Expected a real date as YYYY-MM-DD, got "${date}"`);
  return Date.UTC(parsed.year, parsed.month - 1, parsed.day) / 86_400_000;
}

/**
 * The last restricted day ('YYYY-MM-DD') if the patient is restricted on `today`, else undefined.
 * Every run of `noShows` no-shows within `withinDays` days restricts from its last no-show through
 * `restrictDays` days after it; overlapping runs extend the restriction.
 */
export function restrictedThrough(noShowDates: readonly string[], policy: RestrictionPolicy, today: string): string | undefined {
  if (policy.noShows < 1) return undefined;
  const days = noShowDates.map(dayNumber).sort((a, b) => a - b);
  const todayNumber = dayNumber(today);
  let through: number | undefined;
  for (let last = policy.noShows - 1; last < days.length; last += 1) {
    const first = days[last - policy.noShows + 1];
    if (days[last] > todayNumber || days[last] - first >= policy.withinDays) continue;
    const end = days[last] + policy.restrictDays;
    if (through === undefined || end > through) through = end;
  }
  if (through === undefined || through < todayNumber) return undefined;
  return addDays(today, through - todayNumber);
}

function checkSex({ rules, patient, departmentName }: EligibilityInput): EligibilityResult | undefined {
  if (rules.sex === null) return undefined;
  const only = SEX_LABELS[rules.sex];
  if (!patient.sex) {
    return refuse(
      'SEX_UNKNOWN',
      `${departmentName}仅接诊${only}患者，这张就诊卡上没有登记性别。请在“就诊人详情”里核对证件信息，或带证件到医院窗口登记后再预约。`,
    );
  }
  if (patient.sex === rules.sex) return undefined;
  const instead = rules.sex === 'female' ? '男性就诊人请选择泌尿外科等其他科室。' : '女性就诊人请选择妇科等其他科室。';
  return refuse('SEX_RESTRICTED', `${departmentName}仅接诊${only}患者，${instead}`);
}

function checkAge({ rules, patient, departmentName, visitDate }: EligibilityInput): EligibilityResult | undefined {
  const { minAge, maxAge } = rules.age;
  if (minAge === null && maxAge === null) return undefined;
  const range = describeAgeRange(rules.age);
  if (!patient.birthDate) {
    return refuse(
      'AGE_UNKNOWN',
      `${departmentName}仅接诊${range}患者，这张就诊卡上没有登记出生日期。请在“就诊人详情”里核对证件信息，或带证件到医院窗口登记后再预约。`,
    );
  }
  const age = ageOn(patient.birthDate, visitDate);
  if (maxAge !== null && age > maxAge) {
    return refuse('AGE_RESTRICTED', `该科室仅接诊${range}患者，就诊人在就诊当天已满 ${age} 周岁，成人请选择内科或其他成人科室。`);
  }
  if (minAge !== null && age < minAge) {
    return refuse('AGE_RESTRICTED', `该科室仅接诊${range}患者，就诊人在就诊当天还不满 ${minAge} 周岁，请选择儿科就诊。`);
  }
  return undefined;
}

function describeAgeRange({ minAge, maxAge }: AgeRange): string {
  if (minAge !== null && maxAge !== null) return ` ${minAge} 至 ${maxAge} 岁`;
  if (maxAge !== null) return ` ${maxAge} 岁及以下`;
  return ` ${minAge} 岁及以上`;
}

function checkQuotas({ rules, bookings, visitDate }: EligibilityInput): EligibilityResult | undefined {
  const { perDay, perDepartmentPerDay, perDoctorPerDay, activeBookings } = rules.quotas;
  const day = monthDay(visitDate);
  if (bookings.withDoctorOnDate >= perDoctorPerDay) {
    return refuse(
      'SAME_DOCTOR_SAME_DAY',
      `这位就诊人 ${day} 已经预约了这位医生，同一天同一位医生最多预约 ${perDoctorPerDay} 次。如需换时段，请先取消原来的预约再重新预约。`,
    );
  }
  if (bookings.inDepartmentOnDate >= perDepartmentPerDay) {
    return refuse(
      'DEPARTMENT_DAILY_QUOTA',
      `这位就诊人 ${day} 已在该科室预约了 ${bookings.inDepartmentOnDate} 个号，同一天同一科室最多 ${perDepartmentPerDay} 个。如需换医生或时段，请先取消原来的预约。`,
    );
  }
  if (bookings.onDate >= perDay) {
    return refuse(
      'DAILY_QUOTA',
      `这位就诊人 ${day} 已预约了 ${bookings.onDate} 个号，每人每天最多 ${perDay} 个。请改约其他日期，或先取消当天不需要的预约。`,
    );
  }
  if (bookings.active >= activeBookings) {
    return refuse(
      'ACTIVE_QUOTA',
      `这位就诊人已有 ${bookings.active} 个尚未就诊的预约，每人最多同时保留 ${activeBookings} 个。请就诊或取消部分预约后再预约。`,
    );
  }
  return undefined;
}

/**
 * Who this department sees, for its page and its doctors' pages, before anyone taps (issue 15 item 3);
 * null when anyone may book. Built from the same rules `checkSex` / `checkAge` enforce.
 */
export function describeWhoMayBook(rules: Pick<EligibilityRules, 'sex' | 'age'>, departmentName: string): string | null {
  const { minAge, maxAge } = rules.age;
  const hasAge = minAge !== null || maxAge !== null;
  if (rules.sex === null && !hasAge) return null;
  const who = `${hasAge ? `${describeAgeRange(rules.age)}的` : ''}${rules.sex ? SEX_LABELS[rules.sex] : ''}患者`;
  const age = hasAge ? '年龄按就诊当天的周岁算，' : '';
  return `${departmentName}仅接诊${who}。${age}不符合的就诊人在确认预约时不能选择，请为他们选择其他科室。`;
}
