// A stand-in for the `catalog` function, answering as docs/API.md says: departments, and one doctor
// (龚秀英, 皮肤科) whose schedule has a released morning, a full afternoon and a day not yet released.
import type { CloudCall } from './wxStubs'

const department = (id: string, name: string, parentId: string | null, common = false) => ({
  id,
  parentId,
  name,
  intro: `${name}门诊`,
  common,
  locationId: 'opd-2f',
})

export const demoDepartments = [
  department('d0', '内科', null),
  department('d1', '心血管内科', 'd0', true),
  department('d2', '呼吸内科', 'd0'),
  department('d3', '皮肤性病科', null),
  department('d4', '皮肤科', 'd3', true),
]

const doctor = {
  id: 'doc1',
  departmentId: 'd4',
  name: '龚秀英',
  title: '主任医师',
  specialty: '银屑病、白癜风',
  intro: '从事皮肤科临床工作三十余年。',
  feeClass: '专家',
  feeFen: 8000,
}

const slot = (id: string, window: string, remaining: number, opensAtLabel: string | null = null) => ({
  id,
  start: '2025-11-29T01:00:00.000Z',
  end: '2025-11-29T01:30:00.000Z',
  window,
  capacity: 3,
  remaining,
  bookable: remaining > 0 && !opensAtLabel,
  opensAt: opensAtLabel ? '2025-11-29T23:00:00.000Z' : null,
  opensAtLabel,
  extra: false,
})

const session = (scheduleId: string, period: string, label: string, slots: ReturnType<typeof slot>[]) => ({
  scheduleId,
  period,
  label,
  status: 'open',
  locationId: 'opd-6a',
  feeFen: 8000,
  remaining: slots.reduce((sum, entry) => sum + entry.remaining, 0),
  slots,
})

/** The places left in the first morning slot; a test changes it to play a booking made elsewhere. */
export const liveCounts = { firstSlotRemaining: 3 }

function schedules() {
  return {
    doctor,
    from: '2025-11-29',
    to: '2025-12-12',
    days: [
      {
        date: '2025-11-29',
        label: '11月29日 周六',
        periods: [
          session('s1', 'morning', '上午', [slot('a1', '08:00-08:30', liveCounts.firstSlotRemaining), slot('a2', '08:30-09:00', 3)]),
          session('s2', 'afternoon', '下午', [slot('b1', '13:30-14:00', 0)]),
        ],
      },
      {
        date: '2025-12-07',
        label: '12月7日 周日',
        periods: [session('s3', 'morning', '上午', [slot('c1', '08:00-08:30', 3, '11月30日 07:00 放号')])],
      },
    ],
  }
}

const hospital = {
  name: '医约示范医院',
  timeZone: 'Asia/Shanghai',
  campuses: [{ id: 'main', name: '本部', address: '示范路 100 号', locations: [{ id: 'opd-6a', name: '门诊楼 6 楼 A 区' }] }],
}

const explanation = {
  summary: '每天 07:00 放出第 7 天的号，可以预约今天起 7 天内的号。',
  example: '今天是 11月29日，现在最远可以约到 12月6日；12月7日的号将在明天 07:00 放出。',
  details: ['每个时段开始前 30 分钟停止预约，请留出路上的时间。'],
}

function answer(action: unknown, data: Record<string, unknown>) {
  switch (action) {
    case 'departments': {
      const { keyword } = data
      return { departments: typeof keyword === 'string' ? demoDepartments.filter((entry) => entry.name.includes(keyword)) : demoDepartments }
    }
    case 'hospital':
      return { hospital }
    case 'doctor':
      return data.doctorId === doctor.id ? { doctor, department: demoDepartments[4] } : undefined
    case 'rules':
      return { rules: { daysAhead: 7, releaseTime: '07:00', sameDayCutoff: null, closeMinutesBefore: 30 }, explanation }
    case 'schedules':
      return data.doctorId === doctor.id ? schedules() : undefined
    default:
      return undefined
  }
}

export function catalogFunction(call: CloudCall) {
  const data = call.name === 'catalog' ? answer(call.data.action, call.data) : undefined
  if (!data) return { ok: false, code: 'NOT_FOUND', message: '没有找到您要的内容', requestId: 'req-3' }
  return { ok: true, data }
}
