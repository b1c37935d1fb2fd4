import { ObjectId } from 'mongodb';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { ScheduleCache, scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { buildScheduleDays } from '../../../cloudfunctions/catalog/views';
import { DEFAULT_RELEASE_RULES } from '../../../cloudfunctions/shared/catalog/model';
import { ADMIN, admin, createClinic, dayFromToday, seedHospital, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

interface Slot {
  id: string;
  remaining: number;
  bookable: boolean;
  opensAtLabel: string | null;
}
interface Days {
  days: { date: string; label: string; periods: { slots: Slot[] }[] }[];
}

describe('catalog function', () => {
  let runtime: TestRuntime;
  let clinic: TestClinic;
  const catalog = async <T>(event: Record<string, unknown>) => dataOf<T>(await callAs(catalogMain, 'patient', event));
  const slotsOn = (days: Days, offset: number) => days.days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots);

  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    for (const openid of [ADMIN, 'patient']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(runtime);
    clinic = await createClinic();
    await admin({ action: 'saveDepartment', name: '心血管内科', intro: '', locationId: 'opd-3b' });
    await admin({ action: 'saveDepartment', name: '消化内科', intro: '', locationId: 'opd-3b' });
  });
  afterEach(() => runtime.dispose());

  it.each([
    ['pf', ['皮肤科']],
    ['PF', ['皮肤科']],
    ['xhnk', ['消化内科']],
    ['心血管', ['心血管内科']],
    ['zzz', []],
  ])('finds departments for "%s"', async (keyword, names) => {
    const { departments } = await catalog<{ departments: { name: string }[] }>({ action: 'departments', keyword });
    expect(departments.map((department) => department.name)).toEqual(names);
  });

  it('lists a department’s doctors with their next available day and places left', async () => {
    const { doctors } = await catalog<{ doctors: { name: string; feeFen: number; nextAvailable: { date: string; placesLeft: number } | null }[] }>({
      action: 'doctors',
      departmentId: clinic.departmentId,
    });
    expect(doctors).toHaveLength(1);
    expect(doctors[0]).toMatchObject({ name: '王建国', feeFen: 2500 });
    expect(doctors[0].nextAvailable?.placesLeft).toBeGreaterThan(0);
  });

  it('shows released days as bookable and days beyond the window with their release time', async () => {
    const days = await catalog<Days>({ action: 'schedules', doctorId: clinic.doctorId });
    expect(days.days).toHaveLength(14);
    expect(slotsOn(days, 3).length).toBeGreaterThan(0);
    expect(slotsOn(days, 3).every((slot) => slot.bookable && slot.opensAtLabel === null)).toBe(true);
    const later = slotsOn(days, 10);
    expect(later.length).toBeGreaterThan(0);
    expect(later.every((slot) => !slot.bookable)).toBe(true);
    // Day 10's places open 7 days ahead of it, at 07:00 on day 3.
    const [month, day] = dayFromToday(3).split('-').slice(1).map(Number);
    expect(later[0].opensAtLabel).toMatch(new RegExp(`^${month}月${day}日 07:00 放号$`));
  });

  it('opens the day a week ahead at 07:00 Beijing: not bookable at 06:59, bookable at 07:00', async () => {
    const today = dayFromToday(0);
    runtime.clock.set(new Date(`${today}T06:59:00+08:00`));
    const before = slotsOn(await catalog<Days>({ action: 'schedules', doctorId: clinic.doctorId }), 7);
    expect(before.every((slot) => !slot.bookable)).toBe(true);
    const [month, day] = today.split('-').slice(1).map(Number);
    expect(before[0].opensAtLabel).toBe(`${month}月${day}日 07:00 放号`);
    runtime.clock.set(new Date(`${today}T07:00:00+08:00`));
    const after = slotsOn(await catalog<Days>({ action: 'schedules', doctorId: clinic.doctorId }), 7);
    expect(after.every((slot) => slot.bookable && slot.opensAtLabel === null)).toBe(true);
  });

  it('explains the release rules in plain Chinese', async () => {
    runtime.clock.set(new Date(`${dayFromToday(0)}T12:00:00+08:00`));
    const { explanation } = await catalog<{ explanation: { summary: string; example: string } }>({ action: 'rules', departmentId: clinic.departmentId });
    expect(explanation.summary).toContain('07:00');
    const [month, day] = dayFromToday(0).split('-').slice(1).map(Number);
    expect(explanation.example).toContain(`今天是 ${month}月${day}日`);
  });

  it('shows a booking made elsewhere as soon as the cache for the doctor is dropped', async () => {
    const before = slotsOn(await catalog<Days>({ action: 'schedules', doctorId: clinic.doctorId }), 3)[0];
    await runtime.db.collection('slots').updateOne({ _id: new ObjectId(before.id) }, { $inc: { remaining: -1 } });
    scheduleCache.invalidateDoctor(new ObjectId(clinic.doctorId));
    const after = slotsOn(await catalog<Days>({ action: 'schedules', doctorId: clinic.doctorId }), 3)[0];
    expect(after.remaining).toBe(before.remaining - 1);
  });

  it.each([
    [{ action: 'doctor', doctorId: '0123456789abcdef01234567' }, 'NOT_FOUND'],
    [{ action: 'schedules', doctorId: 'nope' }, 'NOT_FOUND'],
    [{ action: 'doctors', departmentId: '0123456789abcdef01234567' }, 'NOT_FOUND'],
    [{ action: 'schedules', doctorId: '0123456789abcdef01234567', from: '2026-13-01' }, 'INVALID_PARAMS'],
    [{ action: 'departments', keyword: 'x'.repeat(41) }, 'INVALID_PARAMS'],
  ])('answers %j with %s', async (event, code) => {
    expect(await callAs(catalogMain, 'patient', event)).toMatchObject({ ok: false, code });
  });

  it('refuses a schedule range longer than a month', async () => {
    expect(await callAs(catalogMain, 'patient', { action: 'schedules', doctorId: clinic.doctorId, from: dayFromToday(0), to: dayFromToday(40) })).toMatchObject({
      ok: false,
      code: 'INVALID_PARAMS',
    });
  });
});

