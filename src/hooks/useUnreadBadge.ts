// The unread count of the message center, read each time 我的 shows, for the badge on its 消息 entry.
// Not on the tab bar: the stock tab badge is 12 px at 3.89:1 (below U1 in elder mode), and the weapp
// custom tab bar does not take setTabBarBadge.
import { useCallback, useEffect, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { unreadCount } from '../services/messages'
import { useUser } from '../store/UserContext'

export function useUnreadBadge(): number {
  const { status, user } = useUser()
  const [count, setCount] = useState(0)
  const ready = status === 'ready' && Boolean(user)
  const refresh = useCallback(() => {
    if (ready) void unreadCount().then(setCount)
  }, [ready])
  useDidShow(refresh)
  // The first show may come before login finishes: read again once the user is known.
  useEffect(refresh, [refresh, user?.id])
  return count
}
