// Dates and times the way people say them: 11月29日 09:30.
import dayjs from 'dayjs'

export function formatDateTime(iso: string): string {
  return dayjs(iso).format('M月D日 HH:mm')
}

export function formatDate(iso: string): string {
  return dayjs(iso).format('YYYY年M月D日')
}
