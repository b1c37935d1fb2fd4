import { main as adminMain } from '../../../cloudfunctions/admin';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { ADMIN, admin, createClinic, dayFromToday, isoWeekdayOf, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

interface Days {
  days: { date: string; periods: { scheduleId: string; slots: { id: string; capacity: number; remaining: number; extra: boolean }[] }[] }[];
}

describe('admin function', () => {
  let runtime: TestRuntime;
  let clinic: TestClinic;
  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    for (const openid of [ADMIN, 'patient']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(runtime);
    clinic = await createClinic();
  });
  afterEach(() => runtime.dispose());

  const grid = async () => dataOf<Days>(await callAs(catalogMain, 'patient', { action: 'schedules', doctorId: clinic.doctorId }));
  const dayOf = (days: Days, offset: number) => days.days.find((day) => day.date === dayFromToday(offset))!;

  it('generates 14 days of schedules from the weekly templates', async () => {
    const days = await grid();
    expect(days.days).toHaveLength(14);
    expect(dayOf(days, 3).periods[0].slots.map((slot) => slot.capacity)).toEqual([2, 2, 2, 2]);
  });

  it('changes what patients see when a template is changed and schedules are regenerated', async () => {
    const target = (await runtime.db.collection('scheduleTemplates').find({}).toArray()).find((template) => template.weekday === isoWeekdayOf(dayFromToday(4)))!;
    await admin({ action: 'saveTemplate', id: String(target._id), doctorId: clinic.doctorId, weekday: target.weekday, period: 'morning', startTime: '08:00', endTime: '09:00', slotMinutes: 20, placesPerSlot: 5, locationId: 'opd-3b' });
    const { report } = await admin<{ report: { rebuilt: number } }>({ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(13) });
    expect(report.rebuilt).toBeGreaterThanOrEqual(1);
    const changed = dayOf(await grid(), 4).periods[0].slots;
    expect(changed.map((slot) => slot.capacity)).toEqual([5, 5, 5]);
  });

  it('refuses a second template for the same doctor, weekday and period, pointing at the field', async () => {
    const duplicate = await callAs(adminMain, ADMIN, {
      action: 'saveTemplate',
      doctorId: clinic.doctorId,
      weekday: 1,
      period: 'morning',
      startTime: '09:00',
      endTime: '11:00',
      slotMinutes: 30,
      placesPerSlot: 3,
      locationId: 'opd-3b',
    });
    expect(duplicate).toMatchObject({ ok: false, code: 'INVALID_PARAMS', fields: [{ path: 'period' }] });
    expect(await runtime.db.collection('scheduleTemplates').countDocuments({ weekday: 1 })).toBe(1);
  });

  it('keeps a session that already has bookings and reports it', async () => {
    const day = dayOf(await grid(), 5);
    await runtime.db.collection('slots').updateOne({ scheduleId: { $exists: true }, remaining: 2, date: dayFromToday(5) }, { $inc: { remaining: -1 } });
    const template = (await runtime.db.collection('scheduleTemplates').find({}).toArray()).find((entry) => entry.weekday === isoWeekdayOf(dayFromToday(5)))!;
    await admin({ action: 'saveTemplate', id: String(template._id), doctorId: clinic.doctorId, weekday: template.weekday, period: 'morning', startTime: '08:00', endTime: '09:00', slotMinutes: 30, placesPerSlot: 9, locationId: 'opd-3b' });
    const { report } = await admin<{ report: { keptWithBookings: { date: string }[] } }>({ action: 'generateSchedules', from: dayFromToday(5), to: dayFromToday(5) });
    expect(report.keptWithBookings.map((entry) => entry.date)).toEqual([dayFromToday(5)]);
    expect(dayOf(await grid(), 5).periods[0].slots).toHaveLength(day.periods[0].slots.length);
  });

  it('adds an extra slot with its reason and the admin who added it, and audits every change', async () => {
    const scheduleId = dayOf(await grid(), 2).periods[0].scheduleId;
    await admin({ action: 'addExtraSlot', scheduleId, startTime: '10:00', endTime: '10:30', capacity: 3, reason: '复诊患者较多，临时加号' });
    const slots = dayOf(await grid(), 2).periods[0].slots;
    expect(slots.at(-1)).toMatchObject({ capacity: 3, remaining: 3, extra: true });
    const stored = await runtime.db.collection('slots').findOne({ extra: { $exists: true } });
    expect(stored?.extra.reason).toBe('复诊患者较多，临时加号');
    const actions = (await runtime.db.collection('audit').find({}).toArray()).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['admin.saveDepartment', 'admin.saveDoctor', 'admin.saveTemplate', 'admin.generateSchedules', 'admin.addExtraSlot']));
  });

  it.each([
    ['overview', {}],
    ['saveDepartment', { name: '假科室', locationId: 'opd-3b' }],
    ['saveDoctor', { departmentId: '0123456789abcdef01234567', name: '假医生', title: '主任医师', feeClass: '专家', feeFen: 1 }],
    ['templates', { doctorId: '0123456789abcdef01234567' }],
    ['deleteTemplate', { id: '0123456789abcdef01234567' }],
    ['generateSchedules', { from: dayFromToday(0), to: dayFromToday(1) }],
  ])('refuses %s to a non-admin and changes nothing', async (action, payload) => {
    const before = await Promise.all(['departments', 'doctors', 'scheduleTemplates', 'schedules', 'slots'].map((name) => runtime.db.collection(name).countDocuments()));
    const result = await callAs(adminMain, 'patient', { action, ...payload });
    expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const after = await Promise.all(['departments', 'doctors', 'scheduleTemplates', 'schedules', 'slots'].map((name) => runtime.db.collection(name).countDocuments()));
    expect(after).toEqual(before);
  });

  it.each([
    [{ action: 'saveTemplate', doctorId: 'x', weekday: 8 }, 'INVALID_PARAMS'],
    [{ action: 'saveTemplate', weekday: 1, period: 'morning', startTime: '10:00', endTime: '09:00', slotMinutes: 30, placesPerSlot: 1, locationId: 'a' }, 'INVALID_PARAMS'],
    [{ action: 'saveTemplate', doctorId: '0123456789abcdef01234567', weekday: 1, period: 'morning', startTime: '08:00', endTime: '09:00', slotMinutes: 45, placesPerSlot: 1, locationId: 'a' }, 'INVALID_PARAMS'],
    [{ action: 'generateSchedules', from: dayFromToday(0), to: dayFromToday(40) }, 'INVALID_PARAMS'],
    [{ action: 'addExtraSlot', scheduleId: '0123456789abcdef01234567', startTime: '10:00', endTime: '10:30', capacity: 1, reason: '' }, 'INVALID_PARAMS'],
  ])('refuses bad input %j with a coded error', async (event, code) => {
    expect(await callAs(adminMain, ADMIN, event)).toMatchObject({ ok: false, code });
  });
});
