// A stand-in for the `booking` cloud function: one unpaid hold and one booked visit, answered as the API says.
import type { CloudCall } from './wxStubs'

const base = {
  patient: { id: 'p1', name: '张秀英' },
  department: { id: 'dep1', name: '皮肤科' },
  location: '门诊楼 3 楼 B 区',
  arriveBy: '08:50',
  cancel: { allowed: true, until: '12月1日 08:00', rule: '网上退号请在 12月1日 08:00 前办理（就诊时段开始前 1 小时），签到后不能退号；退号后号源会立即放给其他患者。' },
}

/** Created per load, so the hold is always about nine minutes from expiring. */
export function demoAppointments() {
  const holdExpiresAt = new Date(Date.now() + 9 * 60_000 + 30_000).toISOString()
  return [
    {
      ...base,
      id: 'apt-pending',
      status: 'pending_payment',
      statusLabel: '待支付',
      doctor: { id: 'doc1', name: '龚秀英', title: '主任医师' },
      date: '2025-12-02',
      when: '12月2日 上午 09:00-09:30',
      window: '09:00-09:30',
      start: '2025-12-02T01:00:00.000Z',
      end: '2025-12-02T01:30:00.000Z',
      number: 4,
      feeFen: 8000,
      holdExpiresAt,
      payment: { paid: false, refund: null },
      message: '已为您保留 龚医生 12月2日 09:00-09:30 的号，请在支付截止前完成支付，超时号源会自动释放。',
      cancel: { ...base.cancel, until: null },
    },
    {
      ...base,
      id: 'apt-booked',
      status: 'booked',
      statusLabel: '已预约',
      doctor: { id: 'doc2', name: '王芳', title: '住院医师' },
      date: '2025-12-01',
      when: '12月1日 上午 09:00-09:30',
      window: '09:00-09:30',
      start: '2025-12-01T01:00:00.000Z',
      end: '2025-12-01T01:30:00.000Z',
      number: 3,
      feeFen: 0,
      holdExpiresAt: null,
      payment: null,
      message: '已为您预约 王医生 12月1日 09:00-09:30，请提前 10 分钟到门诊楼 3 楼 B 区候诊。',
    },
  ]
}

export function bookingFunction(call: CloudCall, appointments = demoAppointments()) {
  const { action, appointmentId } = call.data
  if (action === 'list') return { ok: true, data: { appointments } }
  if (action === 'get') {
    const appointment = appointments.find((entry) => entry.id === appointmentId)
    return appointment ? { ok: true, data: { appointment } } : { ok: false, code: 'NOT_FOUND', message: '没有找到这个预约，请返回预约记录再看看。', requestId: 'req-3' }
  }
  return { ok: false, code: 'UNKNOWN_ACTION', message: '暂不支持这个操作', requestId: 'req-4' }
}
