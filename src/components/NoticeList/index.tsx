// 医院公告 on the home page: each notice as its title, dates and first line; a tap opens the whole text
// in place (and closes it again), so a long 春节门诊安排 never pushes the departments away unasked.
import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import type { Notice } from '../../services/catalog'
import './index.scss'

function NoticeItem({ notice, open, onToggle }: { notice: Notice; open: boolean; onToggle: () => void }) {
  return (
    <View className='card notice-item' ariaRole='button' data-notice-id={notice.id} data-open={open ? 'true' : 'false'} onClick={onToggle}>
      <View className='notice-item-head'>
        <Text className='notice-item-title'>{notice.title}</Text>
        <Text className='caption notice-item-dates'>{notice.dates}</Text>
      </View>
      <Text className='notice-text notice-item-body'>{open ? notice.body : notice.preview}</Text>
      {notice.body !== notice.preview && <Text className='notice-item-more'>{open ? '收起' : '点此查看全文'}</Text>}
    </View>
  )
}

export function NoticeList({ notices }: { notices: Notice[] }) {
  const [openId, setOpenId] = useState<string>()
  if (notices.length === 0) return null
  return (
    <View className='home-section' id='home-notices'>
      <Text className='title'>医院公告</Text>
      {notices.map((notice) => (
        <NoticeItem key={notice.id} notice={notice} open={openId === notice.id} onToggle={() => setOpenId(openId === notice.id ? undefined : notice.id)} />
      ))}
    </View>
  )
}
