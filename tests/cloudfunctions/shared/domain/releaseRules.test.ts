import { DEFAULT_RELEASE_RULES, type ReleaseRules } from '../../../../cloudfunctions/shared/catalog/model';
import { explainReleaseRules } from '../../../../cloudfunctions/shared/domain/explainRules';
import {
  addDays,
  bookableDates,
  calendarDates,
  formatOpensAt,
  isCalendarDate,
  mergeRules,
  releaseInstant,
  slotBookability,
  zonedInstant,
} from '../../../../cloudfunctions/shared/domain/releaseRules';

const ZONE = 'Asia/Shanghai';
/** A Beijing wall-clock time as an instant: '2026-11-22 06:59' -> 2026-11-21T22:59:00Z. */
const bj = (wall: string) => zonedInstant(wall.slice(0, 10), wall.slice(11), ZONE);
const rules = (overrides: Partial<ReleaseRules> = {}): ReleaseRules => ({ ...DEFAULT_RELEASE_RULES, ...overrides });

describe('calendarDates', () => {
  it.each([
    ['2026-11-30', '2026-12-02', ['2026-11-30', '2026-12-01', '2026-12-02']],
    ['2026-12-31', '2027-01-01', ['2026-12-31', '2027-01-01']],
    ['2028-02-28', '2028-03-01', ['2028-02-28', '2028-02-29', '2028-03-01']],
    ['2026-12-01', '2026-12-01', ['2026-12-01']],
    ['2026-12-02', '2026-12-01', []],
  ])('%s to %s', (from, to, dates) => {
    expect(calendarDates(from, to)).toEqual(dates);
  });
});

describe('addDays', () => {
  it.each([
    ['2026-11-30', 1, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2027-01-01', -1, '2026-12-31'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2027-02-28', 1, '2027-03-01'],
    ['2026-03-29', -29, '2026-02-28'],
    ['2026-12-01', 0, '2026-12-01'],
  ])('%s %+d days is %s, the first time and when asked again', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
    expect(addDays(date, days)).toBe(expected);
  });

  it('refuses a date that does not exist every time it is asked', () => {
    for (let i = 0; i < 2; i++) expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
  });
});

describe('slotBookability', () => {
  it.each<[string, string, string, Partial<ReleaseRules>, string]>([
    // [now (Beijing), slot date, slot start (Beijing), rules, expected]
    ['2026-11-22 06:59', '2026-11-29', '2026-11-29 09:00', {}, 'not_released'],
    ['2026-11-22 07:00', '2026-11-29', '2026-11-29 09:00', {}, 'bookable'],
    ['2026-11-22 07:01', '2026-11-29', '2026-11-29 09:00', {}, 'bookable'],
    ['2026-11-22 07:00', '2026-11-30', '2026-11-30 09:00', {}, 'not_released'],
    ['2026-11-22 08:29', '2026-11-22', '2026-11-22 09:00', {}, 'bookable'],
    ['2026-11-22 08:30', '2026-11-22', '2026-11-22 09:00', {}, 'closed'],
    ['2026-11-22 09:00', '2026-11-22', '2026-11-22 09:00', {}, 'past'],
    ['2026-11-22 08:59', '2026-11-22', '2026-11-22 09:00', { closeMinutesBefore: 0 }, 'bookable'],
    ['2026-11-22 11:59', '2026-11-22', '2026-11-22 14:00', { sameDayCutoff: '12:00' }, 'bookable'],
    ['2026-11-22 12:00', '2026-11-22', '2026-11-22 14:00', { sameDayCutoff: '12:00' }, 'same_day_closed'],
    ['2026-11-22 12:00', '2026-11-23', '2026-11-23 09:00', { sameDayCutoff: '12:00' }, 'bookable'],
    // Cutoff and slot close on the same minute: the slot's own close wins the tie.
    ['2026-11-22 12:00', '2026-11-22', '2026-11-22 12:30', { sameDayCutoff: '12:00' }, 'closed'],
    ['2026-11-22 07:00', '2026-11-25', '2026-11-25 09:00', { daysAhead: 3, releaseTime: '08:00' }, 'not_released'],
    ['2026-11-22 08:00', '2026-11-25', '2026-11-25 09:00', { daysAhead: 3, releaseTime: '08:00' }, 'bookable'],
    // A window crossing midnight in UTC: 07:45-08:15 Beijing is 23:45Z-00:15Z, the UTC date is the day before.
    ['2026-11-22 06:59', '2026-11-29', '2026-11-29 07:45', {}, 'not_released'],
    ['2026-11-22 07:00', '2026-11-29', '2026-11-29 07:45', {}, 'bookable'],
    ['2026-11-29 07:14', '2026-11-29', '2026-11-29 07:45', {}, 'bookable'],
    ['2026-11-29 07:15', '2026-11-29', '2026-11-29 07:45', {}, 'closed'],
    // A night-session slot after local midnight belongs to the evening it started on.
    ['2026-11-22 07:00', '2026-11-29', '2026-11-30 00:15', {}, 'bookable'],
    ['2026-11-22 23:59', '2026-11-22', '2026-11-23 00:30', { sameDayCutoff: '23:00' }, 'same_day_closed'],
  ])('at %s a slot of %s starting %s with %j is %s', (now, slotDate, start, overrides, expected) => {
    const result = slotBookability({ slotStart: bj(start), slotDate, rules: rules(overrides), timeZone: ZONE, now: bj(now) });
    expect(result.bookable ? 'bookable' : result.reason).toBe(expected);
  });

  it('tells when a slot not yet released opens, in hospital time', () => {
    const result = slotBookability({ slotStart: bj('2026-11-29 07:45'), slotDate: '2026-11-29', rules: rules(), timeZone: ZONE, now: bj('2026-11-22 06:59') });
    expect(result).toMatchObject({ bookable: false, reason: 'not_released' });
    if (result.bookable || result.reason !== 'not_released') throw new Error('unreachable');
    expect(result.opensAt.toISOString()).toBe('2026-11-21T23:00:00.000Z');
    expect(formatOpensAt(result.opensAt, ZONE)).toBe('11月22日 07:00 放号');
  });

  it('says when booking closes for a bookable slot', () => {
    const result = slotBookability({ slotStart: bj('2026-11-22 14:00'), slotDate: '2026-11-22', rules: rules({ sameDayCutoff: '12:00' }), timeZone: ZONE, now: bj('2026-11-22 09:00') });
    expect(result).toEqual({ bookable: true, closesAt: bj('2026-11-22 12:00') });
  });
});

