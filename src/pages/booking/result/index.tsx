// 预约结果: the answer to a booking in one clear sentence, the electronic slip (就诊凭条), for an
// unpaid hold the time left and 去支付, and for a refunded one where the money is; 预约记录 opens
// the same page as an appointment's detail (B3, Y1, Y4).
import { useCallback, useEffect, useState } from 'react'
import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { AppointmentSlip } from '../../../components/AppointmentSlip'
import { ClinicDayNote } from '../../../components/ClinicDayNote'
import { HoldCountdown } from '../../../components/HoldCountdown'
import { PageShell } from '../../../components/PageShell'
import { PayAction } from '../../../components/PayAction'
import { RefundNote } from '../../../components/RefundNote'
import { SlipActions } from '../../../components/SlipActions'
import { isApiError, NETWORK_ERROR_MESSAGE } from '../../../services/api'
import { getAppointment, justBookedAppointment, type Appointment } from '../../../services/booking'
import { useUser } from '../../../store/UserContext'
import { cancelledToast, confirmAndCancel } from '../../../utils/cancelDialog'
import { disabledButton } from '../../../utils/buttonState'
import { APPOINTMENTS_PAGE } from '../../../routes'
import './index.scss'
import { showNotice } from '../../../components/AppDialog'

const messageOf = (e: unknown) => (isApiError(e) ? e.message : NETWORK_ERROR_MESSAGE)

/** After the countdown ends the server may need a moment to agree; ask again this often, a few times. */
const EXPIRY_RECHECK_MS = 2000
const EXPIRY_RECHECKS = 5

const HEADLINES: Record<Appointment['status'], string> = {
  booked: '预约成功',
  pending_payment: '号已为您保留，待支付',
  checked_in: '已签到',
  completed: '已就诊',
  no_show: '已爽约',
  cancelled: '预约已取消',
  expired: '已超时，号源已释放',
}

interface PaymentNoteProps {
  appointment: Appointment
  onExpire: () => void
  onSettled: (appointment: Appointment) => void
}

function PaymentNote({ appointment, onExpire, onSettled }: PaymentNoteProps) {
  if (appointment.status !== 'pending_payment' || !appointment.holdExpiresAt) return null
  return (
    <View className='card' id='payment-box'>
      <HoldCountdown holdExpiresAt={appointment.holdExpiresAt} onExpire={onExpire} />
      <PayAction appointment={appointment} onSettled={onSettled} />
      <Text className='caption'>这个号会为您保留到上面的时间；到时未支付，号源会自动放给其他患者，不会产生任何费用。如不需要了，也可以直接取消。</Text>
    </View>
  )
}

function useAppointment(id: string, enabled: boolean) {
  const [appointment, setAppointment] = useState<Appointment | undefined>(() => justBookedAppointment(id))
  const [error, setError] = useState<string>()
  const reload = useCallback(
    () =>
      getAppointment(id).then(
        (next) => {
          setAppointment(next)
          setError(undefined)
          return next
        },
        (e: unknown) => {
          setError(messageOf(e))
          return undefined
        },
      ),
    [id],
  )
  useEffect(() => {
    if (enabled) void reload()
  }, [enabled, reload])
  useDidShow(() => {
    if (enabled) void reload()
  })
  return { appointment, setAppointment, error, reload }
}

export default function BookingResultPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const { status } = useUser()
  const { appointment, setAppointment, error, reload } = useAppointment(id, status === 'ready')
  const [cancelError, setCancelError] = useState<string>()
  const [cancelling, setCancelling] = useState(false)

  // The hold is over: read it again until the server has given the place back.
  const expired = useCallback(async () => {
    for (let attempt = 0; attempt < EXPIRY_RECHECKS; attempt += 1) {
      const next = await reload()
      if (next && next.status !== 'pending_payment') return
      await new Promise((resolve) => setTimeout(resolve, EXPIRY_RECHECK_MS))
    }
  }, [reload])

  const cancel = async () => {
    if (!appointment || cancelling) return
    setCancelling(true)
    setCancelError(undefined)
    try {
      const cancelled = await confirmAndCancel(appointment)
      if (cancelled) {
        setAppointment(cancelled)
        showNotice(cancelledToast(cancelled))
      }
    } catch (e) {
      setCancelError(messageOf(e))
    } finally {
      setCancelling(false)
    }
  }

  return (
    <PageShell>
      {!appointment && !error && <Text className='caption'>正在读取预约，请稍等一下…</Text>}
      {!appointment && error && (
        <View className='card'>
          <Text className='notice-text'>{error}</Text>
          <Button ariaRole='button' className='btn btn-primary' onClick={() => void reload()}>
            再试一次
          </Button>
        </View>
      )}
      {appointment && (
        <>
          <View className={`card result-answer result-answer-${appointment.status}`} id='booking-result' data-status={appointment.status}>
            <Text className='result-headline'>{HEADLINES[appointment.status]}</Text>
            <Text className='result-message' id='booking-message'>
              {appointment.message}
            </Text>
          </View>
          <ClinicDayNote appointment={appointment} onChange={setAppointment} />
          <PaymentNote appointment={appointment} onExpire={() => void expired()} onSettled={setAppointment} />
          {appointment.payment?.refund && (
            <View className='result-refund' id='refund-box'>
              <RefundNote refund={appointment.payment.refund} showSentence={appointment.payment.refund.sentence !== appointment.message} />
            </View>
          )}
          <AppointmentSlip appointment={appointment} />
          <SlipActions appointment={appointment} codeOpen={params.code === '1'} />
          {cancelError && <Text className='notice-text result-error'>{cancelError}</Text>}
          <View className='result-actions'>
            {appointment.cancel.allowed && (
              <Button ariaRole='button' className='btn btn-secondary' id='result-cancel' {...disabledButton(cancelling)} onClick={() => void cancel()}>
                {cancelling ? '正在取消…' : '取消预约'}
              </Button>
            )}
            <Button ariaRole='button' className='btn btn-primary' id='result-records' onClick={() => void Taro.switchTab({ url: APPOINTMENTS_PAGE })}>
              查看预约记录
            </Button>
          </View>
        </>
      )}
    </PageShell>
  )
}
