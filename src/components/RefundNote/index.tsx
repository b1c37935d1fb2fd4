// Where the money of a cancelled or refused paid booking is: "已原路退款 ¥25.00", "退款处理中…",
// "退款将在次日对账后原路退回", and why (Y4).
import { Text, View } from '@tarojs/components'
import type { Refund } from '../../services/booking'
import { formatYuan, refundHeadline } from '../../utils/paymentText'
import './index.scss'

interface Props {
  refund: Refund
  /** Left out where the page already shows the same sentence as its answer. */
  showSentence?: boolean
  compact?: boolean
}

export function RefundNote({ refund, showSentence = true, compact = false }: Props) {
  return (
    <View
      className={`status-box refund-note refund-note-${refund.status}${refund.status === 'failed' ? ' status-box-alert' : ''}${compact ? ' status-box-compact refund-note-compact' : ''}`}
      data-refund-status={refund.status}
    >
      <Text className='refund-note-label'>{refundHeadline(refund)}</Text>
      {refund.status !== 'succeeded' && <Text className='caption'>退款金额 {formatYuan(refund.amountFen)}，原路退回付款的微信账户</Text>}
      {showSentence && <Text className='notice-text refund-note-sentence'>{refund.sentence}</Text>}
    </View>
  )
}
