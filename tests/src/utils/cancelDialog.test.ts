import { askToConfirm } from '../../../src/components/AppDialog'
import type { Appointment } from '../../../src/services/booking'
import { cancelDialogText, cancelledToast, confirmAndCancel } from '../../../src/utils/cancelDialog'
import { callFunction } from '../../../src/services/api'

// The dialog itself is drawn and tapped in tests/e2e/elderMode.e2e.test.ts and booking.e2e.test.ts.
jest.mock('../../../src/components/AppDialog', () => ({ askToConfirm: jest.fn() }))
jest.mock('../../../src/services/api', () => ({ callFunction: jest.fn() }))

const RULE = '网上退号请在 12月1日 08:00 前办理（就诊时段开始前 1 小时），签到后不能退号；退号后号源会立即放给其他患者。'

const booked: Appointment = {
  id: 'a1',
  status: 'booked',
  statusLabel: '已预约',
  patient: { id: 'p', name: '张秀英' },
  doctor: { id: 'd', name: '王芳', title: '主治医师' },
  department: { id: 'x', name: '皮肤科' },
  date: '2025-12-01',
  when: '12月1日 上午 09:00-09:30',
  window: '09:00-09:30',
  start: '2025-12-01T01:00:00.000Z',
  end: '2025-12-01T01:30:00.000Z',
  number: 3,
  comesIn: true,
  location: '门诊楼 3 楼 B 区',
  feeFen: 0,
  holdExpiresAt: null,
  arriveBy: '08:50',
  message: '',
  cancel: { allowed: true, until: '12月1日 08:00', rule: RULE },
  payment: null,
  notices: [],
  clinicStopped: null,
  queue: null,
  checkIn: null,
  preparation: '',
}

const askDialog = askToConfirm as jest.Mock
const call = callFunction as jest.Mock

describe('the cancel dialog', () => {
  beforeEach(() => {
    askDialog.mockReset()
    call.mockReset()
  })

  it('names the visit, states the rule and this appointment\'s deadline', () => {
    const { title, content } = cancelDialogText(booked)
    expect(title).toBe('确定取消这个预约吗？')
    expect(content).toBe(`张秀英：12月1日 上午 09:00-09:30 王芳医生。${RULE}这个预约最晚可在 12月1日 08:00 前取消。`)
  })

  it('tells an unpaid hold that cancelling costs nothing', () => {
    const { content } = cancelDialogText({ ...booked, status: 'pending_payment', cancel: { ...booked.cancel, until: null } })
    expect(content).not.toContain('最晚可在')
    expect(content).toContain('还没有支付，取消不产生任何费用。')
  })

  it('tells a paid booking when its money comes back, and only a paid one', () => {
    const paid = { ...booked, feeFen: 2500, payment: { paid: true, refund: null } }
    expect(cancelDialogText(paid).content).toBe(
      `张秀英：12月1日 上午 09:00-09:30 王芳医生。${RULE}这个预约最晚可在 12月1日 08:00 前取消。已付的挂号费会原路退回：当天预约当天取消（1:00-23:00）立即原路退款，其余情况在次日对账后退回。`,
    )
    expect(cancelDialogText({ ...paid, payment: { paid: false, refund: null } }).content).not.toContain('退款')
    expect(cancelDialogText(booked).content).not.toContain('退款')
  })

  it('says after cancelling whether money goes back', () => {
    const refund = { status: 'processing' as const, label: '退款处理中', sentence: '您已取消预约，挂号费将原路退回。', amountFen: 2500 }
    expect(cancelledToast({ ...booked, status: 'cancelled', payment: { paid: true, refund } })).toBe('已取消，挂号费将原路退回')
    expect(cancelledToast({ ...booked, status: 'cancelled' })).toBe('已取消，号源已放回')
  })

  it('cancels only after the patient confirms', async () => {
    askDialog.mockResolvedValueOnce(false)
    expect(await confirmAndCancel(booked)).toBeNull()
    expect(call).not.toHaveBeenCalled()

    const cancelled = { ...booked, status: 'cancelled' }
    askDialog.mockResolvedValueOnce(true)
    call.mockResolvedValueOnce({ appointment: cancelled })
    expect(await confirmAndCancel(booked)).toEqual(cancelled)
    expect(call).toHaveBeenCalledWith('booking', 'cancel', { appointmentId: 'a1' })
  })
})
