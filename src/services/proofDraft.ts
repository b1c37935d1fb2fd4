// The add-card form's values, handed from 添加就诊人 to 验证就诊人 in memory only: ID and phone numbers never
// travel in a page URL (which lands in history and logs).
import type { BindPatientForm } from './patients'

let draft: BindPatientForm | undefined

export function keepProofDraft(form: BindPatientForm): void {
  draft = { ...form }
}

export function readProofDraft(): BindPatientForm | undefined {
  return draft
}

export function clearProofDraft(): void {
  draft = undefined
}
