// What a slip may say in each state: only a place that is still going ahead tells anyone to come in,
// and a refund is spoken of in the right tense (将原路退回 while it runs, 已原路退回 once the money is back).
import type { RefundReason, RefundStatus } from '../payment/payments';
import type { AppointmentStatus } from './appointmentStatus';

/** States in which the patient is still expected at the hospital: number, arrival time and check-in apply. */
export function comesIn(status: AppointmentStatus | 'holding' | 'failed'): boolean {
  return status === 'booked' || status === 'pending_payment' || status === 'checked_in';
}

const WHY: Record<RefundReason, string> = {
  cancelled: '您已取消预约，',
  late_payment: '支付完成时预约已超过保留时间，号源已释放，',
  his_refused: '医院系统未能确认这次挂号，预约已取消，',
  his_unavailable: '医院系统一直没有确认这次挂号，预约已取消，',
  reconciliation: '对账发现这笔挂号费没有对应的挂号，',
  clinic_stopped: '医生停诊，预约已由医院取消，',
};

const AFTER: Partial<Record<RefundReason, string>> = {
  late_payment: '，请重新预约。',
  his_refused: '。给您添麻烦了。',
  his_unavailable: '。给您添麻烦了。',
  clinic_stopped: '。给您添麻烦了。',
};

/** Why the money goes back and where it is, in the tense of the refund's progress. */
export function refundSentence(reason: RefundReason, status: RefundStatus): string {
  const where =
    status === 'succeeded' ? '挂号费已原路退回' : status === 'failed' ? '挂号费的退款遇到了问题，工作人员会尽快与您联系' : '挂号费将原路退回';
  return `${WHY[reason]}${where}${AFTER[reason] ?? '。'}`;
}
