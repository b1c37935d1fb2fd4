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
