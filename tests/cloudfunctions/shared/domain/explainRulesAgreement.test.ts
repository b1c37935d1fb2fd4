// The release rule sentence, its worked example and the rule the booking applies (releaseInstant) tell the
// same story: "每天 07:00 放出 7 天后的号，例如今天 07:00 起可以预约 11月29日" must name the day that
// really opens at 07:00 today, and the example must name the furthest day really bookable now.
import { DEFAULT_RELEASE_RULES, type ReleaseRules } from '../../../../cloudfunctions/shared/catalog/model';
import { explainReleaseRules } from '../../../../cloudfunctions/shared/domain/explainRules';
import { addDays, bookableDates, dateIn, formatMonthDay, releaseInstant, zonedInstant } from '../../../../cloudfunctions/shared/domain/releaseRules';

const ZONE = 'Asia/Shanghai';
const bj = (wall: string) => zonedInstant(wall.slice(0, 10), wall.slice(11), ZONE);
/** 11月29日 -> the date in the year of `near` (or the next year across New Year). */
function dateOf(label: string, near: string): string {
  const [, month, day] = /^(\d+)月(\d+)日$/.exec(label)!.map(Number);
  const year = Number(near.slice(0, 4));
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return date < near ? `${year + 1}${date.slice(4)}` : date;
}

const cases: [string, Partial<ReleaseRules>, string][] = [
  ['default rules, before the release', {}, '2026-11-22 06:59'],
  ['default rules, at the release', {}, '2026-11-22 07:00'],
  ['default rules, late evening', {}, '2026-11-22 23:59'],
  ['14 days at 08:00, across a month', { daysAhead: 14, releaseTime: '08:00' }, '2026-11-22 09:00'],
  ['1 day at 23:30, before it', { daysAhead: 1, releaseTime: '23:30' }, '2026-11-22 23:29'],
  ['1 day at 23:30, after it', { daysAhead: 1, releaseTime: '23:30' }, '2026-11-22 23:45'],
  ['30 days at 00:00, across New Year', { daysAhead: 30, releaseTime: '00:00' }, '2026-12-20 00:00'],
  ['90 days at 15:00, before it', { daysAhead: 90, releaseTime: '15:00' }, '2026-11-22 14:00'],
];

describe('the release rule sentence agrees with its example and with the rule', () => {
  it.each(cases)('%s', (_name, overrides, wall) => {
    const rules = { ...DEFAULT_RELEASE_RULES, ...overrides };
    const now = bj(wall);
    const today = dateIn(now, ZONE);
    const { summary, example } = explainReleaseRules(rules, now, ZONE);

    const said = /^每天 (\d\d:\d\d) 放出 (\d+) 天后的号，例如今天 (\d\d:\d\d) 起可以预约 (\d+月\d+日)。$/.exec(summary);
    expect(said).not.toBeNull();
    const [, time, days, exampleTime, opensLabel] = said!;
    expect([time, exampleTime, Number(days)]).toEqual([rules.releaseTime, rules.releaseTime, rules.daysAhead]);
    // The day named opens at exactly that time today, by the rule the booking applies.
    const opensToday = dateOf(opensLabel, today);
    expect(addDays(today, Number(days))).toBe(opensToday);
    expect(releaseInstant(opensToday, rules, ZONE)).toEqual(zonedInstant(today, time, ZONE));

    const shown = /^今天是 (\d+月\d+日)，现在最远可以约到 (\d+月\d+日)；(\d+月\d+日)的号将在(今天|明天) (\d\d:\d\d) 放出。$/.exec(example);
    expect(shown).not.toBeNull();
    const [, todayLabel, lastLabel, nextLabel, when, nextTime] = shown!;
    expect(todayLabel).toBe(formatMonthDay(today, ZONE));
    const last = dateOf(lastLabel, today);
    expect(last).toBe(bookableDates(now, rules, ZONE).last);
    // The furthest day is the one the summary names once today's release has passed, the day before until then.
    expect(last).toBe(now >= releaseInstant(opensToday, rules, ZONE) ? opensToday : addDays(opensToday, -1));
    const next = dateOf(nextLabel, today);
    expect(next).toBe(addDays(last, 1));
    expect(releaseInstant(next, rules, ZONE)).toEqual(zonedInstant(when === '今天' ? today : addDays(today, 1), nextTime, ZONE));
  });
});
