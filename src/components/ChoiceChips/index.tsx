// A short list of choices (证件类型, 关系) as large tap targets: one tap, no picker wheel to spin.
import { Text, View } from '@tarojs/components'
import './index.scss'

export interface Choice<T extends string> {
  value: T
  label: string
}

interface ChoiceChipsProps<T extends string> {
  /** Each chip's id is `${idPrefix}-${value}`. */
  idPrefix: string
  label: string
  options: readonly Choice<T>[]
  value: T | ''
  onChange: (value: T) => void
  /** One choice per line, for long labels. */
  stacked?: boolean
}

export function ChoiceChips<T extends string>({ idPrefix, label, options, value, onChange, stacked }: ChoiceChipsProps<T>) {
  return (
    <View className={`choice-chips ${stacked ? 'choice-chips-stacked' : ''}`} ariaRole='radiogroup' ariaLabel={label}>
      {options.map((option) => {
        const selected = option.value === value
        return (
          <View
            key={option.value}
            id={`${idPrefix}-${option.value}`}
            className={`choice-chip ${selected ? 'choice-chip-selected' : ''}`}
            ariaRole='radio'
            aria-checked={selected ? 'true' : 'false'}
            onClick={() => onChange(option.value)}
          >
            {/* The tick says "chosen" without relying on colour alone. */}
            <Text>{selected ? `✓ ${option.label}` : option.label}</Text>
          </View>
        )
      })}
    </View>
  )
}
