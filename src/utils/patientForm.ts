// Checks the 添加就诊人 form as the user types, with the very rules the `patient` function applies.
import { normaliseIdNumber, validateIdDocument, type IdDocumentType } from '@domain/idDocument'
import { makeBindPatientSchema, type Relation } from '@domain/patientSchemas'
import { validatePersonName } from '@domain/personName'
import { validateMobile } from '@domain/phone'
import type { ApiFieldError } from '../services/api'

export const PATIENT_FORM_FIELDS = ['name', 'idType', 'idNumber', 'phone', 'relation'] as const
export type PatientFormField = (typeof PATIENT_FORM_FIELDS)[number]
export type FieldMessages = Partial<Record<PatientFormField, string>>

export interface PatientFormValues {
  name: string
  idType: IdDocumentType
  idNumber: string
  phone: string
  /** Empty until the user picks one. */
  relation: Relation | ''
}

export interface LiveCheck {
  /** A mistake to show in red. */
  error?: string
  /** A gentle note while the value is still on its way to complete (e.g. how many digits are left). */
  hint?: string
}

const ID_LENGTH = 18
const PHONE_LENGTH = 11

/** A number that could still become valid by typing more: not a mistake until the user leaves the field. */
function idStillTyping(idType: IdDocumentType, idNumber: string): boolean {
  if (idType === 'foreign_permanent_residence') return /^(9\d{0,16}|[A-Z]{0,3}|[A-Z]{3}\d{0,11})$/.test(idNumber)
  return /^\d{0,17}$/.test(idNumber)
}

function checkIdNumber(values: PatientFormValues, today: string, finished: boolean): LiveCheck {
  const idNumber = normaliseIdNumber(values.idNumber)
  const result = validateIdDocument({ idType: values.idType, idNumber, today })
  if (result.ok) return {}
  if (!finished && idStillTyping(values.idType, idNumber)) {
    const left = ID_LENGTH - idNumber.length
    return idNumber === '' || /^[A-Z]/.test(idNumber) ? {} : { hint: `已填 ${idNumber.length} 位，还差 ${left} 位` }
  }
  return { error: result.message }
}

function checkName(name: string, finished: boolean): LiveCheck {
  const result = validatePersonName(name)
  if (result.ok) return {}
  // One character, or a separator at the end, is a name half typed.
  const halfTyped = result.code === 'NAME_EMPTY' || result.code === 'NAME_TOO_SHORT' || /[-'·.\s]$/u.test(name)
  return !finished && halfTyped ? {} : { error: result.message }
}

function checkPhone(phone: string, finished: boolean): LiveCheck {
  const result = validateMobile(phone)
  if (result.ok) return {}
  const digits = phone.replace(/\s/g, '')
  if (!finished && /^\d{0,10}$/.test(digits)) {
    return digits === '' ? {} : { hint: `已填 ${digits.length} 位，还差 ${PHONE_LENGTH - digits.length} 位` }
  }
  return { error: result.message }
}

/**
 * What to show under one field right now. `finished` is true once the user left the field or
 * pressed 保存: from then on an incomplete value is a mistake too.
 */
export function liveCheck(field: PatientFormField, values: PatientFormValues, options: { today: string; finished: boolean }): LiveCheck {
  const { today, finished } = options
  switch (field) {
    case 'name':
      return checkName(values.name, finished)
    case 'idNumber':
      return checkIdNumber(values, today, finished)
    case 'phone':
      return checkPhone(values.phone, finished)
    case 'relation':
    case 'idType': {
      // A choice is either made or not: only worth a word once the user tried to save.
      const error = finished ? submitErrors(values, today)[field] : undefined
      return error ? { error } : {}
    }
  }
}

const isFormField = (path: string): path is PatientFormField => (PATIENT_FORM_FIELDS as readonly string[]).includes(path)

/** The whole form through the bind schema the server uses: one sentence per bad field, nothing when it may be sent. */
export function submitErrors(values: PatientFormValues, today: string): FieldMessages {
  const schema = makeBindPatientSchema({ today, guardianPathAllowed: false })
  const parsed = schema.safeParse({ ...values, relation: values.relation || undefined })
  if (parsed.success) return {}
  const messages: FieldMessages = {}
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '')
    if (isFormField(field) && !messages[field]) messages[field] = issue.message
  }
  return messages
}

/** The server's field errors placed next to their fields; anything without a field is returned as `other`. */
export function placeServerErrors(fields: ApiFieldError[]): { byField: FieldMessages; other: string[] } {
  const byField: FieldMessages = {}
  const other: string[] = []
  for (const field of fields) {
    const name = field.path.split('.')[0]
    if (isFormField(name)) byField[name] ??= field.message
    else other.push(field.message)
  }
  return { byField, other }
}
