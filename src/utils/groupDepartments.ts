// The home page's department list: each first-level department followed by its clinics, in display order.
import type { Department } from '../services/catalog'

export interface DepartmentGroup {
  group: Department
  /** Empty when the first-level department is itself the clinic patients book. */
  clinics: Department[]
}

export function groupDepartments(departments: Department[]): DepartmentGroup[] {
  const groups = new Map<string, DepartmentGroup>()
  for (const department of departments) {
    if (department.parentId === null) groups.set(department.id, { group: department, clinics: [] })
  }
  for (const department of departments) {
    if (department.parentId === null) continue
    const parent = groups.get(department.parentId)
    // A clinic whose group is missing still has to be reachable: it stands as its own group.
    if (parent) parent.clinics.push(department)
    else groups.set(department.id, { group: department, clinics: [] })
  }
  return [...groups.values()]
}

/** The name of a clinic's first-level department, for search results: 内科. */
export function parentName(department: Department, departments: Department[]): string | undefined {
  return department.parentId ? departments.find((entry) => entry.id === department.parentId)?.name : undefined
}
