import {
  checkEligibility,
  DEFAULT_ELIGIBILITY_RULES,
  ELIGIBILITY_CODES,
  eligibilityOverridesSchema,
  eligibilityRulesSchema,
  mergeEligibility,
  restrictedThrough,
  suggestEligibilityOverrides,
  type EligibilityInput,
  type EligibilityOverrides,
} from '../../../../cloudfunctions/shared/domain/eligibility';
import { ERRORS } from '../../../../cloudfunctions/shared/errors';

const VISIT = '2024-11-29';
const TODAY = '2024-11-22';

const NO_BOOKINGS = { onDate: 0, inDepartmentOnDate: 0, withDoctorOnDate: 0, active: 0, noShowDates: [] };

interface Case {
  overrides?: EligibilityOverrides[];
  departmentName?: string;
  patient?: EligibilityInput['patient'];
  relation?: EligibilityInput['relation'];
  visitDate?: string;
  today?: string;
  bookings?: Partial<EligibilityInput['bookings']>;
}

function check(c: Case = {}) {
  return checkEligibility({
    rules: mergeEligibility(DEFAULT_ELIGIBILITY_RULES, ...(c.overrides ?? [])),
    departmentName: c.departmentName ?? '心血管内科',
    patient: c.patient ?? { sex: 'male', birthDate: '1980-05-01' },
    relation: c.relation ?? 'owner',
    visitDate: c.visitDate ?? VISIT,
    today: c.today ?? TODAY,
    bookings: { ...NO_BOOKINGS, ...c.bookings },
  });
}

const WOMEN_ONLY: EligibilityOverrides = { sex: 'female' };
const MEN_ONLY: EligibilityOverrides = { sex: 'male' };
const CHILDREN: EligibilityOverrides = { age: { maxAge: 14 } };
const ADULTS: EligibilityOverrides = { age: { minAge: 18 } };

