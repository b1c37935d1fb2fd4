// Splits an API failure into sentences per form field and one sentence for the whole form.
import { isApiError, NETWORK_ERROR_MESSAGE } from '../../services/api'

export const INLINE_ONLY_MESSAGE = '有几处需要修改，请按标出的提示改好后再保存。'

export type FieldMessages = Record<string, string>

export interface FormFailure {
  fields: FieldMessages
  /** Shown beside the save button. */
  message: string
  requestId?: string
}

/** `known` are the paths the form shows inline; other paths are folded into the form message. */
export function formFailureOf(error: unknown, known: readonly string[]): FormFailure {
  if (!isApiError(error)) {
    console.error('[admin] unexpected failure', error)
    return { fields: {}, message: NETWORK_ERROR_MESSAGE }
  }
  const fields: FieldMessages = {}
  const elsewhere: string[] = []
  for (const field of error.fields ?? []) {
    if (known.includes(field.path) && !fields[field.path]) fields[field.path] = field.message
    else elsewhere.push(field.message)
  }
  const inlineOnly = error.code === 'INVALID_PARAMS' && Object.keys(fields).length > 0 && elsewhere.length === 0
  if (inlineOnly) return { fields, message: INLINE_ONLY_MESSAGE }
  return { fields, message: elsewhere.length > 0 ? elsewhere.join('；') : error.message, requestId: error.requestId }
}
