// The department form as text fields, and back to the admin function's payload. Release rules are
// overrides: an empty field means "as the hospital", so only filled fields are sent.
import type { AdminDepartment, Overview, ReleaseRules } from '../services/adminApi'
import type { FieldMessages } from './fieldErrors'
import { wholeNumberFromText } from './wholeNumber'

export interface DepartmentForm {
  name: string
  parentId: string
  intro: string
  preparation: string
  locationId: string
  common: 'yes' | 'no'
  sort: number
  daysAhead: string
  releaseTime: string
  sameDayCutoff: string
  closeMinutesBefore: string
}

const text = (value: number | string | null | undefined) => (value === undefined || value === null ? '' : String(value))

/** A new department goes after its future siblings and takes its parent's location to start with. */
export function departmentForm(overview: Overview, department?: AdminDepartment, parentId?: string): DepartmentForm {
  if (department) {
    const rules = department.releaseRules ?? {}
    return {
      name: department.name,
      parentId: department.parentId ?? '',
      intro: department.intro,
      preparation: department.preparation ?? '',
      locationId: department.locationId,
      common: department.common ? 'yes' : 'no',
      sort: department.sort,
      daysAhead: text(rules.daysAhead),
      releaseTime: text(rules.releaseTime),
      sameDayCutoff: text(rules.sameDayCutoff),
      closeMinutesBefore: text(rules.closeMinutesBefore),
    }
  }
  const parent = overview.departments.find((candidate) => candidate._id === parentId && candidate.parentId === null)
  const siblings = overview.departments.filter((candidate) => (parent ? candidate.parentId === parent._id || candidate._id === parent._id : candidate.parentId === null))
  const firstLocation = overview.hospital.campuses[0]?.locations[0]?.id ?? ''
  return {
    name: '',
    parentId: parent?._id ?? '',
    intro: '',
    preparation: '',
    locationId: parent?.locationId ?? firstLocation,
    common: 'no',
    sort: Math.max(0, ...siblings.map((sibling) => sibling.sort)) + 1,
    daysAhead: '',
    releaseTime: '',
    sameDayCutoff: '',
    closeMinutesBefore: '',
  }
}

export function releaseRulesFromForm(form: DepartmentForm): { value: Partial<ReleaseRules>; errors: FieldMessages } {
  const value: Partial<ReleaseRules> = {}
  const errors: FieldMessages = {}
  const daysAhead = wholeNumberFromText(form.daysAhead)
  if (Number.isNaN(daysAhead)) errors['releaseRules.daysAhead'] = '请填写整数天数，例如 7；留空则按全院规则'
  else if (daysAhead !== null) value.daysAhead = daysAhead
  const closeMinutesBefore = wholeNumberFromText(form.closeMinutesBefore)
  if (Number.isNaN(closeMinutesBefore)) errors['releaseRules.closeMinutesBefore'] = '请填写整数分钟，例如 30；留空则按全院规则'
  else if (closeMinutesBefore !== null) value.closeMinutesBefore = closeMinutesBefore
  if (form.releaseTime.trim()) value.releaseTime = form.releaseTime.trim()
  if (form.sameDayCutoff.trim()) value.sameDayCutoff = form.sameDayCutoff.trim()
  return { value, errors }
}
