// The catalog's stored shapes (C1-C3, A1): hospital, departments, doctors, weekly templates, dated
// schedules and their time slots. Instants are UTC `Date`s; calendar dates are 'YYYY-MM-DD' strings
// in the hospital's time zone; times of day are 'HH:mm' in that zone.
import type { ObjectId } from 'mongodb';
import type { CancellationRules } from '../domain/cancellation';
import type { CheckInRules } from '../domain/checkIn';
import type { DrawRule } from '../domain/releaseDraw';
import type { PenaltyPolicy } from '../domain/noShowPenalty';
import type { PersonQuotas } from '../domain/personQuotas';
import type { EligibilityOverrides, EligibilityRules } from '../domain/eligibility';

export type Period = 'morning' | 'afternoon' | 'evening';
export const PERIODS: readonly Period[] = ['morning', 'afternoon', 'evening'];
export const PERIOD_LABELS: Record<Period, string> = { morning: '上午', afternoon: '下午', evening: '夜间' };

export type DoctorTitle = '主任医师' | '副主任医师' | '主治医师' | '住院医师';
export const DOCTOR_TITLES: readonly DoctorTitle[] = ['主任医师', '副主任医师', '主治医师', '住院医师'];

export type FeeClass = '普通' | '专家' | '特需';
export const FEE_CLASSES: readonly FeeClass[] = ['普通', '专家', '特需'];

/** When places are released and when booking closes; per hospital, overridable per department. */
export interface ReleaseRules {
  /** A day's places are released this many days ahead (7: on 11-22 the places of 11-29 open). */
  daysAhead: number;
  /** Time of day ('HH:mm') at which the next day's places are released. */
  releaseTime: string;
  /** Time of day after which today's places can no longer be booked; null = no separate cutoff. */
  sameDayCutoff: string | null;
  /** Booking a slot closes this many minutes before its window starts. */
  closeMinutesBefore: number;
}

export const DEFAULT_RELEASE_RULES: ReleaseRules = { daysAhead: 7, releaseTime: '07:00', sameDayCutoff: null, closeMinutesBefore: 30 };

export interface Location {
  id: string;
  /** e.g. 门诊楼 3 楼 B 区 */
  name: string;
}

export interface Campus {
  id: string;
  name: string;
  address: string;
  /** 咨询电话 shown on the home page (tap to call); absent until staff fill it in. */
  phone?: string;
  /** GCJ-02 coordinates (what WeChat's map and Chinese map apps use), for 导航 on the home page. */
  latitude?: number;
  longitude?: number;
  locations: Location[];
}

export interface HospitalDoc {
  _id: string;
  name: string;
  timeZone: string;
  campuses: Campus[];
  releaseRules: ReleaseRules;
  /** Who may book (B1); absent = DEFAULT_ELIGIBILITY_RULES. */
  eligibility?: EligibilityRules;
  /** Until when online cancelling is open (B4); absent = DEFAULT_CANCELLATION_RULES. */
  cancellation?: CancellationRules;
  /** When patients may check themselves in (A3); absent = DEFAULT_CHECK_IN_RULES. */
  checkIn?: CheckInRules;
  /** No-shows (A3): how long after a session ends a booked, unchecked appointment counts as 爽约, and the penalty; absent = DEFAULT_NO_SHOW_RULES. */
  noShow?: NoShowRules;
  /** Per-person visits per day / 7 days / 3 months (B1); absent = off (NO_PERSON_QUOTAS); PERSON_QUOTAS_114 is the 114 platform's. */
  personQuotas?: PersonQuotas;
}

export interface NoShowRules {
  graceMinutes: number;
  penalty: PenaltyPolicy;
}

export interface DepartmentDoc {
  _id: ObjectId;
  hospitalId: string;
  /** null for a first-level department (内科), set for a clinic under it (心血管内科). */
  parentId: ObjectId | null;
  name: string;
  /** Pinyin initials of the name, lower case ("xxgnk" for 心血管内科), for search. */
  initials: string;
  /** Full pinyin without tones or spaces ("xinxueguanneike"). */
  pinyin: string;
  intro: string;
  locationId: string;
  /** Shown among the common departments on the home page. */
  common: boolean;
  sort: number;
  releaseRules?: Partial<ReleaseRules>;
  /** Release by draw (抽签放号, X1) for this clinic: `{ windowSeconds: 30 }`; absent = first-come. */
  draw?: DrawRule | null;
  /** Overrides of the hospital's eligibility rules (妇产科: female only; 儿科: 14 and under). */
  eligibility?: EligibilityOverrides;
  /** 就诊须知 (N3): plain text shown on the slip and in reminders; a clinic without its own takes its parent's. */
  preparation?: string;
  updatedAt: Date;
}

export interface DoctorDoc {
  _id: ObjectId;
  departmentId: ObjectId;
  name: string;
  title: DoctorTitle;
  specialty: string;
  intro: string;
  feeClass: FeeClass;
  /** Registration fee in fen (integer); 0 = free. */
  feeFen: number;
  active: boolean;
  /** This doctor's own 就诊须知, replacing the department's when set (domain/preparationNotes.ts). */
  preparation?: string;
  updatedAt: Date;
  /** Release by draw for this doctor; wins over the department's (null = first-come for this doctor). */
  draw?: DrawRule | null;
}

/** One recurring clinic session: doctor x weekday x period, cut into slots. */
export interface ScheduleTemplateDoc {
  _id: ObjectId;
  doctorId: ObjectId;
  /** ISO weekday: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  period: Period;
  startTime: string;
  endTime: string;
  /** <= 30. */
  slotMinutes: number;
  placesPerSlot: number;
  locationId: string;
  updatedAt: Date;
}

export interface ScheduleDoc {
  _id: ObjectId;
  doctorId: ObjectId;
  departmentId: ObjectId;
  date: string;
  period: Period;
  status: 'open' | 'stopped';
  /** 停诊: why, when, by whom, and the job that cancels or moves its appointments (A2). */
  stop?: { reason: string; at: Date; by: ObjectId; jobId: ObjectId };
  locationId: string;
  feeFen: number;
  templateId: ObjectId | null;
  generatedAt: Date;
}

export interface SlotDoc {
  _id: ObjectId;
  scheduleId: ObjectId;
  doctorId: ObjectId;
  departmentId: ObjectId;
  date: string;
  period: Period;
  start: Date;
  end: Date;
  /** Queue numbers this slot covers, for the slip: first number of the window. */
  firstNumber: number;
  capacity: number;
  /** Places left. Always capacity - holders.length: both change in the same atomic update. */
  remaining: number;
  /** Appointments holding a place here (B2); the source of truth the sweeper heals from. */
  holders: ObjectId[];
  /** Queue numbers not taken, ascending; a claim takes the first, a release puts its number back. */
  freeNumbers: number[];
  /** 加号: an extra slot added by staff, with the reason and who added it; `heldFor`: given at the desk to this card, never offered to others. */
  extra?: { reason: string; addedBy: ObjectId; addedAt: Date; heldFor?: ObjectId };
}
