// The time an unpaid hold has left: "请在 09:40 前完成支付" and a live mm:ss, then "已超时，号源已释放".
import { Text, View } from '@tarojs/components'
import { useCountdown } from '../../hooks/useCountdown'
import { formatClockIn } from '../../utils/countdown'
import './index.scss'

interface Props {
  holdExpiresAt: string
  /** Once, when the time is up: the caller reads the appointment again (it is expired by then). */
  onExpire?: () => void
  compact?: boolean
}

export function HoldCountdown({ holdExpiresAt, onExpire, compact = false }: Props) {
  const { text, done } = useCountdown(holdExpiresAt, onExpire)
  if (done) {
    return (
      <View className='status-box status-box-alert hold-countdown hold-countdown-done' data-done='true'>
        <Text className='hold-countdown-line'>已超时，号源已释放</Text>
      </View>
    )
  }
  return (
    <View className={`status-box hold-countdown${compact ? ' status-box-compact hold-countdown-compact' : ''}`} data-done='false'>
      <Text className='hold-countdown-line'>请在 {formatClockIn(holdExpiresAt)} 前完成支付</Text>
      <Text className='hold-countdown-clock'>
        还剩 <Text className='hold-countdown-time'>{text}</Text>
      </Text>
    </View>
  )
}
