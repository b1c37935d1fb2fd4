// Words staff see for the stored codes; the option lists mirror the admin function's schemas.
import type { Period } from '../services/adminApi'

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7]
export const WEEKDAY_LABELS: Record<number, string> = { 1: '周一', 2: '周二', 3: '周三', 4: '周四', 5: '周五', 6: '周六', 7: '周日' }

export const PERIODS: Period[] = ['morning', 'afternoon', 'evening']
export const PERIOD_LABELS: Record<string, string> = { morning: '上午', afternoon: '下午', evening: '夜间' }
/** What a new session of each period starts with; staff adjust from there. */
export const PERIOD_DEFAULT_TIMES: Record<Period, { startTime: string; endTime: string }> = {
  morning: { startTime: '08:00', endTime: '12:00' },
  afternoon: { startTime: '13:30', endTime: '17:00' },
  evening: { startTime: '18:00', endTime: '21:00' },
}

export const DOCTOR_TITLES = ['主任医师', '副主任医师', '主治医师', '住院医师']
export const FEE_CLASSES = ['普通', '专家', '特需']

export const options = (values: readonly (string | number)[], labels?: Record<string, string>) =>
  values.map((value) => ({ value: String(value), label: labels?.[value] ?? String(value) }))
