// The department's sex and age limits, said before anyone taps, from the rules the hold enforces.
import { checkEligibility, DEFAULT_ELIGIBILITY_RULES, describeWhoMayBook, mergeEligibility, type EligibilityOverrides } from '../../../../cloudfunctions/shared/domain/eligibility';

const rulesWith = (overrides: EligibilityOverrides) => mergeEligibility(DEFAULT_ELIGIBILITY_RULES, overrides);

describe('describeWhoMayBook', () => {
  it.each<[string, EligibilityOverrides, string | null]>([
    ['anyone', {}, null],
    ['women only', { sex: 'female' }, '妇科仅接诊女性患者。不符合的就诊人在确认预约时不能选择，请为他们选择其他科室。'],
    ['men only', { sex: 'male' }, '妇科仅接诊男性患者。不符合的就诊人在确认预约时不能选择，请为他们选择其他科室。'],
    ['14 and under', { age: { maxAge: 14 } }, '妇科仅接诊 14 岁及以下的患者。年龄按就诊当天的周岁算，不符合的就诊人在确认预约时不能选择，请为他们选择其他科室。'],
    ['60 and over', { age: { minAge: 60 } }, '妇科仅接诊 60 岁及以上的患者。年龄按就诊当天的周岁算，不符合的就诊人在确认预约时不能选择，请为他们选择其他科室。'],
    ['girls 12 to 18', { sex: 'female', age: { minAge: 12, maxAge: 18 } }, '妇科仅接诊 12 至 18 岁的女性患者。年龄按就诊当天的周岁算，不符合的就诊人在确认预约时不能选择，请为他们选择其他科室。'],
  ])('%s', (_name, overrides, expected) => {
    expect(describeWhoMayBook(rulesWith(overrides), '妇科')).toBe(expected);
  });

  it('says a limit exactly when the hold would refuse someone for sex or age', () => {
    const boy = { sex: 'male' as const, birthDate: '2020-01-01' };
    const bookings = { onDate: 0, inDepartmentOnDate: 0, withDoctorOnDate: 0, active: 0, noShowDates: [] };
    for (const overrides of [{}, { sex: 'female' as const }, { age: { maxAge: 14 } }, { age: { minAge: 18 } }]) {
      const rules = rulesWith(overrides);
      const verdict = checkEligibility({ rules, departmentName: '妇科', patient: boy, relation: 'owner', visitDate: '2026-11-29', today: '2026-11-22', bookings });
      if (!verdict.ok) expect(describeWhoMayBook(rules, '妇科')).not.toBeNull();
      if (describeWhoMayBook(rules, '妇科') === null) expect(verdict.ok).toBe(true);
    }
  });
});
