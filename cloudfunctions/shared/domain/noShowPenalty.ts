// No-show penalties (A3, B1) as a pure rule: which no-shows restrict a person's online booking, and until
// when. Escalating: a no-show on day d with a penalty of N days restricts days d .. d+N-1, booking reopens on
// d+N. Window: the eligibility module's rule (restrictedThrough), reused as it is. Waived no-shows are left out by the caller. Configurable per hospital; the default follows a
// Beijing hospital's published rule (escalating per calendar year), the alternative the 114 platform's.
import { z } from 'zod';
import { parseIsoDate } from './idDocument';
import { addDays } from './releaseRules';
import { restrictedThrough } from './eligibility';

export type PenaltyPolicy =
  /** The k-th no-show of a calendar year restricts for daysByCount[k-1] days (the last entry for every later one). */
  | { kind: 'escalating_per_year'; daysByCount: number[] }
  /** `noShows` no-shows within `withinDays` days restrict from the last of them through `restrictDays` days after it. */
  | { kind: 'window'; noShows: number; withinDays: number; restrictDays: number };

export const DEFAULT_PENALTY_POLICY: PenaltyPolicy = { kind: 'escalating_per_year', daysByCount: [30, 60, 90] };

/** Selectable alternatives, by name, for the hospital's configuration. */
export const PENALTY_POLICIES = {
  escalating_per_year: DEFAULT_PENALTY_POLICY,
  three_in_half_year: { kind: 'window', noShows: 3, withinDays: 183, restrictDays: 183 },
  three_in_90_days: { kind: 'window', noShows: 3, withinDays: 90, restrictDays: 90 },
} as const satisfies Record<string, PenaltyPolicy>;

const days = z.number().int().min(1).max(3650);
export const penaltyPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('escalating_per_year'), daysByCount: z.array(days).min(1).max(10) }).strict(),
  z.object({ kind: z.literal('window'), noShows: z.number().int().min(1).max(20), withinDays: days, restrictDays: days }).strict(),
]);

export type PenaltyVerdict =
  | { restricted: false; noShowsThisYear: number }
  | {
      restricted: true;
      noShowsThisYear: number;
      /** The first day online booking is open again, 'YYYY-MM-DD'. */
      reopensOn: string;
      /** "您在今年已有 2 次预约未就诊，12 月 30 日前暂不能在线预约；如有特殊情况，请到门诊服务台说明。" */
      message: string;
    };

const yearOf = (date: string) => date.slice(0, 4);

function spacedMonthDay(date: string): string {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`Expected a real date as YYYY-MM-DD, got "${date}"`);
  return `${parsed.month} 月 ${parsed.day} 日`;
}

/** The last restricted day under an escalating policy, or undefined when `today` is not restricted. */
function escalatingThrough(noShowDates: string[], daysByCount: number[], today: string): string | undefined {
  const seen = new Map<string, number>();
  let through: string | undefined;
  for (const date of [...noShowDates].sort()) {
    if (date > today) continue;
    const count = (seen.get(yearOf(date)) ?? 0) + 1;
    seen.set(yearOf(date), count);
    const last = addDays(date, daysByCount[Math.min(count, daysByCount.length) - 1] - 1);
    if (!through || last > through) through = last;
  }
  return through && through >= today ? through : undefined;
}

export function checkNoShowPenalty(input: { policy: PenaltyPolicy; noShowDates: readonly string[]; today: string }): PenaltyVerdict {
  const { policy, today } = input;
  const dates = input.noShowDates.filter((date) => date <= today);
  const noShowsThisYear = dates.filter((date) => yearOf(date) === yearOf(today)).length;
  const through = policy.kind === 'escalating_per_year' ? escalatingThrough(dates, policy.daysByCount, today) : restrictedThrough(dates, policy, today);
  if (!through) return { restricted: false, noShowsThisYear };
  const reopensOn = addDays(through, 1);
  const count =
    policy.kind === 'escalating_per_year' && noShowsThisYear > 0
      ? `您在今年已有 ${noShowsThisYear} 次预约未就诊`
      : policy.kind === 'window'
        ? `您在 ${policy.withinDays} 天内已有 ${policy.noShows} 次预约未就诊`
        : '您去年年底有预约未就诊';
  return { restricted: true, noShowsThisYear, reopensOn, message: `${count}，${spacedMonthDay(reopensOn)}前暂不能在线预约；如有特殊情况，请到门诊服务台说明。` };
}
