/**
 * What the home page shows besides departments: 公告 staff post (shown from their first to their last day
 * on the business clock, taken down at once), the hospital's phone and map point, and one search over
 * departments and doctors by name or 擅长. Staff only for writes, audited; bad input changes nothing.
 */
import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { RATE_RULES } from '../../../cloudfunctions/shared/rateLimit';
import { ADMIN, admin, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

interface ShownNotice {
  id: string;
  title: string;
  preview: string;
  body: string;
  dates: string;
}

let runtime: TestRuntime;
const shown = async (openid = 'patient') => dataOf<{ notices: ShownNotice[] }>(await callAs(catalogMain, openid, { action: 'notices' })).notices;
const post = (fields: Record<string, unknown>) => admin<{ notice: { id: string; state: string; stateLabel: string } }>({ action: 'saveNotice', ...fields });
const auditActions = async () => (await runtime.db.collection('audit').find({ action: /Notice|Contact/ }).sort({ at: 1 }).toArray()).map((entry) => entry.action);

async function open(rateLimits = false) {
  catalogCache.invalidate();
  runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits });
  for (const openid of [ADMIN, 'patient']) dataOf(await callAs(userMain, openid, { action: 'login' }));
  await seedHospital(runtime);
}
afterEach(() => runtime.dispose());