describe('release window', () => {
  it.each([
    ['2026-11-22 06:59', '2026-11-22', '2026-11-28'],
    ['2026-11-22 07:00', '2026-11-22', '2026-11-29'],
    // 00:30 Beijing is still 16:30Z the day before: the hospital's date must win.
    ['2026-11-23 00:30', '2026-11-23', '2026-11-29'],
    ['2026-12-31 07:00', '2026-12-31', '2027-01-07'],
  ])('at %s patients can book from %s to %s', (now, first, last) => {
    expect(bookableDates(bj(now), rules(), ZONE)).toEqual({ first, last });
  });

  it('releases a date daysAhead days earlier at the release time', () => {
    expect(releaseInstant('2026-03-01', rules(), ZONE).toISOString()).toBe('2026-02-21T23:00:00.000Z');
  });

  it('lets a department override field by field, keeping a null cutoff as a real value', () => {
    const hospital = rules({ sameDayCutoff: '16:00' });
    expect(mergeRules(hospital, { daysAhead: 14, sameDayCutoff: null })).toEqual({ ...hospital, daysAhead: 14, sameDayCutoff: null });
    expect(mergeRules(hospital, {})).toEqual(hospital);
    expect(mergeRules(hospital)).toEqual(hospital);
  });

  it.each([
    ['2026-11-29', true],
    ['2026-02-29', false],
    ['2028-02-29', true],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['', false],
  ])('%s is a calendar date: %s', (date, expected) => {
    expect(isCalendarDate(date)).toBe(expected);
  });

  it('refuses malformed times instead of computing an Invalid Date', () => {
    expect(() => zonedInstant('2026-11-22', '7:00', ZONE)).toThrow(RangeError);
    expect(() => zonedInstant('2026-11-31', '07:00', ZONE)).toThrow(RangeError);
  });
});

describe('explainReleaseRules', () => {
  it.each([
    ['2026-11-22 06:59', '今天是 11月22日，现在最远可以约到 11月28日；11月29日的号将在今天 07:00 放出。'],
    ['2026-11-22 07:00', '今天是 11月22日，现在最远可以约到 11月29日；11月30日的号将在明天 07:00 放出。'],
    // 23:30 Beijing is 15:30Z: still "today" is 11-22 in the hospital.
    ['2026-11-22 23:30', '今天是 11月22日，现在最远可以约到 11月29日；11月30日的号将在明天 07:00 放出。'],
    ['2026-11-23 00:00', '今天是 11月23日，现在最远可以约到 11月29日；11月30日的号将在今天 07:00 放出。'],
  ])('at %s gives the worked example "%s"', (now, example) => {
    expect(explainReleaseRules(rules(), bj(now), ZONE).example).toBe(example);
  });

  it('states the rules in one sentence and the closing rules after it', () => {
    const explanation = explainReleaseRules(rules({ daysAhead: 14, releaseTime: '08:00', closeMinutesBefore: 60 }), bj('2026-11-22 09:00'), ZONE);
    expect(explanation.summary).toBe('每天 08:00 放出 14 天后的号，例如今天 08:00 起可以预约 12月6日。');
    expect(explanation.details).toEqual(['每个时段开始前 60 分钟停止预约，请留出路上的时间。']);
  });

  it('mentions the same-day cutoff, and says so when it has passed today', () => {
    const cutoff = rules({ sameDayCutoff: '12:00' });
    expect(explainReleaseRules(cutoff, bj('2026-11-22 11:59'), ZONE).details[1]).toBe('当天的号在 12:00 后不再预约。');
    expect(explainReleaseRules(cutoff, bj('2026-11-22 12:00'), ZONE).details[1]).toBe('当天的号在 12:00 后不再预约，今天已过这个时间，可以预约明天及以后的号。');
  });

  it('counts today and tomorrow in hospital time when the release time is late at night', () => {
    // Released at 23:30, 1 day ahead: at 23:45 on 11-22 the 23rd is open, the 24th opens 11-23 23:30.
    expect(explainReleaseRules(rules({ daysAhead: 1, releaseTime: '23:30' }), bj('2026-11-22 23:45'), ZONE).example).toBe(
      '今天是 11月22日，现在最远可以约到 11月23日；11月24日的号将在明天 23:30 放出。',
    );
  });
});
