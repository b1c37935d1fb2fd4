// One card, one tap target: a setting with its on/off pill (长辈模式, 就诊前一天提醒) or a row that opens a page.
import type { ReactNode } from 'react'
import { Text, View } from '@tarojs/components'
import './index.scss'

interface SettingCardProps {
  id: string
  title: string
  /** Lines under the title; empty ones are left out. */
  captions: Array<string | false | undefined>
  role: 'switch' | 'button'
  /** What a screen reader says for the whole card (named so Taro's compiler leaves it alone: it renames aria* props). */
  spokenLabel?: string
  /** For a switch: whether it is on, told to screen readers. */
  checked?: boolean
  onTap: () => void
  /** What stands on the right: the pill, a badge, an arrow. */
  children?: ReactNode
}

export function SettingCard({ id, title, captions, role, spokenLabel, checked, onTap, children }: SettingCardProps) {
  return (
    <View
      className='card setting-card'
      id={id}
      ariaRole={role}
      ariaLabel={spokenLabel}
      aria-checked={checked === undefined ? undefined : checked ? 'true' : 'false'}
      onClick={onTap}
    >
      <View className='setting-card-text'>
        <Text className='title'>{title}</Text>
        {captions.filter(Boolean).map((caption) => (
          <Text key={caption as string} className='caption'>
            {caption}
          </Text>
        ))}
      </View>
      {children}
    </View>
  )
}

/** The on/off state of a switch card. */
export function SwitchPill({ on }: { on: boolean }) {
  return (
    <View className={`switch-pill ${on ? 'switch-pill-on' : ''}`}>
      <View className='switch-pill-knob' />
    </View>
  )
}
