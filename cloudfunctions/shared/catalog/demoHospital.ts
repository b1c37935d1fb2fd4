// The demo hospital seeded on the first local start: a fictional tertiary hospital with one campus,
// two levels of departments and a few dozen doctors, each with a weekly clinic timetable.
import { HOSPITAL_ID } from './collections';
import { DEMO_DEPARTMENTS } from './demoDepartments';
import { MEDICAL_SURGICAL_DOCTORS } from './demoDoctorsMedicalSurgical';
import { SPECIALTY_DOCTORS } from './demoDoctorsSpecialties';
import { DEFAULT_RELEASE_RULES, type DoctorTitle, type HospitalDoc, type Location } from './model';

export interface DemoDepartment {
  name: string;
  /** The first-level department's name; absent for a first-level department. */
  parent?: string;
  intro: string;
  locationId: string;
  common?: boolean;
  /** 就诊须知 shown on the slip and in reminders (N3). */
  preparation?: string;
}

export type DemoWeekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** am 上午, pm 下午, ev 夜间. */
export type DemoPeriod = 'am' | 'pm' | 'ev';
export type DemoSession = `${DemoWeekday}-${DemoPeriod}`;

export interface DemoDoctor {
  /** The second-level clinic the doctor sits in; doctors never hang off a first-level department. */
  department: string;
  name: string;
  title: DoctorTitle;
  /** A 主任医师 who runs a 特需 (special-needs) clinic instead of an ordinary expert clinic. */
  special?: boolean;
  specialty: string;
  intro: string;
  /** Weekly clinic sessions, at most one per weekday and period. */
  sessions: DemoSession[];
}

const location = (id: string, name: string): Location => ({ id, name });

export const DEMO_LOCATIONS: Location[] = [
  location('opd-2f', '门诊楼 2 楼'),
  location('opd-2a', '门诊楼 2 楼 A 区'),
  location('opd-2b', '门诊楼 2 楼 B 区'),
  location('opd-2c', '门诊楼 2 楼 C 区'),
  location('opd-2d', '门诊楼 2 楼 D 区'),
  location('opd-3a', '门诊楼 3 楼 A 区'),
  location('opd-3b', '门诊楼 3 楼 B 区'),
  location('opd-3c', '门诊楼 3 楼 C 区'),
  location('opd-4f', '门诊楼 4 楼'),
  location('opd-4a', '门诊楼 4 楼 A 区'),
  location('opd-4b', '门诊楼 4 楼 B 区'),
  location('opd-4c', '门诊楼 4 楼 C 区'),
  location('opd-4d', '门诊楼 4 楼 D 区'),
  location('opd-4e', '门诊楼 4 楼 E 区'),
  location('opd-5f', '门诊楼 5 楼'),
  location('opd-5a', '门诊楼 5 楼 A 区'),
  location('opd-5b', '门诊楼 5 楼 B 区'),
  location('opd-5c', '门诊楼 5 楼 C 区'),
  location('opd-6f', '门诊楼 6 楼'),
  location('opd-6a', '门诊楼 6 楼 A 区'),
  location('opd-6b', '门诊楼 6 楼 B 区'),
  location('wc-1f', '妇儿楼 1 楼'),
  location('wc-1a', '妇儿楼 1 楼 A 区'),
  location('wc-1b', '妇儿楼 1 楼 B 区'),
  location('wc-2f', '妇儿楼 2 楼'),
  location('wc-2a', '妇儿楼 2 楼 A 区'),
  location('wc-2b', '妇儿楼 2 楼 B 区'),
  location('tcm-1f', '中医楼 1 楼'),
  location('tcm-1a', '中医楼 1 楼 A 区'),
  location('tcm-1b', '中医楼 1 楼 B 区'),
];

export const DEMO_HOSPITAL: HospitalDoc = {
  _id: HOSPITAL_ID,
  name: '医约示范医院',
  timeZone: 'Asia/Shanghai',
  campuses: [{ id: 'main', name: '本部', address: '江苏省南京市鼓楼区示范路 100 号', phone: '025-8000 0100', latitude: 32.0603, longitude: 118.7778, locations: DEMO_LOCATIONS }],
  releaseRules: DEFAULT_RELEASE_RULES,
};

export { DEMO_DEPARTMENTS };

export const DEMO_DOCTORS: DemoDoctor[] = [...MEDICAL_SURGICAL_DOCTORS, ...SPECIALTY_DOCTORS];
