// Builds a small catalog through the admin function, as hospital staff would, for catalog and booking tests.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { main as adminMain } from '../../cloudfunctions/admin';
import { HOSPITAL_ID, hospitalsOf } from '../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_RELEASE_RULES, type HospitalDoc } from '../../cloudfunctions/shared/catalog/model';
import { callAs, dataOf, type TestRuntime } from './runtime';

dayjs.extend(utc);
dayjs.extend(timezone);

export const ZONE = 'Asia/Shanghai';
export const ADMIN = 'admin-openid';

/** A calendar date `offset` days from today in the hospital's zone. */
export const dayFromToday = (offset: number) => dayjs().tz(ZONE).add(offset, 'day').format('YYYY-MM-DD');
export const isoWeekdayOf = (date: string) => dayjs.tz(date, ZONE).day() || 7;

export async function seedHospital(runtime: TestRuntime, overrides: Partial<HospitalDoc> = {}): Promise<void> {
  await hospitalsOf(runtime.db).insertOne({
    _id: HOSPITAL_ID,
    name: '测试医院',
    timeZone: ZONE,
    campuses: [{ id: 'main', name: '本部', address: '测试路 1 号', locations: [{ id: 'opd-3b', name: '门诊楼 3 楼 B 区' }] }],
    releaseRules: DEFAULT_RELEASE_RULES,
    ...overrides,
  });
}

export const admin = async <T>(event: Record<string, unknown>): Promise<T> => dataOf<T>(await callAs(adminMain, ADMIN, event));

export interface TestClinic {
  departmentId: string;
  doctorId: string;
  templateId: string;
}

/** One department with one doctor who works every day 08:00-10:00 in 30-minute slots of `places` places. */
export async function createClinic(options: { name?: string; places?: number; feeFen?: number } = {}): Promise<TestClinic> {
  const { department } = await admin<{ department: { _id: string } }>({ action: 'saveDepartment', name: options.name ?? '皮肤科', intro: '皮肤病诊疗', locationId: 'opd-3b', common: true });
  const { doctor } = await admin<{ doctor: { _id: string } }>({
    action: 'saveDoctor',
    departmentId: String(department._id),
    name: '王建国',
    title: '主治医师',
    specialty: '湿疹、痤疮',
    intro: '从事皮肤科临床工作十余年。',
    feeClass: '普通',
    feeFen: options.feeFen ?? 2500,
  });
  let templateId = '';
  for (let weekday = 1; weekday <= 7; weekday++) {
    const { template } = await admin<{ template: { _id: string } }>({
      action: 'saveTemplate',
      doctorId: String(doctor._id),
      weekday,
      period: 'morning',
      startTime: '08:00',
      endTime: '10:00',
      slotMinutes: 30,
      placesPerSlot: options.places ?? 2,
      locationId: 'opd-3b',
    });
    templateId ||= String(template._id);
  }
  await admin({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(13) });
  return { departmentId: String(department._id), doctorId: String(doctor._id), templateId };
}
