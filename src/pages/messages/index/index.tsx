// 消息: every message the hospital sent this account (booking confirmed, payment closing, refunds,
// reminders, cancellations), newest first, each with a way to its appointment and whether a WeChat
// notice also went out. On H5 this is the only channel. Opening the page marks what it shows as read.
import { useCallback, useEffect, useRef } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { listMessages, markRead, type Message } from '../../../services/messages'
import { usePageData } from '../../../store/usePageData'
import { formatDateTime } from '../../../utils/formatDateTime'
import { MESSAGE_SETTINGS_PAGE } from '../../../routes'
import './index.scss'

function noticeLine(message: Message): string {
  if (process.env.TARO_ENV === 'h5') return ''
  if (message.noticeSent) return '已同时发送微信通知'
  if (message.wechat === 'pending' || message.wechat === 'sending') return '微信通知正在发送'
  return '仅在这里提醒（没有发微信通知）'
}

function MessageCard({ message }: { message: Message }) {
  const notice = noticeLine(message)
  const open = () => void Taro.navigateTo({ url: message.page.startsWith('/') ? message.page : `/${message.page}` })
  return (
    <View className={`card message-card${message.read ? '' : ' message-unread'}`} id={`message-${message.id}`} data-event={message.event}>
      <View className='message-head'>
        <Text className='title message-title'>{message.title}</Text>
        {!message.read && <Text className='message-dot'>新</Text>}
      </View>
      <Text className='caption message-time'>{formatDateTime(message.at)}</Text>
      <Text className='notice-text message-text'>{message.text}</Text>
      {notice && <Text className='caption message-notice' data-notice-sent={String(message.noticeSent)}>{notice}</Text>}
      {message.appointmentId && (
        <Button ariaRole='button' className='btn btn-secondary message-open' onClick={open}>
          查看预约
        </Button>
      )}
    </View>
  )
}

export default function MessagesPage() {
  const load = useCallback(() => listMessages(), [])
  const { data, error, reload } = usePageData(load)
  const marking = useRef(new Set<string>())

  // Read once shown: the cards keep their 新 mark until the next visit, so the person sees what was new.
  useEffect(() => {
    const unread = (data?.messages ?? []).filter((message) => !message.read && !marking.current.has(message.id)).map((message) => message.id)
    if (unread.length === 0) return
    unread.forEach((id) => marking.current.add(id))
    markRead(unread).catch(() => unread.forEach((id) => marking.current.delete(id)))
  }, [data])

  return (
    <PageShell>
      {error && (
        <View className='card'>
          <Text className='notice-text'>{error}</Text>
          <Button ariaRole='button' className='btn btn-secondary' onClick={() => void reload()}>
            再试一次
          </Button>
        </View>
      )}
      {data && data.messages.length === 0 && (
        <View className='card' id='messages-empty'>
          <Text className='notice-text'>还没有消息。预约、支付、退款和就诊前一天的提醒都会出现在这里。</Text>
        </View>
      )}
      {data?.messages.map((message) => <MessageCard key={message.id} message={message} />)}
      <Button ariaRole='button' className='btn btn-secondary' id='messages-open-settings' onClick={() => void Taro.navigateTo({ url: MESSAGE_SETTINGS_PAGE })}>
        消息设置
      </Button>
    </PageShell>
  )
}
