// Dates are calendar days in the hospital's time zone, whatever zone the phone is in.
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

/** The fortnight patients can see: today and the 13 days after it. */
export function defaultGenerateRange(now: Date, timeZone: string): { from: string; to: string } {
  const today = dayjs(now).tz(timeZone)
  return { from: today.format('YYYY-MM-DD'), to: today.add(13, 'day').format('YYYY-MM-DD') }
}

/** Today's date in the hospital's zone. */
export function hospitalToday(now: Date, timeZone: string): string {
  return dayjs(now).tz(timeZone).format('YYYY-MM-DD')
}

/** Reconciliation looks at a finished day: yesterday, in the hospital's zone. */
export function defaultReconciliationDate(now: Date, timeZone: string): string {
  return dayjs(now).tz(timeZone).subtract(1, 'day').format('YYYY-MM-DD')
}

/** A real calendar date written 'YYYY-MM-DD' (a page query may carry anything). */
export function isCalendarDate(text: string | undefined): text is string {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  return dayjs(text).format('YYYY-MM-DD') === text
}

/** A new 公告 shows from today for a week (the last day included) unless staff choose otherwise. */
export function defaultNoticeDates(now: Date, timeZone: string): { from: string; until: string } {
  const today = dayjs(now).tz(timeZone)
  return { from: today.format('YYYY-MM-DD'), until: today.add(7, 'day').format('YYYY-MM-DD') }
}
