// A choice among many (上级科室, 就诊地点, 医生): the native picker, showing the current choice.
import { Picker, Text, View } from '@tarojs/components'
import type { Choice } from './ChoiceField'
import { FormField } from './FormField'
import './admin.scss'

interface SelectFieldProps {
  id: string
  label: string
  choices: Choice[]
  value: string
  onChange: (value: string) => void
  placeholder?: string
  hint?: string
  error?: string
}

export function SelectField({ choices, value, onChange, placeholder = '请选择', ...field }: SelectFieldProps) {
  const index = choices.findIndex((choice) => choice.value === value)
  return (
    <FormField {...field}>
      <Picker
        mode='selector'
        range={choices.map((choice) => choice.label)}
        value={Math.max(index, 0)}
        onChange={(event) => onChange(choices[Number(event.detail.value)]?.value ?? value)}
      >
        <View className='admin-input admin-select' ariaRole='button' ariaLabel={`${field.label}：${index >= 0 ? choices[index].label : placeholder}`}>
          <Text className={index >= 0 ? '' : 'caption'}>{index >= 0 ? choices[index].label : placeholder}</Text>
          <Text className='caption'>更改</Text>
        </View>
      </Picker>
    </FormField>
  )
}
