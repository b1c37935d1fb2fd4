import { departmentsOf, doctorsOf, hospitalsOf, templatesOf } from '../../../../cloudfunctions/shared/catalog/collections';
import { buildDemoCatalog, seedDemoHospital } from '../../../../cloudfunctions/shared/catalog/seedDemoHospital';
import { preparationSchema, preparationShortForm, SEE_PREPARATION } from '../../../../cloudfunctions/shared/domain/preparationNotes';
import { openTestRuntime, type TestRuntime } from '../../../support/runtime';

const NOW = new Date('2026-11-22T00:00:00Z');

describe('demo hospital', () => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await openTestRuntime();
  });
  afterEach(() => runtime.dispose());

  it('has the departments the product promises, in two levels, and at least 60 doctors with Chinese names', () => {
    const catalog = buildDemoCatalog(NOW);
    const clinics = catalog.departments.filter((department) => department.parentId);
    expect(catalog.departments.length).toBeGreaterThanOrEqual(20);
    expect(clinics.length).toBeGreaterThan(0);
    expect(clinics.every((clinic) => catalog.departments.some((department) => department._id.equals(clinic.parentId!) && department.parentId === null))).toBe(true);
    for (const name of ['妇产科', '儿科', '消化内科', '心血管内科', '口腔科', '皮肤科', '眼科', '耳鼻喉科']) {
      expect(catalog.departments.map((department) => department.name)).toContain(name);
    }
    expect(catalog.doctors.length).toBeGreaterThanOrEqual(60);
    expect(catalog.doctors.every((doctor) => /^[\u4e00-\u9fa5]{2,4}$/.test(doctor.name) && doctor.intro.length > 10)).toBe(true);
    expect(new Set(catalog.doctors.map((doctor) => doctor.title)).size).toBe(4);
  });

  it('carries 就诊须知 for a few departments, valid as staff would have to write them, one short enough for WeChat and one not', () => {
    const catalog = buildDemoCatalog(NOW);
    const withNotes = catalog.departments.filter((department) => department.preparation);
    expect(withNotes.map((department) => department.name)).toEqual(expect.arrayContaining(['消化内科', '内分泌科', '儿科']));
    for (const department of withNotes) expect(preparationSchema.parse(department.preparation)).toBe(department.preparation);
    const short = (name: string) => preparationShortForm(withNotes.find((department) => department.name === name)!.preparation!);
    expect(short('消化内科')).toBe('做胃镜前 8 小时请不要吃东西、喝水');
    expect(short('内分泌科')).toBe(SEE_PREPARATION);
  });

  it('seeds once: a second run writes nothing, and a run that crashed before the hospital marker is finished without duplicates', async () => {
    const first = await seedDemoHospital(runtime.db, { now: NOW });
    expect(first.created).toBe(true);
    const counts = async () => [await departmentsOf(runtime.db).countDocuments(), await doctorsOf(runtime.db).countDocuments(), await templatesOf(runtime.db).countDocuments()];
    const after = await counts();
    expect(after).toEqual([first.departments, first.doctors, first.templates]);

    expect((await seedDemoHospital(runtime.db, { now: NOW })).created).toBe(false);
    expect(await counts()).toEqual(after);

    // A crash after the doctors but before the marker: the next start completes the seed.
    await hospitalsOf(runtime.db).deleteMany({});
    await templatesOf(runtime.db).deleteMany({});
    expect((await seedDemoHospital(runtime.db, { now: NOW })).created).toBe(true);
    expect(await counts()).toEqual(after);
  });
});
