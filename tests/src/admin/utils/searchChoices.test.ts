// The search pickers: staff type part of a name, a department or its pinyin initials and see only the matches.
import { departmentSearchChoices, doctorSearchChoices } from '../../../../src/admin/utils/catalogChoices'
import { matchingChoices } from '../../../../src/admin/utils/searchChoices'
import type { Overview } from '../../../../src/admin/services/adminApi'

const doctor = (id: string, name: string, departmentId: string, active = true) => ({ _id: id, departmentId, name, title: '主治医师', specialty: '', intro: '', feeClass: '普通', feeFen: 0, active })
const department = (id: string, name: string, parentId: string | null, initials: string) => ({ _id: id, parentId, name, intro: '', locationId: 'a', common: false, sort: 1, initials, pinyin: '' })

const overview = {
  hospital: { _id: 'h', name: '医院', timeZone: 'Asia/Shanghai', campuses: [], releaseRules: { daysAhead: 7, releaseTime: '07:00', sameDayCutoff: null, closeMinutesBefore: 0 } },
  departments: [department('d1', '内科', null, 'nk'), department('d2', '心血管内科', 'd1', 'xxgnk'), department('d3', '皮肤科', null, 'pfk')],
  doctors: [doctor('a', '王建国', 'd2'), doctor('b', '王芳', 'd3', false), doctor('c', '李明', 'd3')],
} as unknown as Overview

describe('search pickers', () => {
  const doctors = doctorSearchChoices(overview)

  it('finds doctors by part of the name, by department and by its pinyin initials', () => {
    expect(matchingChoices(doctors, '王').map((choice) => choice.value)).toEqual(['a', 'b'])
    expect(matchingChoices(doctors, '皮肤').map((choice) => choice.value)).toEqual(['c', 'b'])
    expect(matchingChoices(doctors, 'XXGNK').map((choice) => choice.value)).toEqual(['a'])
    expect(matchingChoices(doctors, '王 皮肤').map((choice) => choice.value)).toEqual(['b'])
    expect(matchingChoices(doctors, '张')).toEqual([])
  })

  it('shows everyone for an empty search, doctors not seeing patients last and marked', () => {
    expect(matchingChoices(doctors, '  ').map((choice) => choice.value)).toEqual(['a', 'c', 'b'])
    expect(doctors.find((choice) => choice.value === 'b')?.detail).toBe('皮肤科 · 暂停出诊')
    expect(doctors[0]).toMatchObject({ label: '王建国（主治医师）', detail: '内科 · 心血管内科' })
  })

  it('labels a clinic with its parent and finds departments by pinyin', () => {
    const departments = departmentSearchChoices(overview)
    expect(matchingChoices(departments, 'pfk').map((choice) => choice.label)).toEqual(['皮肤科'])
    expect(matchingChoices(departments, '内科').map((choice) => choice.label)).toEqual(['内科', '内科 · 心血管内科'])
  })
})