describe('公告', () => {
  beforeEach(() => open());

  it('shows a notice from its first day to its last, on the business clock, and takes it down at once', async () => {
    const today = dayFromToday(0);
    runtime.clock.set(new Date(`${today}T12:00:00+08:00`));
    const body = '春节期间（2月10日至2月16日）门诊只开放急诊和发热门诊。\n2月17日起恢复正常门诊，请提前在小程序预约。';
    const { notice } = await post({ title: '春节门诊安排', body, from: dayFromToday(1), until: dayFromToday(3) });
    expect(notice.stateLabel).toBe('未开始');
    expect(await shown()).toEqual([]);

    runtime.clock.set(new Date(`${dayFromToday(1)}T00:00:00+08:00`));
    const [first] = await shown();
    expect(first).toMatchObject({ title: '春节门诊安排', body, preview: '春节期间（2月10日至2月16日）门诊只开放急诊和发热门诊。…' });
    expect(first.dates).toMatch(/^\d+月\d+日至\d+月\d+日$/);

    runtime.clock.set(new Date(`${dayFromToday(3)}T23:59:00+08:00`));
    expect(await shown()).toHaveLength(1);
    runtime.clock.set(new Date(`${dayFromToday(4)}T00:00:00+08:00`));
    expect(await shown()).toEqual([]);

    // Edited to run longer, it is back; taken down, it is gone at once and listed for staff as 已撤下.
    await post({ id: notice.id, title: '春节门诊安排', body, from: dayFromToday(1), until: dayFromToday(5) });
    expect((await shown()).map((entry) => entry.title)).toEqual(['春节门诊安排']);
    await admin({ action: 'unpublishNotice', id: notice.id });
    expect(await shown()).toEqual([]);
    const { notices } = await admin<{ notices: { id: string; stateLabel: string }[] }>({ action: 'notices' });
    expect(notices).toEqual([expect.objectContaining({ id: notice.id, stateLabel: '已撤下' })]);
    expect(await auditActions()).toEqual(['admin.postNotice', 'admin.editNotice', 'admin.unpublishNotice']);
  });

  it('refuses patients every staff action, changing nothing', async () => {
    const { notice } = await post({ title: '停车提示', body: '地下车库已满，请停在东门临时停车场。', from: dayFromToday(0), until: dayFromToday(0) });
    for (const event of [
      { action: 'saveNotice', title: '假公告', body: '今天全部停诊', from: dayFromToday(0), until: dayFromToday(0) },
      { action: 'saveNotice', id: notice.id, title: '假公告', body: '今天全部停诊', from: dayFromToday(0), until: dayFromToday(0) },
      { action: 'unpublishNotice', id: notice.id },
      { action: 'notices' },
      { action: 'saveHospitalContact', campusId: 'main', address: '别的地方 1 号楼', phone: '110', latitude: 1, longitude: 1 },
    ]) {
      expect(await callAs(adminMain, 'patient', event)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    }
    expect((await shown()).map((entry) => entry.title)).toEqual(['停车提示']);
    expect(await runtime.db.collection('hospitals').findOne({}, { projection: { campuses: 1 } })).toMatchObject({ campuses: [{ address: '测试路 1 号' }] });
    expect(await auditActions()).toEqual(['admin.postNotice']);
  });

  it.each([
    ['no title', { title: undefined }, 'title'],
    ['a one-character title', { title: '春' }, 'title'],
    ['a title of 31 characters', { title: '春'.repeat(31) }, 'title'],
    ['an empty body', { body: '   ' }, 'body'],
    ['a body of 1001 characters', { body: '字'.repeat(1001) }, 'body'],
    ['a date that does not exist', { from: '2027-02-30' }, 'from'],
    ['a date typed another way', { until: '2027/2/1' }, 'until'],
    ['an end before the start', { from: '2027-02-10', until: '2027-02-01' }, 'until'],
    ['a notice longer than a year', { from: '2027-01-01', until: '2028-01-02' }, 'until'],
    ['an id that is not one', { id: 'abc' }, 'id'],
    ['a title that is not text', { title: 42 }, 'title'],
  ])('refuses %s with the field named, posting nothing', async (_label, change, field) => {
    const answer = await callAs(adminMain, ADMIN, { action: 'saveNotice', title: '春节门诊安排', body: '春节期间门诊时间有调整。', from: '2027-02-01', until: '2027-02-07', ...change });
    expect(answer).toMatchObject({ ok: false, code: 'INVALID_PARAMS', fields: [expect.objectContaining({ path: field })] });
    expect(await runtime.db.collection('notices').countDocuments()).toBe(0);
  });

  it('answers NOT_FOUND for a notice that does not exist, for edit and take-down', async () => {
    const missing = '0123456789abcdef01234567';
    expect(await callAs(adminMain, ADMIN, { action: 'unpublishNotice', id: missing })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await callAs(adminMain, ADMIN, { action: 'saveNotice', id: missing, title: '停车提示', body: '东门停车场开放。', from: '2027-02-01', until: '2027-02-01' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await runtime.db.collection('notices').countDocuments()).toBe(0);
  });
});

describe('the hospital on the home page', () => {
  beforeEach(() => open());

  it('staff set the address, phone and map point patients see; bad values change nothing', async () => {
    await admin({ action: 'saveHospitalContact', campusId: 'main', address: '测试路 1 号（地铁 1 号线测试站 2 号口）', phone: '025-8000 0100', latitude: 32.0603, longitude: 118.7778 });
    const read = async () => dataOf<{ hospital: { name: string; campuses: Record<string, unknown>[] } }>(await callAs(catalogMain, 'patient', { action: 'hospital' })).hospital;
    expect((await read()).campuses[0]).toMatchObject({ address: '测试路 1 号（地铁 1 号线测试站 2 号口）', phone: '025-8000 0100', latitude: 32.0603, longitude: 118.7778 });

    const changes: [Record<string, unknown>, string][] = [
      [{ phone: '请拨打咨询台' }, 'phone'],
      [{ phone: '1' }, 'phone'],
      [{ latitude: 91 }, 'latitude'],
      [{ longitude: '118.7' }, 'longitude'],
      [{ address: '近' }, 'address'],
    ];
    for (const [change, field] of changes) {
      const answer = await callAs(adminMain, ADMIN, { action: 'saveHospitalContact', campusId: 'main', address: '别处路 9 号', phone: '12320', latitude: 30, longitude: 120, ...change });
      expect(answer).toMatchObject({ ok: false, code: 'INVALID_PARAMS', fields: [expect.objectContaining({ path: field })] });
    }
    expect(await callAs(adminMain, ADMIN, { action: 'saveHospitalContact', campusId: 'east', address: '别处路 9 号', phone: '12320', latitude: 30, longitude: 120 })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    });
    expect((await read()).campuses[0]).toMatchObject({ phone: '025-8000 0100', latitude: 32.0603 });
    expect(await auditActions()).toEqual(['admin.saveHospitalContact']);
  });
});

describe('search over departments and doctors', () => {
  interface Found {
    departments: { name: string }[];
    doctors: { id: string; name: string; departmentName: string; specialty: string }[];
  }
  const search = async (keyword: unknown, openid = 'patient') => callAs(catalogMain, openid, { action: 'search', keyword });
  const found = async (keyword: string) => dataOf<Found>(await search(keyword));

  beforeEach(async () => {
    await open();
    await createClinic();
    const { department } = await admin<{ department: { _id: string } }>({ action: 'saveDepartment', name: '心血管内科', intro: '', locationId: 'opd-3b' });
    for (const [name, specialty, active] of [
      ['李心安', '房颤射频消融、高血压', true],
      ['赵平', '冠心病、心力衰竭', true],
      ['钱退休', '高血压', false],
    ] as const) {
      await admin({ action: 'saveDoctor', departmentId: String(department._id), name, title: '主任医师', specialty, intro: '', feeClass: '专家', feeFen: 8000, active });
    }
  });

  it('finds a doctor by what they treat, with their department, and not doctors who left', async () => {
    const { doctors, departments } = await found('高血压');
    expect(departments).toEqual([]);
    expect(doctors.map((doctor) => [doctor.name, doctor.departmentName])).toEqual([['李心安', '心血管内科']]);
  });

  it('finds doctors by name or name initials before specialty matches, and departments alongside', async () => {
    expect((await found('王建国')).doctors.map((doctor) => doctor.name)).toEqual(['王建国']);
    expect((await found('wjg')).doctors.map((doctor) => doctor.name)).toEqual(['王建国']);
    expect((await found('湿疹')).doctors.map((doctor) => [doctor.name, doctor.departmentName])).toEqual([['王建国', '皮肤科']]);
    const heart = await found('心');
    expect(heart.departments.map((department) => department.name)).toEqual(['心血管内科']);
    // 李心安's name has 心; 赵平 only treats 冠心病: name first.
    expect(heart.doctors.map((doctor) => doctor.name)).toEqual(['李心安', '赵平']);
    expect(await found('肿瘤')).toEqual({ departments: [], doctors: [] });
  });

  it.each([
    ['nothing', undefined],
    ['blank', '   '],
    ['41 characters', '心'.repeat(41)],
    ['a number', 42],
    ['an object', { $regex: '.*' }],
  ])('refuses a keyword that is %s with a sentence', async (_label, keyword) => {
    const answer = await search(keyword);
    expect(answer).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect((answer as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
  });
});

describe('rate limits', () => {
  beforeEach(() => open(true));

  it('refuses the search past its limit per account with a sentence, others go on, and the next window is open', async () => {
    for (let i = 0; i < RATE_RULES.catalogSearchPerCaller.limit; i++) expect(await callAs(catalogMain, 'typist', { action: 'search', keyword: '皮肤' })).toMatchObject({ ok: true });
    expect(await callAs(catalogMain, 'typist', { action: 'search', keyword: '皮肤' })).toMatchObject({ ok: false, code: 'RATE_LIMITED', message: expect.stringMatching(/^搜索得太快了，请 \d+ 秒后再试。$/) });
    expect(await callAs(catalogMain, 'patient', { action: 'search', keyword: '皮肤' })).toMatchObject({ ok: true });
    runtime.clock.advance(RATE_RULES.catalogSearchPerCaller.windowMs);
    expect(await callAs(catalogMain, 'typist', { action: 'search', keyword: '皮肤' })).toMatchObject({ ok: true });
  });

  it('refuses notice reads past their limit per account', async () => {
    for (let i = 0; i < RATE_RULES.noticesPerCaller.limit; i++) expect(await callAs(catalogMain, 'reader', { action: 'notices' })).toMatchObject({ ok: true });
    expect(await callAs(catalogMain, 'reader', { action: 'notices' })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(await callAs(catalogMain, 'patient', { action: 'notices' })).toMatchObject({ ok: true });
  });

  it('refuses staff edits past their limit, posting nothing more', async () => {
    const notice = (i: number) => ({ action: 'saveNotice', title: `停车提示 ${i}`, body: '东门停车场开放。', from: '2027-02-01', until: '2027-02-01' });
    for (let i = 0; i < RATE_RULES.homeEditsPerUser.limit; i++) expect(await callAs(adminMain, ADMIN, notice(i))).toMatchObject({ ok: true });
    expect(await callAs(adminMain, ADMIN, notice(99))).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
    expect(await runtime.db.collection('notices').countDocuments()).toBe(RATE_RULES.homeEditsPerUser.limit);
  });
});
