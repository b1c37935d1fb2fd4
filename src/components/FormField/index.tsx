// A labelled form field with the sentence that tells the user what to fix, right under the input.
import type { PropsWithChildren } from 'react'
import { Text, View } from '@tarojs/components'
import './index.scss'

interface FormFieldProps {
  /** The error's id is `${id}-error`, the hint's `${id}-hint`. */
  id: string
  label: string
  error?: string
  hint?: string
}

export function FormField({ id, label, error, hint, children }: PropsWithChildren<FormFieldProps>) {
  return (
    <View className='form-field'>
      <Text className='form-label'>{label}</Text>
      {children}
      {error && (
        <View className='form-error' id={`${id}-error`} ariaRole='alert'>
          <Text>{error}</Text>
        </View>
      )}
      {!error && hint && (
        <Text className='form-hint' id={`${id}-hint`}>
          {hint}
        </Text>
      )}
    </View>
  )
}

/** A sentence about the whole form (e.g. the hospital system is down), shown above the save button. */
export function FormBanner({ id, message }: { id: string; message?: string }) {
  if (!message) return null
  return (
    <View className='form-banner' id={id} ariaRole='alert'>
      <Text>{message}</Text>
    </View>
  )
}
