// How long an unpaid hold has left, and the clock time it ends, the way the app shows them.

/** The demo hospital's zone (catalog `hospital.timeZone`); deadlines read in hospital time wherever the phone is. */
export const HOSPITAL_TIME_ZONE = 'Asia/Shanghai'

/** Milliseconds from `now` until `deadline` (ISO), never below zero. */
export function msUntil(deadline: string, now: number): number {
  return Math.max(0, Date.parse(deadline) - now)
}

/** 9:59.4 left -> "10:00" (rounded up, so 00:00 shows only once the time is really up); past -> "00:00". */
export function formatCountdown(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000))
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(Math.floor(seconds / 60))}:${pad(seconds % 60)}`
}

const clockFormats = new Map<string, Intl.DateTimeFormat>()

function clockFormat(timeZone: string): Intl.DateTimeFormat | null {
  if (!clockFormats.has(timeZone)) {
    try {
      clockFormats.set(timeZone, new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }))
    } catch {
      return null
    }
  }
  return clockFormats.get(timeZone) ?? null
}

/**
 * "09:05" for an ISO instant, in the hospital's zone. Some older WeChat runtimes ship Intl without
 * time-zone data; there the phone's own clock is used, which is the hospital's for nearly every patient.
 */
export function formatClockIn(iso: string, timeZone: string = HOSPITAL_TIME_ZONE): string {
  const date = new Date(iso)
  const format = clockFormat(timeZone)
  if (format) return format.format(date)
  const pad = (value: number) => String(value).padStart(2, '0')
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`
}
