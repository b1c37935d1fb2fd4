// A short list of choices shown all at once as large buttons (职称, 号别, 星期, 上午/下午/夜间).
import { Text, View } from '@tarojs/components'
import { FormField } from './FormField'
import './admin.scss'

export interface Choice {
  value: string
  label: string
  disabled?: boolean
}

interface ChoiceFieldProps {
  id: string
  label: string
  choices: Choice[]
  value: string
  onChange: (value: string) => void
  hint?: string
  error?: string
}

export function ChoiceField({ choices, value, onChange, ...field }: ChoiceFieldProps) {
  return (
    <FormField {...field}>
      <View className='admin-choices' ariaRole='radiogroup' ariaLabel={field.label}>
        {choices.map((choice) => {
          const selected = choice.value === value
          return (
            <View
              key={choice.value}
              className={`admin-choice ${selected ? 'admin-choice-on' : ''} ${choice.disabled ? 'admin-choice-off' : ''}`}
              ariaRole='radio'
              aria-checked={selected ? 'true' : 'false'}
              aria-disabled={choice.disabled ? 'true' : undefined}
              onClick={() => !choice.disabled && onChange(choice.value)}
            >
              <Text>{choice.label}</Text>
            </View>
          )
        })}
      </View>
    </FormField>
  )
}
