// The privacy notice in plain Chinese, point by point (what, why, who, how long, how to delete): the short form
// before the first card (add page) and the full text under 我的. The words live in @domain/privacyNotice with
// the version the server records.
import { Text, View } from '@tarojs/components'
import type { PrivacyPoint } from '@domain/privacyNotice'
import './index.scss'

export function PrivacyPoints({ points }: { points: readonly PrivacyPoint[] }) {
  return (
    <View className='privacy-points'>
      {points.map((point) => (
        <View key={point.label} className='privacy-point'>
          <Text className='privacy-label'>{point.label}</Text>
          <Text className='notice-text'>{point.text}</Text>
        </View>
      ))}
    </View>
  )
}
