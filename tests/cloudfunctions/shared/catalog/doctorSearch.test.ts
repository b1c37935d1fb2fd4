import { MAX_DOCTOR_RESULTS, searchDoctors } from '../../../../cloudfunctions/shared/catalog/doctorSearch';

const doctors = [
  { name: '王建国', specialty: '湿疹、痤疮' },
  { name: '李心安', specialty: '房颤射频消融、高血压' },
  { name: '赵平', specialty: '冠心病、心力衰竭、高血压' },
  { name: 'Anna Lee', specialty: 'Allergy 过敏' },
];

describe('searchDoctors', () => {
  it.each([
    ['王建国', ['王建国']],
    ['王', ['王建国']],
    ['wjg', ['王建国']],
    ['WJ', ['王建国']],
    ['高血压', ['李心安', '赵平']],
    ['心', ['李心安', '赵平']],
    ['房 颤', ['李心安']],
    ['anna', ['Anna Lee']],
    ['allergy', ['Anna Lee']],
    ['ＡＮＮＡ', ['Anna Lee']],
    ['肿瘤', []],
    ['  ', []],
  ])('"%s" finds %j', (keyword, names) => {
    expect(searchDoctors(keyword, doctors).map((doctor) => doctor.name)).toEqual(names);
  });

  it(`returns at most ${MAX_DOCTOR_RESULTS}, name matches first`, () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ name: `医生${i}`, specialty: '高血压' }));
    const found = searchDoctors('高血压', [...many, { name: '高血压', specialty: '' }]);
    expect(found).toHaveLength(MAX_DOCTOR_RESULTS);
    expect(found[0].name).toBe('高血压');
  });
});
