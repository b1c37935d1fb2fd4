// 消息发送情况: per day how many messages were made, sent as WeChat notices, refused (no consent, turned off,
// or refused by WeChat) and given up after retries, and the last errors WeChat answered, so staff can see
// when reminders stop reaching patients.
import { useEffect, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import type { ApiError } from '../../../services/api'
import { formatDateTime } from '../../../utils/formatDateTime'
import { AdminNotice } from '../../components/AdminNotice'
import { toApiError } from '../../hooks/useOverview'
import { fetchMessageStats, type MessageStats } from '../../services/adminApi'
import { useUser } from '../../../store/UserContext'
import '../../components/admin.scss'
import './index.scss'

const COLUMNS: { key: 'queued' | 'sent' | 'refused' | 'failed' | 'waiting'; label: string }[] = [
  { key: 'queued', label: '产生' },
  { key: 'sent', label: '已发送' },
  { key: 'refused', label: '未发送' },
  { key: 'failed', label: '失败' },
  { key: 'waiting', label: '待发送' },
]

export default function AdminMessagesPage() {
  const { status } = useUser()
  const [stats, setStats] = useState<MessageStats>()
  const [error, setError] = useState<ApiError>()
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    if (status !== 'ready') return
    let current = true
    fetchMessageStats(7).then(
      (found) => {
        if (current) setStats(found)
      },
      (e: unknown) => {
        if (current) setError(toApiError(e))
      },
    )
    return () => {
      current = false
    }
  }, [status, attempt])
  const retry = () => {
    setError(undefined)
    setAttempt(attempt + 1)
  }

  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={retry} />}
      {!stats && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {stats && (
        <View className='card' id='message-stats'>
          <Text className='title'>最近 7 天的消息</Text>
          <Text className='caption'>“未发送”是患者没有订阅、关闭了提醒或被微信拒收的，这些消息仍在患者的“消息”里；“失败”是多次重试后仍没发出去的。</Text>
          <View className='message-stats-row message-stats-head'>
            <Text className='message-stats-date'>日期</Text>
            {COLUMNS.map((column) => (
              <Text key={column.key} className='message-stats-cell'>
                {column.label}
              </Text>
            ))}
          </View>
          {stats.days.map((day) => (
            <View key={day.date} className='message-stats-row' id={`message-stats-${day.date}`}>
              <Text className='message-stats-date'>{day.date.slice(5)}</Text>
              {COLUMNS.map((column) => (
                <Text key={column.key} className='message-stats-cell' data-figure={column.key}>
                  {day[column.key]}
                </Text>
              ))}
            </View>
          ))}
        </View>
      )}
      {stats && (
        <View className='card' id='message-errors'>
          <Text className='title'>最近的发送错误</Text>
          {stats.lastErrors.length === 0 && <Text className='caption'>最近没有发送错误。</Text>}
          {stats.lastErrors.map((entry, index) => (
            <View key={`${entry.at}-${index}`} className='message-error'>
              <Text className='caption'>
                {formatDateTime(entry.at)} · {entry.event} · 错误码 {entry.errcode}
              </Text>
              <Text className='notice-text'>{entry.errmsg}</Text>
            </View>
          ))}
        </View>
      )}
    </PageShell>
  )
}
