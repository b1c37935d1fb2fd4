// A time of day ('HH:mm') chosen with the native time picker (weapp and H5 alike), never typed.
import { Picker, Text, View } from '@tarojs/components'
import { FormField } from './FormField'
import './admin.scss'

interface TimeFieldProps {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  hint?: string
  error?: string
}

export function TimeField({ value, onChange, ...field }: TimeFieldProps) {
  return (
    <FormField {...field}>
      <Picker mode='time' value={value || '08:00'} onChange={(event) => onChange(String(event.detail.value))}>
        <View className='admin-input admin-select' ariaRole='button' ariaLabel={`${field.label}：${value || '未选择'}，点按更改`}>
          <Text className={value ? 'admin-time' : 'caption'}>{value || '请选择时间'}</Text>
          <Text className='admin-pick-change'>更改</Text>
        </View>
      </Picker>
    </FormField>
  )
}
