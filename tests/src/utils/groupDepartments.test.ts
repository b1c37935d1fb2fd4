import type { Department } from '../../../src/services/catalog'
import { groupDepartments, parentName } from '../../../src/utils/groupDepartments'

const department = (id: string, name: string, parentId: string | null = null): Department => ({
  id,
  parentId,
  name,
  intro: '',
  preparation: '',
  common: false,
  locationId: 'opd',
})

describe('groupDepartments', () => {
  const all = [
    department('a', '内科'),
    department('a1', '心血管内科', 'a'),
    department('b', '中医科'),
    department('a2', '消化内科', 'a'),
    department('c', '急诊科'),
    department('x1', '孤立门诊', 'missing'),
  ]

  it('puts each clinic under its first-level department, in display order', () => {
    expect(groupDepartments(all).map(({ group, clinics }) => [group.name, clinics.map((clinic) => clinic.name)])).toEqual([
      ['内科', ['心血管内科', '消化内科']],
      ['中医科', []],
      ['急诊科', []],
      ['孤立门诊', []],
    ])
  })

  it('names a clinic’s first-level department', () => {
    expect(parentName(all[1], all)).toBe('内科')
    expect(parentName(all[0], all)).toBeUndefined()
  })
})
