// Seeds the demo hospital on the first start (C1). Every record's id is derived from a stable key and
// written with $setOnInsert, and the hospital document is written last as the completion marker: a
// seed that crashed halfway is finished by the next run without duplicates, a finished one is left alone.
import { createHash } from 'node:crypto';
import { ObjectId, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import { departmentsOf, doctorsOf, HOSPITAL_ID, hospitalsOf, templatesOf } from './collections';
import { DEMO_DEPARTMENTS, DEMO_DOCTORS, DEMO_HOSPITAL, type DemoDoctor, type DemoPeriod, type DemoWeekday } from './demoHospital';
import { DOCTOR_TITLES, type DepartmentDoc, type DoctorDoc, type DoctorTitle, type FeeClass, type HospitalDoc, type Period, type ScheduleTemplateDoc } from './model';
import { pinyinOf } from './pinyin';
import { suggestEligibilityOverrides, type EligibilityOverrides } from '../domain/eligibility';

export interface SeedReport {
  /** True when this call finished the seed; false when the hospital already existed and nothing was written. */
  created: boolean;
  /** Sizes of the demo catalog now in place; 0 when nothing was written. */
  departments: number;
  doctors: number;
  templates: number;
}

export interface DemoCatalog {
  hospital: HospitalDoc;
  departments: DepartmentDoc[];
  doctors: DoctorDoc[];
  templates: ScheduleTemplateDoc[];
}

const WEEKDAYS: Record<DemoWeekday, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

const SESSIONS: Record<DemoPeriod, { period: Period; startTime: string; endTime: string }> = {
  am: { period: 'morning', startTime: '08:00', endTime: '12:00' },
  pm: { period: 'afternoon', startTime: '13:30', endTime: '17:00' },
  ev: { period: 'evening', startTime: '18:00', endTime: '21:00' },
};

const FEES: Record<DoctorTitle, { feeClass: FeeClass; feeFen: number }> = {
  主任医师: { feeClass: '专家', feeFen: 8000 },
  副主任医师: { feeClass: '专家', feeFen: 5000 },
  主治医师: { feeClass: '普通', feeFen: 2500 },
  // Free ordinary clinics let the demo book without going through payment.
  住院医师: { feeClass: '普通', feeFen: 0 },
};
const SPECIAL_FEE = { feeClass: '特需', feeFen: 30000 } as const;

/** Seniors see fewer patients per window; a 特需 clinic fewest. */
const PLACES_PER_SLOT: Record<DoctorTitle, number> = { 主任医师: 3, 副主任医师: 4, 主治医师: 5, 住院医师: 6 };
const SPECIAL_PLACES_PER_SLOT = 2;

// ObjectId's leading four bytes are read as a creation time; a fixed instant keeps getTimestamp() sane.
const ID_EPOCH_SECONDS = Date.UTC(2024, 0, 1) / 1000;

/**
 * The same key gives the same id on every run. `order` goes into the leading bytes because lists that
 * sort by _id (a clinic's doctors) should come out in that order; the rest is a hash of the key.
 */
export function demoObjectId(key: string, order = 0): ObjectId {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt32BE(ID_EPOCH_SECONDS + order, 0);
  createHash('sha256').update(`yiyue-demo:${key}`).digest().copy(bytes, 4, 0, 8);
  return new ObjectId(bytes);
}

function slotMinutesFor(title: DoctorTitle, period: DemoPeriod): number {
  // 13:30-17:00 is 210 minutes, which 20-minute slots do not divide.
  if (period === 'pm') return 30;
  return title === '主任医师' || title === '副主任医师' ? 30 : 20;
}

const withEligibility = (overrides: EligibilityOverrides) => (Object.keys(overrides).length ? { eligibility: overrides } : {});

function buildDepartments(now: Date): DepartmentDoc[] {
  const byName = new Map<string, DepartmentDoc>();
  let groupSort = 0;
  let clinicSort = 0;
  for (const entry of DEMO_DEPARTMENTS) {
    const parent = entry.parent === undefined ? null : byName.get(entry.parent);
    if (parent === undefined || parent?.parentId) throw new Error(`demo department ${entry.name}: unknown first-level parent ${entry.parent}`);
    if (!parent) {
      groupSort += 100;
      clinicSort = groupSort;
    }
    byName.set(entry.name, {
      _id: demoObjectId(`department:${entry.name}`),
      hospitalId: HOSPITAL_ID,
      parentId: parent?._id ?? null,
      name: entry.name,
      ...pinyinOf(entry.name),
      intro: entry.intro,
      locationId: entry.locationId,
      common: entry.common ?? false,
      sort: parent ? ++clinicSort : groupSort,
      ...withEligibility(suggestEligibilityOverrides(entry.name, parent?.name)),
      ...(entry.preparation && { preparation: entry.preparation }),
      updatedAt: now,
    });
  }
  return [...byName.values()];
}

function buildDoctor(entry: DemoDoctor, department: DepartmentDoc, now: Date): { doctor: DoctorDoc; templates: ScheduleTemplateDoc[] } {
  const key = `doctor:${entry.department}:${entry.name}`;
  const doctor: DoctorDoc = {
    _id: demoObjectId(key, DOCTOR_TITLES.indexOf(entry.title)),
    departmentId: department._id,
    name: entry.name,
    title: entry.title,
    specialty: entry.specialty,
    intro: entry.intro,
    ...(entry.special ? SPECIAL_FEE : FEES[entry.title]),
    active: true,
    updatedAt: now,
  };
  const templates = entry.sessions.map((session): ScheduleTemplateDoc => {
    const [weekday, period] = session.split('-') as [DemoWeekday, DemoPeriod];
    return {
      _id: demoObjectId(`template:${entry.department}:${entry.name}:${session}`),
      doctorId: doctor._id,
      weekday: WEEKDAYS[weekday],
      ...SESSIONS[period],
      slotMinutes: slotMinutesFor(entry.title, period),
      placesPerSlot: entry.special ? SPECIAL_PLACES_PER_SLOT : PLACES_PER_SLOT[entry.title],
      locationId: department.locationId,
      updatedAt: now,
    };
  });
  return { doctor, templates };
}

/** The demo hospital as documents, with the same ids on every call. Pure apart from hashing. */
export function buildDemoCatalog(now: Date): DemoCatalog {
  const departments = buildDepartments(now);
  const clinics = new Map(departments.filter((department) => department.parentId).map((department) => [department.name, department]));
  const doctors: DoctorDoc[] = [];
  const templates: ScheduleTemplateDoc[] = [];
  for (const entry of DEMO_DOCTORS) {
    const department = clinics.get(entry.department);
    if (!department) throw new Error(`demo doctor ${entry.name}: ${entry.department} is not a second-level department`);
    const built = buildDoctor(entry, department, now);
    doctors.push(built.doctor);
    templates.push(...built.templates);
  }
  return { hospital: DEMO_HOSPITAL, departments, doctors, templates };
}

async function insertMissing<T extends { _id: ObjectId }>(collection: Collection<T>, docs: T[]): Promise<void> {
  const operations = docs.map(({ _id, ...fields }) => ({
    updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true },
  })) as AnyBulkWriteOperation<T>[];
  if (operations.length) await collection.bulkWrite(operations, { ordered: false });
}

export async function seedDemoHospital(db: Db, options: { now: Date }): Promise<SeedReport> {
  if (await hospitalsOf(db).findOne({ _id: HOSPITAL_ID }, { projection: { _id: 1 } })) {
    return { created: false, departments: 0, doctors: 0, templates: 0 };
  }
  const catalog = buildDemoCatalog(options.now);
  await insertMissing(departmentsOf(db), catalog.departments);
  await insertMissing(doctorsOf(db), catalog.doctors);
  await insertMissing(templatesOf(db), catalog.templates);
  const { _id, ...hospital } = catalog.hospital;
  // Last, so that its presence means everything above is in place.
  const marker = await hospitalsOf(db).updateOne({ _id }, { $setOnInsert: hospital }, { upsert: true });
  return {
    created: marker.upsertedCount === 1,
    departments: catalog.departments.length,
    doctors: catalog.doctors.length,
    templates: catalog.templates.length,
  };
}
