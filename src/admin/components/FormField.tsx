// One labelled form field: the label, the control, an optional hint and the field's error sentence.
import type { PropsWithChildren } from 'react'
import { Input, Text, Textarea, View } from '@tarojs/components'
import './admin.scss'

interface FormFieldProps {
  id: string
  label: string
  hint?: string
  error?: string
}

export function FormField({ id, label, hint, error, children }: PropsWithChildren<FormFieldProps>) {
  return (
    <View className={`admin-field ${error ? 'admin-field-invalid' : ''}`} id={id}>
      <Text className='admin-field-label'>{label}</Text>
      {children}
      {hint && <Text className='caption'>{hint}</Text>}
      {error && (
        <View className='admin-field-error' id={`${id}-error`} ariaRole='alert'>
          <Text>{error}</Text>
        </View>
      )}
    </View>
  )
}

interface TextFieldProps extends FormFieldProps {
  value: string
  onChange: (value: string) => void
  placeholder?: string
  type?: 'text' | 'number' | 'digit'
  maxlength?: number
  multiline?: boolean
}

export function TextField({ value, onChange, placeholder, type = 'text', maxlength = 100, multiline, ...field }: TextFieldProps) {
  const onInput = (event: { detail: { value: string } }) => onChange(event.detail.value)
  return (
    <FormField {...field}>
      {multiline ? (
        <Textarea className='admin-input admin-textarea' value={value} placeholder={placeholder} maxlength={maxlength} onInput={onInput} ariaLabel={field.label} />
      ) : (
        // On H5 the label must reach the real <input> inside Taro's wrapper (nativeProps), or a screen reader reads nothing.
        <Input className='admin-input' value={value} placeholder={placeholder} type={type} maxlength={maxlength} onInput={onInput} nativeProps={{ 'aria-label': field.label }} />
      )}
    </FormField>
  )
}
