// A live countdown to an ISO deadline, re-rendering twice a second so the seconds never stall.
import { useEffect, useRef, useState } from 'react'
import { formatCountdown, msUntil } from '../utils/countdown'

const TICK_MS = 500

export interface Countdown {
  /** mm:ss left, "00:00" once over. */
  text: string
  done: boolean
}

/** Calls `onDone` once when the deadline passes (at once if it already has). */
export function useCountdown(deadline: string | null, onDone?: () => void): Countdown {
  const [now, setNow] = useState(() => Date.now())
  const doneFor = useRef<string | null>(null)
  const latestOnDone = useRef(onDone)
  useEffect(() => {
    latestOnDone.current = onDone
  }, [onDone])

  const left = deadline ? msUntil(deadline, now) : 0
  const done = deadline !== null && left === 0

  useEffect(() => {
    if (!deadline || done) return
    const timer = setInterval(() => setNow(Date.now()), TICK_MS)
    return () => clearInterval(timer)
  }, [deadline, done])

  useEffect(() => {
    if (!done || doneFor.current === deadline) return
    doneFor.current = deadline
    latestOnDone.current?.()
  }, [done, deadline])

  return { text: formatCountdown(left), done }
}
