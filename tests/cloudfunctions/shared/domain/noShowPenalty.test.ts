import { checkNoShowPenalty, DEFAULT_PENALTY_POLICY, PENALTY_POLICIES, penaltyPolicySchema, type PenaltyPolicy } from '../../../../cloudfunctions/shared/domain/noShowPenalty';

const check = (noShowDates: string[], today: string, policy: PenaltyPolicy = DEFAULT_PENALTY_POLICY) => checkNoShowPenalty({ policy, noShowDates, today });

describe('default: escalating per calendar year (1st 30 days, 2nd 60, 3rd and later 90)', () => {
  it.each([
    // [why, no-show dates, today, reopens on (null = not restricted), no-shows this year]
    ['none', [], '2026-06-01', null, 0],
    ['1st: the day of the no-show', ['2026-03-01'], '2026-03-01', '2026-03-31', 1],
    ['1st: its last restricted day', ['2026-03-01'], '2026-03-30', '2026-03-31', 1],
    ['1st: the day it reopens', ['2026-03-01'], '2026-03-31', null, 1],
    ['2nd: 60 days, its last day', ['2026-03-01', '2026-05-01'], '2026-06-29', '2026-06-30', 2],
    ['2nd: the day it reopens', ['2026-03-01', '2026-05-01'], '2026-06-30', null, 2],
    ['3rd: 90 days, its last day', ['2026-03-01', '2026-05-01', '2026-08-01'], '2026-10-29', '2026-10-30', 3],
    ['3rd: the day it reopens', ['2026-03-01', '2026-05-01', '2026-08-01'], '2026-10-30', null, 3],
    ['4th: still 90, into the next year', ['2026-01-05', '2026-03-01', '2026-05-01', '2026-11-01'], '2027-01-29', '2027-01-30', 0],
    ['2nd inside the 1st: the longer one wins', ['2026-03-01', '2026-03-10'], '2026-05-08', '2026-05-09', 2],
    ['year change: a December no-show still restricts in January', ['2026-12-20'], '2027-01-10', '2027-01-19', 0],
    ['year change: the count starts again (1st of 2027 is 30 days, not 60)', ['2026-12-20', '2027-02-01'], '2027-03-02', '2027-03-03', 1],
    ['year change: 31 December then 1 January are each a 1st', ['2026-12-31', '2027-01-01'], '2027-01-30', '2027-01-31', 1],
    ['year change: ... and the 2nd of 2027 the day after that would reopen', ['2026-12-31', '2027-01-01'], '2027-01-31', null, 1],
    ['a future date is not a no-show yet', ['2026-07-01'], '2026-06-01', null, 0],
  ])('%s', (_why, dates, today, reopensOn, count) => {
    const verdict = check(dates, today);
    expect(verdict.noShowsThisYear).toBe(count);
    if (reopensOn === null) expect(verdict.restricted).toBe(false);
    else expect(verdict).toMatchObject({ restricted: true, reopensOn });
  });

  it('a waived no-show (left out by the caller) lifts what depended on it', () => {
    expect(check(['2026-10-01', '2026-10-31'], '2026-11-15')).toMatchObject({ restricted: true, reopensOn: '2026-12-30' });
    // The 2nd waived: only the 1st's 30 days remain, already over.
    expect(check(['2026-10-01'], '2026-11-15')).toMatchObject({ restricted: false });
    // The 1st waived: the 2nd becomes the 1st of the year, 30 days.
    expect(check(['2026-10-31'], '2026-11-15')).toMatchObject({ restricted: true, reopensOn: '2026-11-30' });
  });

  it('says why and until when, as the front desk would', () => {
    expect(check(['2026-10-01', '2026-10-31'], '2026-11-15')).toMatchObject({
      message: '您在今年已有 2 次预约未就诊，12 月 30 日前暂不能在线预约；如有特殊情况，请到门诊服务台说明。',
    });
    expect(check(['2026-12-20'], '2027-01-10')).toMatchObject({ message: '您去年年底有预约未就诊，1 月 19 日前暂不能在线预约；如有特殊情况，请到门诊服务台说明。' });
  });
});

describe('alternative: 3 no-shows in half a year restrict for half a year', () => {
  const policy = PENALTY_POLICIES.three_in_half_year;
  it.each([
    ['two are not enough', ['2026-01-10', '2026-03-01'], '2026-03-02', null],
    // The window rule is the eligibility module's: restricted through 183 days after the 3rd, inclusive.
    ['the 3rd within 183 days', ['2026-01-10', '2026-03-01', '2026-07-01'], '2026-07-01', '2027-01-01'],
    ['its last restricted day', ['2026-01-10', '2026-03-01', '2026-07-01'], '2026-12-31', '2027-01-01'],
    ['the day it reopens', ['2026-01-10', '2026-03-01', '2026-07-01'], '2027-01-01', null],
    ['the 3rd too late: 183 days after the 1st', ['2026-01-10', '2026-03-01', '2026-07-12'], '2026-07-12', null],
  ])('%s', (_why, dates, today, reopensOn) => {
    const verdict = check(dates, today, policy);
    if (reopensOn === null) expect(verdict.restricted).toBe(false);
    else expect(verdict).toMatchObject({ restricted: true, reopensOn, message: expect.stringContaining('183 天内已有 3 次') });
  });

  it('configuration is parsed strictly', () => {
    expect(penaltyPolicySchema.safeParse(PENALTY_POLICIES.three_in_90_days).success).toBe(true);
    expect(penaltyPolicySchema.safeParse({ kind: 'escalating_per_year', daysByCount: [] }).success).toBe(false);
    expect(penaltyPolicySchema.safeParse({ kind: 'window', noShows: 0, withinDays: 90, restrictDays: 90 }).success).toBe(false);
    expect(penaltyPolicySchema.safeParse({ kind: 'forever' }).success).toBe(false);
  });
});
