// A calendar date ('YYYY-MM-DD') chosen with the native date picker.
import { Picker, Text, View } from '@tarojs/components'
import { shortDate } from '../utils/describeReport'
import { FormField } from './FormField'
import './admin.scss'

interface DateFieldProps {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  start?: string
  end?: string
  hint?: string
  error?: string
}

export function DateField({ value, onChange, start, end, ...field }: DateFieldProps) {
  return (
    <FormField {...field}>
      <Picker mode='date' value={value} start={start} end={end} onChange={(event) => onChange(String(event.detail.value))}>
        <View className='admin-input admin-select' ariaRole='button' ariaLabel={`${field.label}：${value}`}>
          <Text>
            {shortDate(value)}（{value}）
          </Text>
          <Text className='caption'>更改</Text>
        </View>
      </Picker>
    </FormField>
  )
}
