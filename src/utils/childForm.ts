// Checks the "孩子还没有身份证？" form with the bind schema the `patient` function applies to a child without an ID.
import { SEXES, type Sex } from '@domain/idDocument'
import { makeBindPatientSchema, type Relation } from '@domain/patientSchemas'
import type { ChildBindForm } from '../services/patients'

export const CHILD_FORM_FIELDS = ['childName', 'childSex', 'childBirthDate', 'phone', 'relation'] as const
export type ChildFormField = (typeof CHILD_FORM_FIELDS)[number]
export type ChildFieldMessages = Partial<Record<ChildFormField, string>>

export interface ChildFormValues {
  childName: string
  /** Empty until chosen. */
  childSex: Sex | ''
  childBirthDate: string
  phone: string
  relation: Relation | ''
}

export const EMPTY_CHILD_FORM: ChildFormValues = { childName: '', childSex: '', childBirthDate: '', phone: '', relation: '' }

export const SEX_LABELS: Record<Sex, string> = { male: '男', female: '女' }
export const SEX_CHOICES = SEXES.map((value) => ({ value, label: SEX_LABELS[value] }))

const isChildField = (path: string): path is ChildFormField => (CHILD_FORM_FIELDS as readonly string[]).includes(path)

/** One sentence per field to fix, or the form as the server takes it. */
export function checkChildForm(values: ChildFormValues, today: string, maxAgeYears: number): { form?: ChildBindForm; errors: ChildFieldMessages } {
  const schema = makeBindPatientSchema({ today, guardianPathAllowed: true, guardianMaxAgeYears: maxAgeYears })
  const parsed = schema.safeParse({
    idType: 'guardian_child',
    ...values,
    childSex: values.childSex || undefined,
    relation: values.relation || undefined,
  })
  if (parsed.success && parsed.data.idType === 'guardian_child') {
    const { childName, childSex, childBirthDate, phone, relation } = parsed.data
    return { form: { idType: 'guardian_child', childName, childSex, childBirthDate, phone, relation }, errors: {} }
  }
  const errors: ChildFieldMessages = {}
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const field = String(issue.path[0] ?? '')
    if (isChildField(field) && !errors[field]) errors[field] = issue.message
  }
  return { errors }
}
