// Release-rule overrides: an empty field follows the hospital, a filled one is sent, a bad number is caught here.
import type { Overview } from '../../../../src/admin/services/adminApi'
import { departmentForm, releaseRulesFromForm } from '../../../../src/admin/utils/departmentForm'

const rules = { daysAhead: 7, releaseTime: '07:00', sameDayCutoff: null, closeMinutesBefore: 30 }
const overview: Overview = {
  hospital: { _id: 'default', name: '示范医院', timeZone: 'Asia/Shanghai', campuses: [{ id: 'main', name: '本部', address: '', locations: [{ id: 'opd-2f', name: '门诊楼 2 楼' }] }], releaseRules: rules },
  departments: [
    { _id: 'p1', parentId: null, name: '内科', intro: '', locationId: 'opd-2a', common: false, sort: 100 },
    { _id: 'c1', parentId: 'p1', name: '心血管内科', intro: '', locationId: 'opd-2b', common: true, sort: 101, releaseRules: { daysAhead: 14 } },
    { _id: 'p2', parentId: null, name: '外科', intro: '', locationId: 'opd-3a', common: false, sort: 200 },
  ],
  doctors: [],
}

describe('departmentForm', () => {
  it('shows an existing department with its overrides and blanks for the rest', () => {
    const form = departmentForm(overview, overview.departments[1])
    expect(form).toMatchObject({ name: '心血管内科', parentId: 'p1', common: 'yes', daysAhead: '14', releaseTime: '', sameDayCutoff: '', closeMinutesBefore: '' })
    expect(releaseRulesFromForm(form)).toEqual({ value: { daysAhead: 14 }, errors: {} })
  })

  it('puts a new clinic after its siblings, at its parent location', () => {
    expect(departmentForm(overview, undefined, 'p1')).toMatchObject({ parentId: 'p1', locationId: 'opd-2a', sort: 102 })
    expect(departmentForm(overview)).toMatchObject({ parentId: '', locationId: 'opd-2f', sort: 201 })
  })
})

describe('releaseRulesFromForm', () => {
  const blank = departmentForm(overview)

  it('sends nothing when every field is left empty', () => {
    expect(releaseRulesFromForm(blank)).toEqual({ value: {}, errors: {} })
  })

  it('sends the filled fields', () => {
    const form = { ...blank, daysAhead: '3', releaseTime: ' 08:30 ', sameDayCutoff: '11:00', closeMinutesBefore: '0' }
    expect(releaseRulesFromForm(form).value).toEqual({ daysAhead: 3, releaseTime: '08:30', sameDayCutoff: '11:00', closeMinutesBefore: 0 })
  })

  it('catches numbers that are not whole', () => {
    const { errors } = releaseRulesFromForm({ ...blank, daysAhead: '2.5', closeMinutesBefore: '半小时' })
    expect(Object.keys(errors).sort()).toEqual(['releaseRules.closeMinutesBefore', 'releaseRules.daysAhead'])
  })
})
