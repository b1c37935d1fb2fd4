// 消息设置: which reminders this account gets, the day-before reminder on or off, and (weapp) turning on
// the long-term WeChat notices once. The message center keeps every message whatever is chosen here.
import { useCallback, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { showNotice } from '../../../components/AppDialog'
import { PageShell } from '../../../components/PageShell'
import { SettingCard, SwitchPill } from '../../../components/SettingCard'
import { askConsent, fetchMessageSettings, setReminders, type MessageSettings } from '../../../services/messages'
import { usePageData } from '../../../store/usePageData'
import { errorMessage } from '../../../utils/errorMessage'

const EVENT_LABELS: Record<string, string> = {
  booking_confirmed: '预约成功',
  proxy_booked: '家人替您预约',
  proxy_cancelled: '家人替您取消',
  payment_closing: '支付快到时间',
  refund_underway: '退款处理中',
  refund_completed: '退款到账',
  visit_reminder: '就诊前一天提醒',
  visit_day_reminder: '就诊当天早上提醒',
  cancelled: '取消预约',
  stop_clinic: '医生停诊',
}

function templateLine(template: MessageSettings['templates'][number]): string {
  if (template.kind === 'long') return template.subscribed ? '微信通知已打开' : '微信通知未打开'
  return template.quota > 0 ? `还可发 ${template.quota} 次微信通知` : '下次预约或支付时会问您是否接收'
}

export default function MessageSettingsPage() {
  const load = useCallback(() => fetchMessageSettings(), [])
  const { data, error, reload, setData } = usePageData(load)
  const [saving, setSaving] = useState(false)
  const longPrompt = data?.prompts.find((prompt) => prompt.kind === 'long')
  const isWeapp = process.env.TARO_ENV === 'weapp'

  const toggleReminders = async () => {
    if (!data || saving) return
    setSaving(true)
    try {
      setData(await setReminders(!data.reminders))
    } catch (e) {
      showNotice(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }

  const turnOnLongTerm = async () => {
    if (!longPrompt) return
    // Inside the tap, as WeChat requires; the answer is recorded before the page reads it again.
    await (await askConsent(longPrompt.templateIds)).reported
    await reload()
  }

  return (
    <PageShell>
      {error && (
        <View className='card'>
          <Text className='notice-text'>{error}</Text>
        </View>
      )}
      {data && (
        <SettingCard
          id='message-reminders-switch'
          role='switch'
          checked={data.reminders}
          spokenLabel={`就诊前一天提醒，${data.reminders ? '已打开' : '已关闭'}`}
          title='就诊前一天提醒'
          captions={[data.reminders ? '就诊前一天傍晚提醒您时间、地点和要带的东西。' : '已关闭。提醒仍会出现在“消息”里，只是不再发微信通知。']}
          onTap={() => void toggleReminders()}
        >
          <SwitchPill on={data.reminders} />
        </SettingCard>
      )}
      {data && data.templates.length > 0 && (
        <View className='card' id='message-templates'>
          <Text className='title'>会收到的消息</Text>
          {data.templates.map((template) => (
            <Text key={template.event} className='caption' data-event={template.event}>
              {EVENT_LABELS[template.event] ?? template.event}：{isWeapp ? templateLine(template) : '在“消息”里查看'}
            </Text>
          ))}
        </View>
      )}
      {isWeapp && longPrompt && (
        <Button ariaRole='button' className='btn btn-secondary' id='message-long-term' onClick={() => void turnOnLongTerm()}>
          打开长期微信通知
        </Button>
      )}
      {!isWeapp && (
        <View className='card'>
          <Text className='caption'>网页版不能发微信通知，所有消息都在“我的 &gt; 消息”里。</Text>
        </View>
      )}
    </PageShell>
  )
}
