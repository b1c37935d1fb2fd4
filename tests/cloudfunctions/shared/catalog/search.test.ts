import { buildDemoCatalog } from '../../../../cloudfunctions/shared/catalog/seedDemoHospital';
import { pinyinOf, searchDepartments } from '../../../../cloudfunctions/shared/catalog/pinyin';

describe('department search', () => {
  const departments = buildDemoCatalog(new Date('2026-11-22T00:00:00Z')).departments;
  const names = (keyword: string) => searchDepartments(keyword, departments).map((department) => department.name);

  it.each([
    ['心血管内科', 'xxgnk', 'xinxueguanneike'],
    ['耳鼻喉科', 'ebhk', 'erbihouke'],
    ['皮肤科', 'pfk', 'pifuke'],
    ['Ｂ超室', 'bcs', 'bchaoshi'],
  ])('keys %s as %s / %s', (name, initials, pinyin) => {
    expect(pinyinOf(name)).toEqual({ initials, pinyin });
  });

  it.each([
    ['pf', '皮肤科'],
    ['PF', '皮肤科'],
    ['xnk', '心血管内科'],
    ['心内', '心血管内科'],
    ['xhnk', '消化内科'],
    ['erbihou', '耳鼻喉科'],
    ['牙科', '口腔科'],
    ['儿科', '儿科'],
    ['妇产', '妇产科'],
  ])('"%s" finds %s first', (keyword, first) => {
    expect(names(keyword)[0]).toBe(first);
  });

  it('returns nothing for a word no department has, and everything for a blank one', () => {
    expect(names('zzzq')).toEqual([]);
    expect(names('  ')).toHaveLength(departments.length);
  });
});
