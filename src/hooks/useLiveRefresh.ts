// Keeps a page's numbers fresh while the patient is looking at it (C3), and costs nothing once it is
// hidden: another page on top, the app in the background, or (H5) the browser tab out of view.
import { useEffect, useRef, useState } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'
import { createRefreshLoop } from './refreshLoop'

function documentHidden(): boolean {
  return process.env.TARO_ENV === 'h5' && typeof document !== 'undefined' && document.hidden
}

/** True while this page is the one on screen. */
export function usePageVisible(): boolean {
  const [pageShown, setPageShown] = useState(true)
  const [tabHidden, setTabHidden] = useState(documentHidden)
  useDidShow(() => setPageShown(true))
  useDidHide(() => setPageShown(false))
  useEffect(() => {
    if (process.env.TARO_ENV !== 'h5') return
    const onChange = () => setTabHidden(document.hidden)
    document.addEventListener('visibilitychange', onChange)
    return () => document.removeEventListener('visibilitychange', onChange)
  }, [])
  return pageShown && !tabHidden
}

/**
 * Calls `refresh` at once whenever the page becomes visible (and `enabled`), then again `nextDelay()`
 * ms after the start of the previous call (read after each call, so it can follow what came back);
 * never two calls at a time, none while hidden.
 */
export function useLiveRefresh(refresh: () => Promise<void>, nextDelay: () => number, enabled: boolean): void {
  const visible = usePageVisible()
  const latest = useRef({ refresh, nextDelay })
  useEffect(() => {
    latest.current = { refresh, nextDelay }
  }, [refresh, nextDelay])

  useEffect(() => {
    const loop = createRefreshLoop(
      () => latest.current.refresh(),
      () => latest.current.nextDelay(),
    )
    loop.setVisible(visible && enabled)
    return () => loop.stop()
  }, [visible, enabled])
}
