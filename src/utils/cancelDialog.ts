// 取消预约 asks first, in a dialog that states the rule, this appointment's own deadline and, when
// it is paid, when the money comes back (B4, Y4).
import { askToConfirm } from '../components/AppDialog'
import { cancelAppointment, type Appointment } from '../services/booking'
import { REFUND_RULE } from './paymentText'

/** The dialog's words: which visit, the rule (with the deadline), and what happens to the place. */
export function cancelDialogText(appointment: Appointment): { title: string; content: string } {
  const { when, doctor, patient, cancel, status } = appointment
  const visit = `${patient.name}：${when} ${doctor.name}医生。`
  const deadline = cancel.until ? `这个预约最晚可在 ${cancel.until} 前取消。` : ''
  const unpaid = status === 'pending_payment' ? '还没有支付，取消不产生任何费用。' : ''
  const refund = status === 'booked' && appointment.payment?.paid ? `已付的挂号费会原路退回：${REFUND_RULE}` : ''
  return { title: '确定取消这个预约吗？', content: `${visit}${cancel.rule}${deadline}${unpaid}${refund}` }
}

/** The toast after 取消预约: a paid one also hears that the money goes back. */
export const cancelledToast = (cancelled: Appointment) => (cancelled.payment?.refund ? '已取消，挂号费将原路退回' : '已取消，号源已放回')

/** Asks, then cancels; resolves with the cancelled appointment, or null if the patient kept it. Throws ApiError. */
export async function confirmAndCancel(appointment: Appointment): Promise<Appointment | null> {
  const { title, content } = cancelDialogText(appointment)
  // The app's own dialog: it follows elder mode, which the stock modal cannot (U1).
  if (!(await askToConfirm({ title, content, confirmText: '确认取消', cancelText: '再想想' }))) return null
  return cancelAppointment(appointment.id)
}
