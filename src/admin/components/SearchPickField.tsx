// A choice among a long list (医生, 科室): type a few characters of the name, then tap one of the matches.
// The list shows at most a screenful of large rows, so a counter with 200 doctors still fits one thumb.
import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { FormField } from './FormField'
import { matchingChoices, type SearchChoice } from '../utils/searchChoices'
import './admin.scss'

interface SearchPickFieldProps {
  id: string
  label: string
  choices: SearchChoice[]
  value: string
  onChange: (value: string) => void
  /** What to type, e.g. “输入医生姓名或科室”. */
  placeholder: string
  hint?: string
  error?: string
}

const SHOWN = 6

export function SearchPickField({ choices, value, onChange, placeholder, ...field }: SearchPickFieldProps) {
  const chosen = choices.find((choice) => choice.value === value)
  const [searching, setSearching] = useState(!chosen)
  const [query, setQuery] = useState('')
  const matches = matchingChoices(choices, query)
  const pick = (choice: SearchChoice) => {
    onChange(choice.value)
    setQuery('')
    setSearching(false)
  }
  if (chosen && !searching) {
    return (
      <FormField {...field}>
        {/* Named by what it shows (the choice and 更换), so a voice user can say what they see. */}
        <View className='admin-input admin-select' ariaRole='button' onClick={() => setSearching(true)}>
          <View className='admin-row-text'>
            <Text>{chosen.label}</Text>
            {chosen.detail && <Text className='caption'>{chosen.detail}</Text>}
          </View>
          <Text className='admin-pick-change'>更换</Text>
        </View>
      </FormField>
    )
  }
  return (
    <FormField {...field}>
      <Input className='admin-input' value={query} placeholder={placeholder} maxlength={20} onInput={(event) => setQuery(event.detail.value)} nativeProps={{ 'aria-label': `搜索${field.label}` }} />
      <View className='admin-pick-list'>
        {matches.slice(0, SHOWN).map((choice) => (
          <View key={choice.value} className='admin-pick-item' ariaRole='button' onClick={() => pick(choice)}>
            <Text>{choice.label}</Text>
            {choice.detail && <Text className='caption'>{choice.detail}</Text>}
          </View>
        ))}
      </View>
      <Text className='caption'>
        {matches.length === 0 ? '没有找到，请换个字试试，姓名、科室或拼音首字母都可以。' : matches.length > SHOWN ? `共 ${matches.length} 个，再多输入几个字可以更快找到。` : `找到 ${matches.length} 个，点一下选择。`}
      </Text>
      {chosen && (
        <View className='admin-link' ariaRole='button' onClick={() => setSearching(false)}>
          <Text>不换了，还是{chosen.label}</Text>
        </View>
      )}
    </FormField>
  )
}
