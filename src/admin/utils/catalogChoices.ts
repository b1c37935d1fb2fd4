// The hospital's doctors and departments as search-picker choices: a doctor is found by name, title or
// department (name or pinyin initials of the department), a department by its name or pinyin.
import type { Overview } from '../services/adminApi'
import type { SearchChoice } from './searchChoices'

export function departmentLabel(overview: Overview, departmentId: string): string {
  const department = overview.departments.find((candidate) => candidate._id === departmentId)
  if (!department) return ''
  const parent = overview.departments.find((candidate) => candidate._id === department.parentId)
  return parent ? `${parent.name} · ${department.name}` : department.name
}

export function departmentSearchChoices(overview: Overview): SearchChoice[] {
  return overview.departments.map((department) => ({
    value: department._id,
    label: departmentLabel(overview, department._id),
    keywords: `${department.initials ?? ''} ${department.pinyin ?? ''}`,
  }))
}

/** Doctors who no longer see patients come last, marked, so a stop or an extra slot is rarely put on them by mistake. */
export function doctorSearchChoices(overview: Overview): SearchChoice[] {
  const choices = overview.doctors.map((doctor) => {
    const department = overview.departments.find((candidate) => candidate._id === doctor.departmentId)
    return {
      value: doctor._id,
      label: `${doctor.name}（${doctor.title}）`,
      detail: `${departmentLabel(overview, doctor.departmentId)}${doctor.active ? '' : ' · 暂停出诊'}`,
      keywords: `${department?.initials ?? ''} ${department?.pinyin ?? ''}`,
      active: doctor.active,
    }
  })
  return [...choices.filter((choice) => choice.active), ...choices.filter((choice) => !choice.active)].map(({ active: _active, ...choice }) => choice)
}
