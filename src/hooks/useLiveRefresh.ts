// Keeps a page's numbers fresh while the patient is looking at it (C3), and costs nothing once it is
// hidden: another page on top, the app in the background, or (H5) the browser tab out of view.
import { useEffect, useRef, useState } from 'react'
import { useDidHide, useDidShow } from '@tarojs/taro'

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
 * Calls `refresh` at once whenever the page becomes visible (and `enabled`), then again every
 * `intervalMs` measured from the start of the previous call; never two calls at a time.
 * `refresh` shows its own failures; the loop only logs what it could not show, and carries on.
 */
export function useLiveRefresh(refresh: () => Promise<void>, intervalMs: number, enabled: boolean): void {
  const visible = usePageVisible()
  const latest = useRef(refresh)
  useEffect(() => {
    latest.current = refresh
  }, [refresh])

  useEffect(() => {
    if (!visible || !enabled) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const tick = async () => {
      const started = Date.now()
      await latest.current().catch((e: unknown) => console.error('[live refresh] refresh failed', e))
      if (stopped) return
      timer = setTimeout(() => void tick(), Math.max(0, intervalMs - (Date.now() - started)))
    }
    void tick()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [visible, enabled, intervalMs])
}