describe('checkEligibility: one table, every rule and its boundary', () => {
  it.each<[string, Case, string | null]>([
    // [why, case, expected code or null for ok]
    ['an adult owner with nothing booked', {}, null],

    // caller relation and proxy policy
    ['a manager (family proxy) may book by default', { relation: 'manager' }, null],
    ['a caller with no link to the card', { relation: 'none' }, 'NOT_MANAGER'],
    ['a manager when the hospital forbids proxies', { relation: 'manager', overrides: [{ allowProxy: false }] }, 'PROXY_NOT_ALLOWED'],
    ['the owner when the hospital forbids proxies', { relation: 'owner', overrides: [{ allowProxy: false }] }, null],

    // sex
    ['a woman in a women-only department', { overrides: [WOMEN_ONLY], patient: { sex: 'female', birthDate: '1990-01-01' } }, null],
    ['a man in a women-only department', { overrides: [WOMEN_ONLY] }, 'SEX_RESTRICTED'],
    ['unknown sex in a women-only department', { overrides: [WOMEN_ONLY], patient: { sex: null, birthDate: '1990-01-01' } }, 'SEX_UNKNOWN'],
    ['sex missing from the record in a women-only department', { overrides: [WOMEN_ONLY], patient: { birthDate: '1990-01-01' } }, 'SEX_UNKNOWN'],
    ['a man in a men-only department', { overrides: [MEN_ONLY] }, null],
    ['a woman in a men-only department', { overrides: [MEN_ONLY], patient: { sex: 'female', birthDate: '1990-01-01' } }, 'SEX_RESTRICTED'],
    ['unknown sex where sex is not restricted', { patient: { sex: null, birthDate: null } }, null],

    // age at the visit date (paediatrics: 14 and under)
    ['a child of 5', { overrides: [CHILDREN], patient: { sex: 'female', birthDate: '2019-06-01' } }, null],
    ['turns 14 on the visit date', { overrides: [CHILDREN], patient: { sex: 'male', birthDate: '2010-11-29' } }, null],
    ['still 14, turns 15 the day after the visit', { overrides: [CHILDREN], patient: { sex: 'male', birthDate: '2009-11-30' } }, null],
    ['turns 15 on the visit date', { overrides: [CHILDREN], patient: { sex: 'male', birthDate: '2009-11-29' } }, 'AGE_RESTRICTED'],
    ['turned 15 the day before the visit', { overrides: [CHILDREN], patient: { sex: 'male', birthDate: '2009-11-28' } }, 'AGE_RESTRICTED'],
    ['14 when booking but 15 by the visit', { overrides: [CHILDREN], patient: { sex: 'male', birthDate: '2009-11-25' } }, 'AGE_RESTRICTED'],
    ['an adult in paediatrics', { overrides: [CHILDREN] }, 'AGE_RESTRICTED'],
    ['a newborn seen on its birth day', { overrides: [CHILDREN], today: VISIT, patient: { sex: 'female', birthDate: VISIT } }, null],
    ['unknown birth date in paediatrics', { overrides: [CHILDREN], patient: { sex: 'female', birthDate: null } }, 'AGE_UNKNOWN'],
    ['unknown birth date where age is not restricted', { patient: { sex: 'female', birthDate: null } }, null],
    // 29 February: in a common year the birthday comes round on 1 March
    ['leap-day child, 28 Feb of the 15th year: still 14', { overrides: [CHILDREN], visitDate: '2023-02-28', today: '2023-02-21', patient: { sex: 'male', birthDate: '2008-02-29' } }, null],
    ['leap-day child, 1 Mar of the 15th year: 15', { overrides: [CHILDREN], visitDate: '2023-03-01', today: '2023-02-22', patient: { sex: 'male', birthDate: '2008-02-29' } }, 'AGE_RESTRICTED'],
    // 29 February in a leap year: the birthday itself
    ['leap-day child on 28 Feb of a leap year: still 11', { overrides: [{ age: { maxAge: 11 } }], visitDate: '2024-02-28', today: '2024-02-21', patient: { sex: 'male', birthDate: '2012-02-29' } }, null],
    ['leap-day child on 29 Feb of a leap year: 12', { overrides: [{ age: { maxAge: 11 } }], visitDate: '2024-02-29', today: '2024-02-22', patient: { sex: 'male', birthDate: '2012-02-29' } }, 'AGE_RESTRICTED'],
    // a minimum age
    ['turns 18 on the visit date, adults only', { overrides: [ADULTS], patient: { sex: 'male', birthDate: '2006-11-29' } }, null],
    ['turns 18 the day after the visit, adults only', { overrides: [ADULTS], patient: { sex: 'male', birthDate: '2006-11-30' } }, 'AGE_RESTRICTED'],

    // restricted patients: 3 no-shows within 90 days -> restricted through 90 days after the third
    ['two no-shows only', { bookings: { noShowDates: ['2024-10-01', '2024-11-01'] } }, null],
    ['third no-show today', { bookings: { noShowDates: ['2024-10-01', '2024-11-01', TODAY] } }, 'PATIENT_RESTRICTED'],
    ['third no-show exactly 90 days ago: last restricted day', { bookings: { noShowDates: ['2024-08-20', '2024-08-22', '2024-08-24'] } }, 'PATIENT_RESTRICTED'],
    ['third no-show 91 days ago: booking reopened', { bookings: { noShowDates: ['2024-08-19', '2024-08-21', '2024-08-23'] } }, null],
    ['three no-shows spanning 89 days (within 90)', { bookings: { noShowDates: ['2024-08-25', '2024-10-01', '2024-11-22'] } }, 'PATIENT_RESTRICTED'],
    ['three no-shows spanning 90 days (not within 90)', { bookings: { noShowDates: ['2024-08-24', '2024-10-01', '2024-11-22'] } }, null],
    ['two no-shows on one day (morning and afternoon) count twice', { bookings: { noShowDates: ['2024-11-01', '2024-11-01', '2024-11-20'] } }, 'PATIENT_RESTRICTED'],
    ['hospital sets 2 no-shows', { overrides: [{ restriction: { noShows: 2 } }], bookings: { noShowDates: ['2024-11-01', '2024-11-20'] } }, 'PATIENT_RESTRICTED'],

    // one per doctor per day
    ['already booked with this doctor that day', { bookings: { onDate: 1, inDepartmentOnDate: 1, withDoctorOnDate: 1, active: 1 } }, 'SAME_DOCTOR_SAME_DAY'],
    // per department per day (1)
    ['another doctor, same department, same day', { bookings: { onDate: 1, inDepartmentOnDate: 1, active: 1 } }, 'DEPARTMENT_DAILY_QUOTA'],
    ['department allows 2: one booked', { overrides: [{ quotas: { perDepartmentPerDay: 2 } }], bookings: { onDate: 1, inDepartmentOnDate: 1, active: 1 } }, null],
    ['department allows 2: two booked', { overrides: [{ quotas: { perDepartmentPerDay: 2 } }], bookings: { onDate: 2, inDepartmentOnDate: 2, active: 2 } }, 'DEPARTMENT_DAILY_QUOTA'],
    // per day (3)
    ['2 that day elsewhere (limit - 1)', { bookings: { onDate: 2, active: 2 } }, null],
    ['3 that day elsewhere (at the limit)', { bookings: { onDate: 3, active: 3 } }, 'DAILY_QUOTA'],
    // active bookings (5)
    ['4 active (limit - 1)', { bookings: { active: 4 } }, null],
    ['5 active (at the limit)', { bookings: { active: 5 } }, 'ACTIVE_QUOTA'],

    // order: the most telling reason wins
    ['no link beats everything else', { relation: 'none', overrides: [WOMEN_ONLY], bookings: { active: 9 } }, 'NOT_MANAGER'],
    ['restriction beats the department fit', { overrides: [WOMEN_ONLY], bookings: { noShowDates: ['2024-11-01', '2024-11-10', '2024-11-20'] } }, 'PATIENT_RESTRICTED'],
    ['sex beats age', { overrides: [WOMEN_ONLY, CHILDREN] }, 'SEX_RESTRICTED'],
    ['department fit beats quotas', { overrides: [CHILDREN], bookings: { active: 5 } }, 'AGE_RESTRICTED'],

    // overrides: department beats hospital, clinic beats its parent
    ['department lifts the hospital quota', { overrides: [{ quotas: { perDay: 3 } }, { quotas: { perDay: 4 } }], bookings: { onDate: 3, active: 3 } }, null],
    ['clinic lifts the parent sex restriction with null', { overrides: [WOMEN_ONLY, { sex: null }] }, null],
    ['clinic lifts the parent age limit with null', { overrides: [CHILDREN, { age: { maxAge: null } }] }, null],
    ['undefined in an override inherits', { overrides: [WOMEN_ONLY, { sex: undefined }] }, 'SEX_RESTRICTED'],
  ])('%s', (_why, c, code) => {
    const result = check(c);
    if (code === null) expect(result).toEqual({ ok: true });
    else expect(result).toMatchObject({ ok: false, code });
  });
});

