// 去支付 for a held appointment, and what happens next in plain words: waiting for WeChat's answer,
// a closed cashier, or a payment still being confirmed.
import { useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { isApiError } from '../../services/api'
import type { Appointment } from '../../services/booking'
import { preloadPrompts, promptAtTap } from '../../services/messages'
import { startPayment, waitForPayment } from '../../services/payment'
import { errorMessage } from '../../utils/errorMessage'
import { disabledButton } from '../../utils/buttonState'
import { formatClockIn } from '../../utils/countdown'
import { payButtonText } from '../../utils/paymentText'
import './index.scss'
import { showNotice } from '../AppDialog'

const SETTLED_CODES = ['ALREADY_PAID', 'PAYMENT_WINDOW_CLOSED']

type Stage = 'idle' | 'starting' | 'confirming' | 'slow' | 'cancelled' | 'failed'

interface Props {
  appointment: Appointment
  /** The appointment once it has left 待支付 (booked, or expired if the money came too late). */
  onSettled: (appointment: Appointment) => void
  compact?: boolean
}

export function PayAction({ appointment, onSettled, compact = false }: Props) {
  const [stage, setStage] = useState<Stage>('idle')
  const [error, setError] = useState<string>()
  const { id, feeFen, holdExpiresAt } = appointment
  // The payment prompt must open inside the pay tap, so its template ids are read beforehand.
  useEffect(() => preloadPrompts(), [])

  const confirm = async () => {
    setStage('confirming')
    setError(undefined)
    try {
      const settled = await waitForPayment(id)
      if (!settled) return setStage('slow')
      setStage('idle')
      if (settled.status === 'booked') showNotice('支付成功')
      onSettled(settled)
    } catch (e) {
      setError(errorMessage(e))
      setStage('failed')
    }
  }

  const pay = async () => {
    setStage('starting')
    // Answered before WeChat's cashier opens (two dialogs at once would hide one); never throws, skipped on H5.
    await promptAtTap('payment')
    setError(undefined)
    try {
      const started = await startPayment(id)
      if (started === 'paid') return await confirm()
      setStage(started === 'cancelled' ? 'cancelled' : 'idle')
    } catch (e) {
      // Paid already, or too late: the appointment itself now says what happened.
      if (isApiError(e) && SETTLED_CODES.includes(e.code)) {
        showNotice(e.message)
        return await confirm()
      }
      setError(errorMessage(e))
      setStage('failed')
    }
  }

  // Only disabled while busy, no `loading` spinner: on H5 the spinner is inserted before the label React
  // keeps, and the browser throws (insertBefore) as the page changes; the label already says it is busy.
  const busy = stage === 'starting' || stage === 'confirming'
  // On weapp the payer may have paid even if the cashier's answer got lost: let them say so.
  const offerPaid = process.env.TARO_ENV !== 'h5' && (stage === 'cancelled' || stage === 'failed' || stage === 'slow')
  return (
    <View className={`pay-action${compact ? ' pay-action-compact' : ''}`} data-stage={stage}>
      {stage === 'confirming' && <Text className='notice-text pay-action-note'>正在确认支付结果，请稍等几秒…</Text>}
      {stage === 'slow' && <Text className='notice-text pay-action-note'>支付结果确认中，请稍后在预约记录查看。</Text>}
      {stage === 'cancelled' && (
        <Text className='notice-text pay-action-note'>
          您还没有支付。号仍为您保留{holdExpiresAt ? `到 ${formatClockIn(holdExpiresAt)}` : ''}，准备好了再点“去支付”就行。
        </Text>
      )}
      {error && <Text className='notice-text pay-action-error'>{error}</Text>}
      {stage !== 'slow' && (
        <Button ariaRole='button' className='btn btn-primary pay-action-button' {...disabledButton(busy)} onClick={() => void pay()}>
          {stage === 'starting' ? '正在打开支付…' : stage === 'confirming' ? '正在确认…' : payButtonText(feeFen)}
        </Button>
      )}
      {offerPaid && (
        <Button ariaRole='button' className='btn btn-secondary pay-action-paid' onClick={() => void confirm()}>
          我已支付，刷新结果
        </Button>
      )}
    </View>
  )
}
