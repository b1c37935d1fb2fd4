import {
  ageOn,
  validateGuardianChild,
  validateIdDocument,
  type IdDocumentType,
} from '../../../../cloudfunctions/shared/domain/idDocument';

const TODAY = '2024-06-15';

// Independent of the module's weight table: ISO 7064 MOD 11-2 weights are 2^(17-i) mod 11.
function withCheck(first17: string): string {
  const sum = [...first17].reduce((acc, digit, i) => acc + Number(digit) * (2 ** (17 - i) % 11), 0);
  return first17 + '10X98765432'[sum % 11];
}
// The same number with a check char that is certainly wrong.
function withWrongCheck(first17: string): string {
  const right = withCheck(first17).slice(-1);
  return first17 + (right === '0' ? '1' : '0');
}

const check = (idType: IdDocumentType, idNumber: string, today = TODAY) => validateIdDocument({ idType, idNumber, today });

describe('validateIdDocument: accepted numbers and what they reveal', () => {
  it.each([
    // [why, idType, input, normalised, birthDate, sex]
    ['the textbook example', 'mainland_id', '11010519491231002X', '11010519491231002X', '1949-12-31', 'female'],
    ['lower-case x', 'mainland_id', '11010519491231002x', '11010519491231002X', '1949-12-31', 'female'],
    ['spaces around and inside', 'mainland_id', ' 110105 19491231 002X ', '11010519491231002X', '1949-12-31', 'female'],
    ['full-width digits from a Chinese keyboard', 'mainland_id', '１１０１０５１９４９１２３１００２ｘ', '11010519491231002X', '1949-12-31', 'female'],
    ['odd 17th digit is male', 'mainland_id', '440308199901101512', '440308199901101512', '1999-01-10', 'male'],
    ['29 February of a leap year', 'mainland_id', withCheck('32010220000229003'), withCheck('32010220000229003'), '2000-02-29', 'male'],
    ['29 February 2024', 'mainland_id', withCheck('51010720240229004'), withCheck('51010720240229004'), '2024-02-29', 'female'],
    ['born today', 'mainland_id', withCheck('65010220240615001'), withCheck('65010220240615001'), '2024-06-15', 'male'],
    ['born on 1900-01-01, the earliest date', 'mainland_id', withCheck('21010219000101002'), withCheck('21010219000101002'), '1900-01-01', 'female'],
    ['Chongqing keeps its old Sichuan code 51', 'mainland_id', withCheck('51022119800101001'), withCheck('51022119800101001'), '1980-01-01', 'male'],
    ['Hong Kong permit (Beijing PSB sample)', 'hmt_residence_permit', '810000199408230021', '810000199408230021', '1994-08-23', 'female'],
    ['Macau permit', 'hmt_residence_permit', withCheck('82000019851130003'), withCheck('82000019851130003'), '1985-11-30', 'male'],
    ['Taiwan permit (Beijing PSB sample)', 'hmt_residence_permit', '830000199201300022', '830000199201300022', '1992-01-30', 'female'],
    ['2023 foreign ID, female', 'foreign_permanent_residence', '911398199012310021', '911398199012310021', '1990-12-31', 'female'],
    ['2023 foreign ID, male', 'foreign_permanent_residence', withCheck('93184019750704005'), withCheck('93184019750704005'), '1975-07-04', 'male'],
  ] as const)('%s', (_why, idType, input, normalised, birthDate, sex) => {
    expect(check(idType, input)).toEqual({ ok: true, value: { idType, idNumber: normalised, birthDate, sex } });
  });

  it('accepts a permit whose check char is X, typed in lower case', () => {
    // Search the sequence numbers for a body whose check char is X rather than hard-coding one.
    const body = Array.from({ length: 1000 }, (_, i) => `81000019900101${String(i).padStart(3, '0')}`).find((b) => withCheck(b).endsWith('X'));
    expect(body).toBeDefined();
    const result = check('hmt_residence_permit', `${body}x`);
    expect(result).toMatchObject({ ok: true, value: { idNumber: `${body}X`, birthDate: '1990-01-01' } });
  });

  it.each(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65'])(
    'accepts province %s',
    (province) => {
      expect(check('mainland_id', withCheck(`${province}010219800101001`)).ok).toBe(true);
    },
  );

  it.each([
    ['old 15-character form', 'KAZ110090123105', 'KAZ110090123105'],
    ['old form typed in lower case', 'kaz110090123105', 'KAZ110090123105'],
  ])('foreign %s: shape only, nothing derived', (_why, input, normalised) => {
    expect(check('foreign_permanent_residence', input)).toEqual({
      ok: true,
      value: { idType: 'foreign_permanent_residence', idNumber: normalised },
    });
  });
});