describe('checkEligibility: the sentences say what to do instead', () => {
  it('paediatrics refuses an adult and points to adult departments', () => {
    const result = check({ overrides: [CHILDREN], departmentName: '儿科', patient: { sex: 'male', birthDate: '2009-11-28' } });
    expect(result).toEqual({
      ok: false,
      code: 'AGE_RESTRICTED',
      message: '该科室仅接诊 14 岁及以下患者，就诊人在就诊当天已满 15 周岁，成人请选择内科或其他成人科室。',
    });
  });

  it('gynaecology refuses a man by name', () => {
    const result = check({ overrides: [WOMEN_ONLY], departmentName: '妇产科' });
    expect(result).toEqual({ ok: false, code: 'SEX_RESTRICTED', message: '妇产科仅接诊女性患者，男性就诊人请选择泌尿外科等其他科室。' });
  });

  it('unknown sex asks to check the card', () => {
    const result = check({ overrides: [WOMEN_ONLY], departmentName: '妇产科', patient: { sex: null, birthDate: null } });
    expect(result).toMatchObject({ code: 'SEX_UNKNOWN', message: expect.stringContaining('核对证件信息') });
  });

  it('a restriction names its last day and the day booking reopens', () => {
    const result = check({ bookings: { noShowDates: ['2024-10-01', '2024-11-01', '2024-11-20'] } });
    expect(result).toEqual({
      ok: false,
      code: 'PATIENT_RESTRICTED',
      message: '这位就诊人在 90 天内有 3 次预约后未就诊，按医院规定网上预约暂停到 2月18日，2月19日起可以重新预约。如需就诊，请到医院窗口挂号。',
    });
  });

  it.each([
    ['DAILY_QUOTA', { onDate: 3, active: 3 }, '11月29日 已预约了 3 个号，每人每天最多 3 个'],
    ['DEPARTMENT_DAILY_QUOTA', { onDate: 1, inDepartmentOnDate: 1, active: 1 }, '11月29日 已在该科室预约了 1 个号'],
    ['SAME_DOCTOR_SAME_DAY', { onDate: 1, inDepartmentOnDate: 1, withDoctorOnDate: 1, active: 1 }, '请先取消原来的预约'],
    ['ACTIVE_QUOTA', { active: 5 }, '每人最多同时保留 5 个'],
  ])('%s uses the live numbers', (code, bookings, fragment) => {
    expect(check({ bookings })).toMatchObject({ code, message: expect.stringContaining(fragment) });
  });

  it('every code is in the shared error table with a fallback sentence', () => {
    for (const code of ELIGIBILITY_CODES) expect(ERRORS[code].message.length).toBeGreaterThan(10);
  });
});

