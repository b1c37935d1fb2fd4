// The `catalog` function: departments, doctors, release rules and schedules with live counts (C1-C3).
import { callFunction } from './api'

export interface Department {
  id: string
  /** null for a first-level department (内科); set for a clinic under it (心血管内科). */
  parentId: string | null
  name: string
  intro: string
  /** The department's own 就诊须知 ('' when it has none). */
  preparation: string
  /** Shown among 常用科室 on the home page. */
  common: boolean
  locationId: string
}

export interface Doctor {
  id: string
  departmentId: string
  name: string
  title: string
  specialty: string
  intro: string
  feeClass: string
  /** Registration fee in fen; 0 is free. */
  feeFen: number
  /** The doctor's own 就诊须知 ('' when the department's apply). */
  preparation: string
}

export interface NextAvailable {
  date: string
  /** 11月29日 周日 */
  label: string
  placesLeft: number
}

export type DoctorWithNext = Doctor & { nextAvailable: NextAvailable | null }

export interface Slot {
  id: string
  start: string
  end: string
  /** 09:00-09:30 in the hospital's time zone. */
  window: string
  capacity: number
  remaining: number
  bookable: boolean
  /** Set while the slot is not released yet. */
  opensAt: string | null
  /** 11月29日 07:00 放号 */
  opensAtLabel: string | null
  extra: boolean
}

export type Period = 'morning' | 'afternoon' | 'evening'

export interface SchedulePeriod {
  scheduleId: string
  period: Period
  /** 上午 / 下午 / 夜间 */
  label: string
  status: 'open' | 'stopped'
  locationId: string
  feeFen: number
  remaining: number
  slots: Slot[]
}

export interface ScheduleDay {
  date: string
  /** 11月29日 周日 */
  label: string
  periods: SchedulePeriod[]
}

export interface RulesExplanation {
  summary: string
  example: string
  details: string[]
  /** 妇科仅接诊女性患者。…: the department's sex/age limits, null when anyone may book. */
  who: string | null
}

export interface Campus {
  id: string
  name: string
  address: string
  /** 咨询电话; absent until staff fill it in. */
  phone?: string
  /** GCJ-02, for 导航. */
  latitude?: number
  longitude?: number
  locations: { id: string; name: string }[]
}

export interface Hospital {
  name: string
  timeZone: string
  campuses: Campus[]
}

/** A 公告 showing today: the preview on home, the body when tapped. */
export interface Notice {
  id: string
  title: string
  preview: string
  body: string
  /** 1月25日至2月5日 */
  dates: string
}

export async function fetchNotices(): Promise<Notice[]> {
  const { notices } = await callFunction<{ notices: Notice[] }>('catalog', 'notices')
  return notices
}

export type FoundDoctor = Doctor & { departmentName: string }

/** Departments and doctors (by name, name initials or 擅长) matching `keyword`, best first. */
export function searchCatalog(keyword: string): Promise<{ departments: Department[]; doctors: FoundDoctor[] }> {
  return callFunction('catalog', 'search', { keyword })
}

export async function fetchHospital(): Promise<Hospital> {
  const { hospital } = await callFunction<{ hospital: Hospital }>('catalog', 'hospital')
  return hospital
}

/** All departments in display order, or (with a keyword: Chinese or pinyin initials) the matches, best first. */
export async function fetchDepartments(keyword?: string): Promise<Department[]> {
  const { departments } = await callFunction<{ departments: Department[] }>('catalog', 'departments', keyword ? { keyword } : {})
  return departments
}

export function fetchDoctors(departmentId: string): Promise<{ department: Department; doctors: DoctorWithNext[] }> {
  return callFunction('catalog', 'doctors', { departmentId })
}

/** `preparation`: the 就诊须知 this doctor's patients read (the doctor's, else the department's). */
export function fetchDoctor(doctorId: string): Promise<{ doctor: Doctor; department: Department; preparation: string }> {
  return callFunction('catalog', 'doctor', { doctorId })
}

export interface Schedules {
  /** First and last date asked for (YYYY-MM-DD); only days with a session are in `days`. */
  from: string
  to: string
  days: ScheduleDay[]
}

/** Today and the next 13 days, in the hospital's time zone, with the server's clock (ms) at the answer. */
export async function fetchSchedules(doctorId: string): Promise<{ schedules: Schedules; now: number }> {
  const { from, to, days, now } = await callFunction<Schedules & { now: string }>('catalog', 'schedules', { doctorId })
  return { schedules: { from, to, days }, now: Date.parse(now) }
}

export async function fetchRules(departmentId: string): Promise<RulesExplanation> {
  const { explanation, who } = await callFunction<{ explanation: Omit<RulesExplanation, 'who'>; who: string | null }>('catalog', 'rules', { departmentId })
  return { ...explanation, who }
}

/** Location names by id, across campuses: 门诊楼 6 楼 A 区. */
export function locationNames(hospital: Hospital): Map<string, string> {
  return new Map(hospital.campuses.flatMap((campus) => campus.locations.map((location) => [location.id, location.name] as const)))
}