describe('validateIdDocument: refusals', () => {
  it.each([
    // [why, idType, input, code]
    ['empty', 'mainland_id', '', 'ID_NUMBER_EMPTY'],
    ['only spaces', 'mainland_id', '   ', 'ID_NUMBER_EMPTY'],
    ['wrong check digit', 'mainland_id', '110105194912310021', 'ID_NUMBER_CHECKSUM'],
    ['wrong check digit (computed)', 'mainland_id', withWrongCheck('44030819990110151'), 'ID_NUMBER_CHECKSUM'],
    ['X where a digit is due', 'mainland_id', withWrongCheck('44030819990110151').slice(0, 17) + 'X', 'ID_NUMBER_CHECKSUM'],
    ['17 characters', 'mainland_id', '11010519491231002', 'ID_NUMBER_FORMAT'],
    ['19 characters', 'mainland_id', '11010519491231002X1', 'ID_NUMBER_FORMAT'],
    ['a letter in the middle', 'mainland_id', '1101051949A231002X', 'ID_NUMBER_FORMAT'],
    ['X not at the end', 'mainland_id', '1101051949123100X2', 'ID_NUMBER_FORMAT'],
    ['old 15-digit mainland ID', 'mainland_id', '110105491231002', 'ID_NUMBER_OLD_FORMAT'],
    ['province 00', 'mainland_id', withCheck('00010519491231002'), 'ID_NUMBER_REGION'],
    ['province 88', 'mainland_id', withCheck('88010519491231002'), 'ID_NUMBER_REGION'],
    ['province 99', 'mainland_id', withCheck('99010519491231002'), 'ID_NUMBER_REGION'],
    ['province 81 without the permit prefix', 'mainland_id', withCheck('81010519491231002'), 'ID_NUMBER_REGION'],
    ['province 66', 'mainland_id', withCheck('66010519491231002'), 'ID_NUMBER_REGION'],
    ['province 71 (never on a mainland card)', 'mainland_id', withCheck('71010519491231002'), 'ID_NUMBER_REGION'],
    ['city part 00', 'mainland_id', withCheck('11000519491231002'), 'ID_NUMBER_REGION'],
    ['29 February of a common year', 'mainland_id', withCheck('32010220230229003'), 'ID_NUMBER_BIRTH_DATE'],
    ['29 February 1900 (not leap: century rule)', 'mainland_id', withCheck('32010219000229003'), 'ID_NUMBER_BIRTH_DATE'],
    ['month 13', 'mainland_id', withCheck('32010219801301003'), 'ID_NUMBER_BIRTH_DATE'],
    ['day 00', 'mainland_id', withCheck('32010219800100003'), 'ID_NUMBER_BIRTH_DATE'],
    ['31 April', 'mainland_id', withCheck('32010219800431003'), 'ID_NUMBER_BIRTH_DATE'],
    ['born 1899-12-31', 'mainland_id', withCheck('32010218991231003'), 'ID_NUMBER_BIRTH_DATE_TOO_EARLY'],
    ['born tomorrow', 'mainland_id', withCheck('32010220240616003'), 'ID_NUMBER_FUTURE_BIRTH_DATE'],
    ['Hong Kong permit typed as a mainland ID', 'mainland_id', '810000199408230021', 'ID_TYPE_SHOULD_BE_PERMIT'],
    ['Taiwan permit typed as a mainland ID', 'mainland_id', '830000199201300022', 'ID_TYPE_SHOULD_BE_PERMIT'],
    ['new foreign ID typed as a mainland ID', 'mainland_id', '911398199012310021', 'ID_TYPE_SHOULD_BE_FOREIGN'],
    ['old foreign ID typed as a mainland ID', 'mainland_id', 'KAZ110090123105', 'ID_TYPE_SHOULD_BE_FOREIGN'],
    ['permit prefix 810001', 'hmt_residence_permit', withCheck('81000119900101001'), 'ID_NUMBER_PERMIT_REGION'],
    ['permit prefix 840000', 'hmt_residence_permit', withCheck('84000019900101001'), 'ID_NUMBER_PERMIT_REGION'],
    ['mainland number as a permit', 'hmt_residence_permit', '11010519491231002X', 'ID_NUMBER_PERMIT_REGION'],
    ['permit with a wrong check digit', 'hmt_residence_permit', '810000199408230022', 'ID_NUMBER_CHECKSUM'],
    ['permit born tomorrow', 'hmt_residence_permit', withCheck('82000020240616001'), 'ID_NUMBER_FUTURE_BIRTH_DATE'],
    ['permit with 17 characters', 'hmt_residence_permit', '81000019940823002', 'ID_NUMBER_FORMAT'],
    ['foreign ID with a wrong check digit', 'foreign_permanent_residence', '911398199012310022', 'ID_NUMBER_CHECKSUM'],
    ['foreign ID from province 99', 'foreign_permanent_residence', withCheck('99939819901231002'), 'ID_NUMBER_FOREIGN_REGION'],
    ['foreign ID from province 01', 'foreign_permanent_residence', withCheck('90139819901231002'), 'ID_NUMBER_FOREIGN_REGION'],
    ['foreign ID with 31 February', 'foreign_permanent_residence', withCheck('91139819900231002'), 'ID_NUMBER_BIRTH_DATE'],
    ['foreign ID born tomorrow', 'foreign_permanent_residence', withCheck('91139820240616002'), 'ID_NUMBER_FUTURE_BIRTH_DATE'],
    ['foreign old form with a digit among the letters', 'foreign_permanent_residence', 'KA1110090123105', 'ID_NUMBER_FOREIGN_FORMAT'],
    ['foreign old form one digit short', 'foreign_permanent_residence', 'KAZ11009012310', 'ID_NUMBER_FOREIGN_FORMAT'],
    ['mainland number as a foreign ID', 'foreign_permanent_residence', '11010519491231002X', 'ID_NUMBER_FOREIGN_FORMAT'],
  ] as const)('%s (%s %s) -> %s', (_why, idType, input, code) => {
    const result = check(idType, input);
    expect(result).toMatchObject({ ok: false, code });
    if (!result.ok) expect(result.message).toMatch(/[\u4e00-\u9fa5].*。$/u);
  });

  it('speaks kindly about the two commonest mistakes', () => {
    expect(check('mainland_id', '110105194912310021')).toMatchObject({
      message: '证件号码最后一位校验不对，可能有数字填错了，请对照证件逐位再核对一遍。',
    });
    expect(check('mainland_id', '110105491231002')).toMatchObject({
      message: '这是旧版15位身份证号码，请改填您现在所用身份证上的18位号码。',
    });
  });

  it('judges "future" against the today it is given, not the machine clock', () => {
    const born = withCheck('32010220240616003');
    expect(check('mainland_id', born, '2024-06-15').ok).toBe(false);
    expect(check('mainland_id', born, '2024-06-16').ok).toBe(true);
  });

  it('throws on a malformed today: a programming error, not the user\'s', () => {
    expect(() => check('mainland_id', '11010519491231002X', '2024-6-15')).toThrow(/today/);
    expect(() => check('mainland_id', '11010519491231002X', '2023-02-29')).toThrow(/today/);
  });
});

