// Pure (C2): the release rules told in plain Chinese, with a worked example for today.
import type { ReleaseRules } from '../catalog/model';
import { addDays, bookableDates, dateIn, formatClock, formatMonthDay, releaseInstant, zonedInstant } from './releaseRules';

export interface RulesExplanation {
  /** One sentence: when places open and how far ahead. */
  summary: string;
  /** The rules applied to `now`: which day opens next, and when. */
  example: string;
  /** The closing rules, one sentence each. */
  details: string[];
}

export function explainReleaseRules(rules: ReleaseRules, now: Date, timeZone: string): RulesExplanation {
  const today = dateIn(now, timeZone);
  const { last } = bookableDates(now, rules, timeZone);
  const nextDay = addDays(last, 1);
  const nextRelease = releaseInstant(nextDay, rules, timeZone);
  // The next day to open is released today (before the release time) or tomorrow (after it).
  const when = dateIn(nextRelease, timeZone) === today ? '今天' : '明天';

  // "N 天后" and a date, never "第 N 天" or "N 天内": those read as one day fewer than releaseInstant() opens.
  const summary = `每天 ${rules.releaseTime} 放出 ${rules.daysAhead} 天后的号，例如今天 ${rules.releaseTime} 起可以预约 ${formatMonthDay(addDays(today, rules.daysAhead), timeZone)}。`;
  const example = `今天是 ${formatMonthDay(today, timeZone)}，现在最远可以约到 ${formatMonthDay(last, timeZone)}；${formatMonthDay(nextDay, timeZone)}的号将在${when} ${formatClock(nextRelease, timeZone)} 放出。`;

  const details = [`每个时段开始前 ${rules.closeMinutesBefore} 分钟停止预约，请留出路上的时间。`];
  if (rules.sameDayCutoff !== null) {
    const cutoff = zonedInstant(today, rules.sameDayCutoff, timeZone);
    const passed = now.getTime() >= cutoff.getTime();
    details.push(`当天的号在 ${rules.sameDayCutoff} 后不再预约${passed ? '，今天已过这个时间，可以预约明天及以后的号' : ''}。`);
  }
  return { summary, example, details };
}
