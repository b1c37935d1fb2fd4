import {
  ID_TYPE_LABELS,
  makeBindPatientSchema,
  type BindPatient,
  PATIENT_VALIDATION_MESSAGES,
  RELATION_LABELS,
} from '../../../../cloudfunctions/shared/domain/patientSchemas';

const TODAY = '2024-06-15';
const schema = makeBindPatientSchema({ today: TODAY, guardianPathAllowed: true });

const good = {
  idType: 'mainland_id',
  name: ' 张 秀英 ',
  idNumber: '11010519491231002x',
  phone: '+86 138-1234-5678',
  relation: 'parent',
};
const goodChild = {
  idType: 'guardian_child',
  childName: '王小明',
  childSex: 'male',
  childBirthDate: '2021-03-01',
  phone: '13812345678',
  relation: 'child',
};

/** The issues of a failed parse as `path -> message`, the shape the form and the function show. */
function issuesOf(result: ReturnType<typeof schema.safeParse>) {
  if (result.success) throw new Error('expected the payload to be refused');
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('makeBindPatientSchema: good payloads', () => {
  it('parses an ID payload to normalised values with the facts the ID carries', () => {
    const parsed: BindPatient = schema.parse(good);
    // Type-level: the ID variant hands the action a plain string, not the parsed document.
    if (parsed.idType !== 'guardian_child') expect(typeof (parsed.idNumber satisfies string)).toBe('string');
    expect(parsed).toEqual({
      idType: 'mainland_id',
      name: '张秀英',
      idNumber: '11010519491231002X',
      phone: '13812345678',
      relation: 'parent',
      birthDate: '1949-12-31',
      sex: 'female',
    });
  });

  it('leaves out birth date and sex when the document does not carry them', () => {
    const parsed = schema.parse({ ...good, idType: 'foreign_permanent_residence', name: 'John Smith', idNumber: 'kaz110090123105' });
    expect(parsed).toEqual({
      idType: 'foreign_permanent_residence',
      name: 'John Smith',
      idNumber: 'KAZ110090123105',
      phone: '13812345678',
      relation: 'parent',
    });
    expect(Object.keys(parsed)).not.toContain('birthDate');
  });

  it('parses a Hong Kong permit', () => {
    expect(schema.parse({ ...good, idType: 'hmt_residence_permit', idNumber: '810000199408230021' })).toMatchObject({
      idNumber: '810000199408230021',
      birthDate: '1994-08-23',
      sex: 'female',
    });
  });

  it('parses a child bound by a guardian', () => {
    expect(schema.parse({ ...goodChild, childName: '阿依古丽•买买提' })).toEqual({ ...goodChild, childName: '阿依古丽·买买提' });
  });

  it('drops fields it does not know', () => {
    expect(schema.parse({ ...good, isAdmin: true })).not.toHaveProperty('isAdmin');
  });
});

describe('makeBindPatientSchema: a failing field carries its path and the Chinese sentence', () => {
  it.each([
    ['idNumber', { idNumber: '110105194912310021' }, PATIENT_VALIDATION_MESSAGES.ID_NUMBER_CHECKSUM],
    ['idNumber', { idNumber: '110105491231002' }, PATIENT_VALIDATION_MESSAGES.ID_NUMBER_OLD_FORMAT],
    ['idNumber', { idType: 'hmt_residence_permit' }, PATIENT_VALIDATION_MESSAGES.ID_NUMBER_PERMIT_REGION],
    ['idNumber', { idNumber: undefined }, PATIENT_VALIDATION_MESSAGES.ID_NUMBER_EMPTY],
    ['name', { name: '张' }, PATIENT_VALIDATION_MESSAGES.NAME_TOO_SHORT],
    ['name', { name: '张三3' }, PATIENT_VALIDATION_MESSAGES.NAME_DIGITS],
    ['name', { name: undefined }, PATIENT_VALIDATION_MESSAGES.NAME_EMPTY],
    ['phone', { phone: '12812345678' }, PATIENT_VALIDATION_MESSAGES.PHONE_PREFIX],
    ['phone', { phone: '' }, PATIENT_VALIDATION_MESSAGES.PHONE_EMPTY],
    ['relation', { relation: 'friend' }, PATIENT_VALIDATION_MESSAGES.RELATION_REQUIRED],
    ['idType', { idType: 'passport' }, PATIENT_VALIDATION_MESSAGES.ID_TYPE_REQUIRED],
  ])('%s: %j', (path, patch, message) => {
    expect(issuesOf(schema.safeParse({ ...good, ...patch }))).toEqual([{ path, message }]);
  });

  it('reports every bad field at once, so the form can mark them all', () => {
    const issues = issuesOf(schema.safeParse({ ...good, name: '张', idNumber: '110105194912310021', phone: '123' }));
    expect(issues.map((issue) => issue.path)).toEqual(['name', 'idNumber', 'phone']);
  });

  it('carries the stable code in params for the cloud function', () => {
    const result = schema.safeParse({ ...good, idNumber: '110105194912310021' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'custom', params: { code: 'ID_NUMBER_CHECKSUM' } });
  });

  it.each([
    ['childBirthDate', { childBirthDate: '2024-06-16' }, PATIENT_VALIDATION_MESSAGES.GUARDIAN_CHILD_FUTURE_BIRTH_DATE],
    ['childBirthDate', { childBirthDate: '2010-06-15' }, '孩子已满14周岁，请用孩子本人的身份证号码绑定（户口簿上就能找到）。'],
    ['childName', { childName: '王' }, PATIENT_VALIDATION_MESSAGES.NAME_TOO_SHORT],
    ['childSex', { childSex: 'unknown' }, PATIENT_VALIDATION_MESSAGES.CHILD_SEX_REQUIRED],
    ['relation', { relation: 'self' }, PATIENT_VALIDATION_MESSAGES.GUARDIAN_RELATION],
  ])('guardian path, %s: %j', (path, patch, message) => {
    expect(issuesOf(schema.safeParse({ ...goodChild, ...patch }))).toEqual([{ path, message }]);
  });

  it('refuses the guardian path on the idType field when the hospital does not allow it', () => {
    const strict = makeBindPatientSchema({ today: TODAY, guardianPathAllowed: false });
    expect(issuesOf(strict.safeParse(goodChild))).toEqual([
      { path: 'idType', message: PATIENT_VALIDATION_MESSAGES.GUARDIAN_PATH_DISABLED },
    ]);
    expect(strict.safeParse(good).success).toBe(true);
  });

  it('applies the hospital\'s own age limit for the guardian path', () => {
    const young = makeBindPatientSchema({ today: TODAY, guardianPathAllowed: true, guardianMaxAgeYears: 3 });
    expect(issuesOf(young.safeParse(goodChild))).toEqual([{ path: 'childBirthDate', message: expect.stringContaining('已满3周岁') }]);
  });

  it('judges birth dates against the today it was built with', () => {
    const born = { ...goodChild, childBirthDate: '2024-06-16' };
    expect(schema.safeParse(born).success).toBe(false);
    expect(makeBindPatientSchema({ today: '2024-06-16', guardianPathAllowed: true }).safeParse(born).success).toBe(true);
  });

  it('refuses to build with a malformed today', () => {
    expect(() => makeBindPatientSchema({ today: '15/06/2024', guardianPathAllowed: true })).toThrow(/today/);
  });
});

describe('labels', () => {
  it('names every ID type and relation in Chinese', () => {
    expect(ID_TYPE_LABELS).toEqual({
      mainland_id: '居民身份证',
      hmt_residence_permit: '港澳台居民居住证',
      foreign_permanent_residence: '外国人永久居留身份证',
      guardian_child: '无证件儿童（监护人代办）',
    });
    expect(Object.values(RELATION_LABELS)).toEqual(['本人', '父母', '子女', '配偶', '兄弟姐妹', '其他']);
  });

  it('has a Chinese sentence ending in 。 for every code', () => {
    for (const message of Object.values(PATIENT_VALIDATION_MESSAGES)) expect(message).toMatch(/^\p{Script=Han}.*。$/u);
  });
});
