/** 就诊须知 as catalog data: staff write them per department and doctor, patients read them, nobody else writes them. */
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { PREPARATION_MAX_CHARS } from '../../../cloudfunctions/shared/domain/preparationNotes';
import { ADMIN, admin, createClinic, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const NOTES = '请空腹抽血。\n带上既往病历和检查报告。';

describe('preparation notes', () => {
  let runtime: TestRuntime;
  let clinic: TestClinic;
  const department = (preparation?: unknown) => ({ action: 'saveDepartment', id: clinic.departmentId, name: '皮肤科', locationId: 'opd-3b', ...(preparation !== undefined && { preparation }) });
  const doctor = (preparation?: unknown) => ({ action: 'saveDoctor', id: clinic.doctorId, departmentId: clinic.departmentId, name: '王建国', title: '主治医师', feeClass: '普通', feeFen: 2500, ...(preparation !== undefined && { preparation }) });
  const seen = async () => {
    catalogCache.invalidate();
    const answer = dataOf<{ doctor: { preparation: string }; department: { preparation: string }; preparation: string }>(await callAs(catalogMain, 'patient', { action: 'doctor', doctorId: clinic.doctorId }));
    return { doctor: answer.doctor.preparation, department: answer.department.preparation, effective: answer.preparation };
  };
  const stored = async () => (await runtime.db.collection('departments').findOne({}))?.preparation;

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    for (const openid of [ADMIN, 'patient']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(runtime);
    clinic = await createClinic();
  });
  afterEach(() => runtime.dispose());

  it('the department writes them, a doctor overrides them, clearing the doctor\'s falls back, leaving them out keeps them', async () => {
    expect(await seen()).toEqual({ doctor: '', department: '', effective: '' });
    await admin(department(`  ${NOTES}  \r\n`));
    expect(await seen()).toEqual({ doctor: '', department: NOTES, effective: NOTES });
    await admin(doctor('王医生的病人请带上皮疹照片。'));
    expect(await seen()).toEqual({ doctor: '王医生的病人请带上皮疹照片。', department: NOTES, effective: '王医生的病人请带上皮疹照片。' });
    await admin(doctor(''));
    expect((await seen()).effective).toBe(NOTES);
    // An older form that does not send the field changes nothing about the notes.
    await admin(department());
    expect((await seen()).department).toBe(NOTES);
    const listed = dataOf<{ departments: { preparation: string }[] }>(await callAs(catalogMain, 'patient', { action: 'departments' }));
    expect(listed.departments[0].preparation).toBe(NOTES);
  });

  it.each([
    ['over the limit', '空'.repeat(PREPARATION_MAX_CHARS + 1), `就诊须知最多 ${PREPARATION_MAX_CHARS} 字，请写最要紧的几条`],
    ['生僻字 over the limit (counted per character)', '𠮷'.repeat(PREPARATION_MAX_CHARS + 1), `就诊须知最多 ${PREPARATION_MAX_CHARS} 字，请写最要紧的几条`],
    ['a number', 42, '就诊须知请填写文字'],
    ['a list', ['空腹'], '就诊须知请填写文字'],
  ])('refuses notes that are %s, names the field and changes nothing', async (_name, preparation, message) => {
    await admin(department(NOTES));
    for (const event of [department(preparation), doctor(preparation)]) {
      expect(await callAs(adminMain, ADMIN, event)).toMatchObject({ ok: false, code: 'INVALID_PARAMS', fields: [{ path: 'preparation', message }] });
    }
    expect(await stored()).toBe(NOTES);
    expect((await seen()).doctor).toBe('');
  });

  it('a patient cannot write them (FORBIDDEN before the payload), to a department or a doctor', async () => {
    await admin(department(NOTES));
    for (const event of [department('请不要来了'), doctor('请不要来了'), department('空'.repeat(PREPARATION_MAX_CHARS + 1))]) {
      const answer = await callAs(adminMain, 'patient', event);
      expect(answer).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(answer).not.toHaveProperty('fields');
    }
    expect(await seen()).toEqual({ doctor: '', department: NOTES, effective: NOTES });
  });
});
