// Clock arithmetic for the template and extra-slot forms, on 'HH:mm' strings of the hospital's day.

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/
const MINUTES_PER_DAY = 24 * 60

export function isTimeOfDay(text: string): boolean {
  return TIME.test(text)
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number)
  return hours * 60 + minutes
}

/** "11:45" + 30 -> "12:15"; wraps past midnight ("23:50" + 20 -> "00:10"). */
export function addMinutes(time: string, minutes: number): string {
  const total = (((minutesOf(time) + minutes) % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`
}

/**
 * How many windows and places a session makes, as the slot generator cuts it: windows of
 * `slotMinutes`, the last one possibly shorter but with full places; an evening may end after
 * midnight. Undefined while the form holds something that is not yet a valid session.
 */
export function sessionSize(input: {
  period: string
  startTime: string
  endTime: string
  slotMinutes: number
  placesPerSlot: number
}): { windows: number; places: number } | undefined {
  const { period, startTime, endTime, slotMinutes, placesPerSlot } = input
  if (!isTimeOfDay(startTime) || !isTimeOfDay(endTime) || !(slotMinutes > 0) || !(placesPerSlot > 0)) return undefined
  let length = minutesOf(endTime) - minutesOf(startTime)
  if (length <= 0 && period === 'evening' && startTime !== endTime) length += MINUTES_PER_DAY
  if (length <= 0) return undefined
  const windows = Math.ceil(length / slotMinutes)
  return { windows, places: windows * placesPerSlot }
}

/** True when both are times of day and `end` is later the same day (an extra slot or a desk place never crosses midnight). */
export function endsAfter(start: string, end: string): boolean {
  return isTimeOfDay(start) && isTimeOfDay(end) && minutesOf(end) > minutesOf(start)
}
