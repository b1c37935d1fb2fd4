// The unread count of the message center, read each time a tab page shows, and put on the 我的 tab as a
// badge. A badge is a courtesy: any failure leaves it as it was.
import { useCallback, useEffect, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { unreadCount } from '../services/messages'
import { useUser } from '../store/UserContext'

const ME_TAB_INDEX = 2

function showOnTab(count: number): void {
  const done = () => undefined
  if (count > 0) Taro.setTabBarBadge({ index: ME_TAB_INDEX, text: count > 99 ? '99+' : String(count) }).catch(done)
  else Taro.removeTabBarBadge({ index: ME_TAB_INDEX }).catch(done)
}

/** Call from tab pages only (WeChat refuses tab badges elsewhere). */
export function useUnreadBadge(): number {
  const { status, user } = useUser()
  const [count, setCount] = useState(0)
  const ready = status === 'ready' && Boolean(user)
  const refresh = useCallback(() => {
    if (!ready) return
    void unreadCount().then((unread) => {
      setCount(unread)
      showOnTab(unread)
    })
  }, [ready])
  useDidShow(refresh)
  // The first show may come before login finishes: read again once the user is known.
  useEffect(() => {
    if (!ready) return
    void unreadCount().then((unread) => {
      setCount(unread)
      showOnTab(unread)
    })
  }, [ready, user?.id])
  return count
}
