// A page's data from the backend: loaded once the user is logged in, again for another user, and
// again each time the page comes back into view (another page may have changed it meanwhile).
import { useCallback, useEffect, useRef, useState } from 'react'
import { useDidShow } from '@tarojs/taro'
import { errorMessage } from '../utils/errorMessage'
import { useUser } from './UserContext'

export interface PageData<T> {
  data: T | undefined
  /** A sentence for the user when the last load failed. */
  error: string | undefined
  reload: () => Promise<void>
  /** For actions whose answer is the page's new data (e.g. setDefault returns the new list). */
  setData: (data: T) => void
}

/** `load` must be stable (useCallback): a new function means new data. */
export function usePageData<T>(load: () => Promise<T>): PageData<T> {
  const { status, user } = useUser()
  const userId = status === 'ready' ? user?.id : undefined
  // Tagged with the user it belongs to, so a switch of identity never shows the previous user's cards.
  const [state, setState] = useState<{ userId: string; data?: T; error?: string }>()
  const shown = useRef(false)

  const reload = useCallback(async () => {
    if (!userId) return
    try {
      const data = await load()
      setState({ userId, data })
    } catch (e) {
      setState((previous) => ({ userId, data: previous?.userId === userId ? previous.data : undefined, error: errorMessage(e) }))
    }
  }, [load, userId])

  useEffect(() => {
    void reload()
  }, [reload])

  useDidShow(() => {
    // The first show is the mount, already loading above.
    if (shown.current) void reload()
    shown.current = true
  })

  const setData = useCallback((data: T) => {
    if (userId) setState({ userId, data })
  }, [userId])

  const current = state?.userId === userId ? state : undefined
  return { data: current?.data, error: current?.error, reload, setData }
}