describe('restrictedThrough', () => {
  const policy = DEFAULT_ELIGIBILITY_RULES.restriction;
  it.each([
    ['no no-shows', [], TODAY, undefined],
    ['third on the day: through 90 days later', ['2024-10-01', '2024-11-01', '2024-11-22'], '2024-11-22', '2025-02-20'],
    ['on the last restricted day', ['2024-10-01', '2024-11-01', '2024-11-22'], '2025-02-20', '2025-02-20'],
    ['the day after', ['2024-10-01', '2024-11-01', '2024-11-22'], '2025-02-21', undefined],
    ['a later run extends the restriction', ['2024-10-01', '2024-11-01', '2024-11-22', '2024-12-01'], '2025-02-25', '2025-03-01'],
    ['future-dated no-shows are ignored', ['2024-11-01', '2024-11-10', '2024-12-01'], TODAY, undefined],
    ['unordered input', ['2024-11-20', '2024-10-01', '2024-11-01'], TODAY, '2025-02-18'],
  ] as const)('%s', (_why, dates, today, expected) => {
    expect(restrictedThrough(dates, policy, today)).toBe(expected);
  });
});

describe('mergeEligibility', () => {
  it('leaves the hospital rules untouched', () => {
    const hospital = structuredClone(DEFAULT_ELIGIBILITY_RULES);
    mergeEligibility(hospital, { quotas: { perDay: 1 }, age: { maxAge: 14 } });
    expect(hospital).toEqual(DEFAULT_ELIGIBILITY_RULES);
  });

  it('merges nested groups field by field', () => {
    const merged = mergeEligibility(DEFAULT_ELIGIBILITY_RULES, { quotas: { perDay: 2 } }, { quotas: { activeBookings: 8 } }, undefined, null);
    expect(merged.quotas).toEqual({ perDay: 2, perDepartmentPerDay: 1, perDoctorPerDay: 1, activeBookings: 8 });
  });
});

describe('eligibility configuration schemas', () => {
  it('accept the defaults and every suggested override', () => {
    expect(eligibilityRulesSchema.parse(DEFAULT_ELIGIBILITY_RULES)).toEqual(DEFAULT_ELIGIBILITY_RULES);
    expect(eligibilityOverridesSchema.parse({ sex: null, age: { maxAge: 14 }, quotas: { perDay: 2 } })).toEqual({
      sex: null,
      age: { maxAge: 14 },
      quotas: { perDay: 2 },
    });
  });

  it.each([
    ['a negative quota', { quotas: { perDay: -1 } }],
    ['a fractional age', { age: { maxAge: 14.5 } }],
    ['an unknown sex', { sex: 'other' }],
    ['a misspelt key', { quota: { perDay: 2 } }],
  ])('refuse %s', (_why, overrides) => {
    expect(eligibilityOverridesSchema.safeParse(overrides).success).toBe(false);
  });
});

describe('suggestEligibilityOverrides (seeding only)', () => {
  it.each([
    ['妇产科', undefined, { sex: 'female' }],
    ['妇科', '妇产科', { sex: 'female' }],
    ['产科', '妇产科', { sex: 'female' }],
    ['男科', undefined, { sex: 'male' }],
    ['儿科', undefined, { age: { maxAge: 14 } }],
    ['儿童保健科', '儿科', { age: { maxAge: 14 } }],
    ['小儿外科', '外科', { age: { maxAge: 14 } }],
    ['乳腺外科', '外科', {}],
    ['泌尿外科', '外科', {}],
    ['心血管内科', '内科', {}],
  ] as const)('%s (parent %s)', (name, parent, expected) => {
    expect(suggestEligibilityOverrides(name, parent)).toEqual(expected);
  });
});

describe('checkEligibility: programming errors fail loudly', () => {
  it.each([
    ['a malformed visit date', { visitDate: '2024-11-31' }],
    ['a malformed today', { today: '22/11/2024' }],
  ])('%s', (_why, c) => {
    expect(() => check(c)).toThrow(RangeError);
  });
});
