// 取消预约 asks first, in a dialog that states the rule and this appointment's own deadline (B4).
import Taro from '@tarojs/taro'
import { cancelAppointment, type Appointment } from '../services/booking'

/** The dialog's words: which visit, the rule (with the deadline), and what happens to the place. */
export function cancelDialogText(appointment: Appointment): { title: string; content: string } {
  const { when, doctor, patient, cancel, status } = appointment
  const visit = `${patient.name}：${when} ${doctor.name}医生。`
  const deadline = cancel.until ? `这个预约最晚可在 ${cancel.until} 前取消。` : ''
  const unpaid = status === 'pending_payment' ? '还没有支付，取消不产生任何费用。' : ''
  return { title: '确定取消这个预约吗？', content: `${visit}${cancel.rule}${deadline}${unpaid}` }
}

/** Asks, then cancels; resolves with the cancelled appointment, or null if the patient kept it. Throws ApiError. */
export async function confirmAndCancel(appointment: Appointment): Promise<Appointment | null> {
  const { title, content } = cancelDialogText(appointment)
  const { confirm } = await Taro.showModal({ title, content, confirmText: '确认取消', cancelText: '再想想' })
  if (!confirm) return null
  return cancelAppointment(appointment.id)
}