describe('ageOn', () => {
  it.each([
    ['2010-06-15', '2024-06-14', 13],
    ['2010-06-15', '2024-06-15', 14],
    ['2008-02-29', '2023-02-28', 14],
    ['2008-02-29', '2023-03-01', 15],
    ['2008-02-29', '2024-02-29', 16],
    ['2024-06-15', '2024-06-15', 0],
  ])('born %s, on %s: %i', (birth, today, age) => {
    expect(ageOn(birth, today)).toBe(age);
  });
});

describe('validateGuardianChild', () => {
  const base = { allowed: true, childName: '王小明', childSex: 'male' as const, today: TODAY };

  it.each([
    ['a toddler', '2021-03-01'],
    ['a newborn, born today', '2024-06-15'],
    ['the day before the 14th birthday', '2010-06-16'],
  ])('accepts %s', (_why, childBirthDate) => {
    expect(validateGuardianChild({ ...base, childBirthDate })).toEqual({
      ok: true,
      value: { childName: '王小明', childSex: 'male', childBirthDate },
    });
  });

  it.each([
    ['the hospital does not allow it', { allowed: false, childBirthDate: '2021-03-01' }, 'GUARDIAN_PATH_DISABLED'],
    ['born tomorrow', { childBirthDate: '2024-06-16' }, 'GUARDIAN_CHILD_FUTURE_BIRTH_DATE'],
    ['30 February', { childBirthDate: '2020-02-30' }, 'GUARDIAN_CHILD_BIRTH_DATE'],
    ['slashes', { childBirthDate: '2020/01/01' }, 'GUARDIAN_CHILD_BIRTH_DATE'],
    ['empty date', { childBirthDate: '' }, 'GUARDIAN_CHILD_BIRTH_DATE'],
    ['on the 14th birthday', { childBirthDate: '2010-06-15' }, 'GUARDIAN_CHILD_TOO_OLD'],
    ['older than a stricter policy', { childBirthDate: '2018-01-01', maxAgeYears: 6 }, 'GUARDIAN_CHILD_TOO_OLD'],
    ['a name with digits', { childName: '王小明2', childBirthDate: '2021-03-01' }, 'NAME_DIGITS'],
  ])('refuses when %s', (_why, patch, code) => {
    expect(validateGuardianChild({ ...base, ...patch })).toMatchObject({ ok: false, code });
  });

  it('tells the family the policy age and what to do instead', () => {
    expect(validateGuardianChild({ ...base, childBirthDate: '2010-06-15' })).toMatchObject({
      message: '孩子已满14周岁，请用孩子本人的身份证号码绑定（户口簿上就能找到）。',
    });
    expect(validateGuardianChild({ ...base, childBirthDate: '2017-01-01', maxAgeYears: 6 })).toMatchObject({
      message: expect.stringContaining('已满6周岁'),
    });
  });
});
