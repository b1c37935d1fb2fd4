import { checkPersonQuotas, NO_PERSON_QUOTAS, PERSON_QUOTAS_114, personQuotasSchema } from '../../../../cloudfunctions/shared/domain/personQuotas';

const check = (existing: string[], visitDate: string, quotas = PERSON_QUOTAS_114) => checkPersonQuotas({ quotas, existingVisitDates: existing, visitDate });

describe('per-person quotas, the 114 numbers: 2 per visit day, 3 per 7 days, 5 per 3 months', () => {
  it.each([
    ['nothing booked', [], '2026-12-10', null],
    ['1 that day: the 2nd is fine', ['2026-12-10'], '2026-12-10', null],
    ['2 that day: the 3rd is refused', ['2026-12-10', '2026-12-10'], '2026-12-10', '同一就诊日最多预约 2 次'],
    ['2 within the week: the 3rd is fine', ['2026-12-04', '2026-12-07'], '2026-12-10', null],
    ['3 within 7 days before: refused', ['2026-12-04', '2026-12-06', '2026-12-08'], '2026-12-10', '连续 7 天内最多预约 3 次'],
    ['3 within 7 days after: refused', ['2026-12-11', '2026-12-12', '2026-12-16'], '2026-12-10', '连续 7 天内最多预约 3 次'],
    ['the 7-day edge: 3 eight days apart are fine', ['2026-12-02', '2026-12-03', '2026-12-03'], '2026-12-10', null],
    ['the 7-day edge: 6 days back is inside', ['2026-12-04', '2026-12-05', '2026-12-05'], '2026-12-10', '连续 7 天内最多预约 3 次'],
    ['5 within 90 days: refused', ['2026-10-01', '2026-10-20', '2026-11-10', '2026-11-25', '2026-12-01'], '2026-12-20', '3 个月（90 天）内最多预约 5 次'],
    ['the 90-day edge: the 1st 90 days back is outside', ['2026-09-21', '2026-10-20', '2026-11-10', '2026-11-25', '2026-12-01'], '2026-12-20', null],
    ['the 90-day edge: 89 days back is inside', ['2026-09-22', '2026-10-20', '2026-11-10', '2026-11-25', '2026-12-01'], '2026-12-20', '3 个月（90 天）内最多预约 5 次'],
  ])('%s', (_why, existing, visitDate, refusal) => {
    const verdict = check(existing, visitDate);
    if (refusal === null) expect(verdict).toEqual({ ok: true });
    else expect(verdict).toMatchObject({ ok: false, code: 'PERSON_QUOTA', message: expect.stringContaining(refusal) });
  });

  it('is off unless configured', () => {
    expect(check(['2026-12-10', '2026-12-10', '2026-12-10', '2026-12-11'], '2026-12-10', NO_PERSON_QUOTAS)).toEqual({ ok: true });
    expect(check(['2026-12-10', '2026-12-10'], '2026-12-10', { ...NO_PERSON_QUOTAS, per7Days: 3 })).toEqual({ ok: true });
  });

  it('parses configuration strictly', () => {
    expect(personQuotasSchema.safeParse(PERSON_QUOTAS_114).success).toBe(true);
    expect(personQuotasSchema.safeParse({ ...PERSON_QUOTAS_114, per7Days: 0 }).success).toBe(false);
    expect(personQuotasSchema.safeParse({ perVisitDay: 2 }).success).toBe(false);
  });
});