describe('schedule grid', () => {
  it('says until when it stays true: the next release or booking-close instant', () => {
    const scheduleId = new ObjectId();
    const slot = (date: string, start: string) => ({
      _id: new ObjectId(),
      scheduleId,
      doctorId: new ObjectId(),
      departmentId: new ObjectId(),
      date,
      period: 'morning' as const,
      start: new Date(start),
      end: new Date(Date.parse(start) + 30 * 60_000),
      firstNumber: 1,
      capacity: 2,
      remaining: 2,
      holders: [],
      freeNumbers: [1, 2],
    });
    const schedule = { _id: scheduleId, doctorId: new ObjectId(), departmentId: new ObjectId(), date: '2026-11-23', period: 'morning' as const, status: 'open' as const, locationId: 'x', feeFen: 0, templateId: null, generatedAt: new Date() };
    const build = (slots: ReturnType<typeof slot>[], now: string) =>
      buildScheduleDays({ schedules: [schedule], slots, rules: DEFAULT_RELEASE_RULES, timeZone: 'Asia/Shanghai', now: new Date(now) }).validUntil;
    // Bookable at 08:00 Beijing on the 23rd; closes 30 minutes before its 09:00 window.
    expect(build([slot('2026-11-23', '2026-11-23T01:00:00Z')], '2026-11-23T00:00:00Z')).toBe(Date.parse('2026-11-23T00:30:00Z'));
    // The 30th is not released on the 22nd at 08:00; it opens on the 23rd at 07:00 Beijing.
    expect(build([slot('2026-11-30', '2026-11-30T01:00:00Z')], '2026-11-22T00:00:00Z')).toBe(Date.parse('2026-11-22T23:00:00Z'));
    // Closed slots never reopen.
    expect(build([slot('2026-11-23', '2026-11-23T01:00:00Z')], '2026-11-23T00:45:00Z')).toBe(Infinity);
  });
});

describe('schedule cache', () => {
  it('serves a read from memory within its TTL of real time and re-reads after it', async () => {
    const runtime = await openTestRuntime();
    try {
      let realMs = 1_000;
      const cache = new ScheduleCache(500, () => realMs);
      const doctorId = new ObjectId();
      const insert = (date: string) =>
        runtime.db.collection('schedules').insertOne({ _id: new ObjectId(), doctorId, date, period: 'morning', status: 'open' });
      await insert('2026-11-29');
      const first = await cache.read(runtime.db, doctorId, '2026-11-22', '2026-12-05');
      await insert('2026-11-30');
      realMs = 1_499;
      const cached = await cache.read(runtime.db, doctorId, '2026-11-22', '2026-12-05');
      realMs = 1_500;
      const fresh = await cache.read(runtime.db, doctorId, '2026-11-22', '2026-12-05');
      expect(first.schedules).toHaveLength(1);
      expect(cached.schedules).toHaveLength(1);
      expect(fresh.schedules).toHaveLength(2);
    } finally {
      await runtime.dispose();
    }
  });

  it('shares one built grid within the TTL, but rebuilds it at the minute a day is released', async () => {
    const runtime = await openTestRuntime();
    try {
      const cache = new ScheduleCache(60_000);
      const doctorId = new ObjectId();
      await runtime.db.collection('schedules').insertOne({ _id: new ObjectId(), doctorId, date: '2026-11-29', period: 'morning', status: 'open' });
      let builds = 0;
      const releasedAt = Date.parse('2026-11-21T23:00:00Z'); // 11-22 07:00 Beijing opens 11-29
      const gridAt = (nowMs: number) =>
        cache.view(runtime.db, doctorId, { from: '2026-11-22', to: '2026-11-29' }, 'rules', nowMs, () => {
          builds += 1;
          return { value: nowMs >= releasedAt ? 'released' : 'not yet', validUntil: nowMs >= releasedAt ? Infinity : releasedAt };
        });
      expect(await gridAt(releasedAt - 2_000)).toBe('not yet');
      expect(await gridAt(releasedAt - 1_000)).toBe('not yet');
      expect(builds).toBe(1);
      expect(await gridAt(releasedAt)).toBe('released');
      expect(builds).toBe(2);
      // The business clock moved back before the release (the local /dev/clock): the released grid is not shown.
      expect(await gridAt(releasedAt - 2 * 60_000)).toBe('not yet');
      expect(builds).toBe(3);
      cache.invalidateDoctor(doctorId);
      await gridAt(releasedAt + 1_000);
      expect(builds).toBe(4);
    } finally {
      await runtime.dispose();
    }
  });
});
