// 预约记录: every appointment of the cards the caller manages, 进行中 (待支付, 已预约, 已签到) and 历史,
// with a live countdown and 去支付 on unpaid holds, refund progress on refunded ones, and 取消预约
// behind a dialog that states the rule (B3, B4, Y1, Y4).
import { useCallback, useEffect, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { HoldCountdown } from '../../../components/HoldCountdown'
import { PageShell } from '../../../components/PageShell'
import { PayAction } from '../../../components/PayAction'
import { RefundNote } from '../../../components/RefundNote'
import { isApiError, NETWORK_ERROR_MESSAGE } from '../../../services/api'
import { listAppointments, type Appointment } from '../../../services/booking'
import { useUser } from '../../../store/UserContext'
import { groupAppointments, type AppointmentGroup } from '../../../utils/appointmentGroups'
import { cancelledToast, confirmAndCancel } from '../../../utils/cancelDialog'
import { disabledButton } from '../../../utils/buttonState'
import { bookingResultUrl, HOME_PAGE } from '../../../routes'
import './index.scss'
import { showNotice } from '../../../components/AppDialog'

const messageOf = (e: unknown) => (isApiError(e) ? e.message : NETWORK_ERROR_MESSAGE)

const TABS: { group: AppointmentGroup; label: string; empty: string }[] = [
  { group: 'active', label: '进行中', empty: '现在没有待就诊的预约。' },
  { group: 'history', label: '历史', empty: '还没有已结束的预约。' },
]

interface CardProps {
  appointment: Appointment
  cancelling: boolean
  onCancel: () => void
  onExpire: () => void
  onPaid: () => void
}

function AppointmentCard({ appointment, cancelling, onCancel, onExpire, onPaid }: CardProps) {
  const { id, status, statusLabel, when, doctor, department, patient, number, holdExpiresAt, cancel, payment, clinicStopped, queue } = appointment
  return (
    <View className='card appointment' data-appointment-id={id} data-status={status}>
      <View
        className='appointment-body'
        ariaRole='button'
        onClick={() => void Taro.navigateTo({ url: bookingResultUrl(id) })}
      >
        <View className='appointment-head'>
          <Text className='appointment-when'>{when}</Text>
          <Text className={`appointment-status appointment-status-${status}`}>{clinicStopped ? `${clinicStopped.label} · ${statusLabel}` : statusLabel}</Text>
        </View>
        {clinicStopped && <Text className='notice-text appointment-stopped'>医生停诊（{clinicStopped.reason}），点开查看通知和可改约的号。</Text>}
        {queue && <Text className='appointment-queue'>{queue.sentence}</Text>}
        <Text className='notice-text'>
          {department.name} · {doctor.name} {doctor.title}
        </Text>
        <Text className='caption'>
          就诊人：{patient.name}
          {number !== null && status !== 'cancelled' && status !== 'expired' ? ` · 第 ${number} 号` : ''}
        </Text>
        {status === 'pending_payment' && holdExpiresAt && <HoldCountdown holdExpiresAt={holdExpiresAt} onExpire={onExpire} compact />}
        {payment?.refund && <RefundNote refund={payment.refund} compact />}
      </View>
      {status === 'pending_payment' && <PayAction appointment={appointment} onSettled={onPaid} compact />}
      {cancel.allowed && (
        <Button ariaRole='button' className='btn btn-secondary appointment-cancel' {...disabledButton(cancelling)} onClick={onCancel}>
          {cancelling ? '正在取消…' : '取消预约'}
        </Button>
      )}
    </View>
  )
}

export default function AppointmentsPage() {
  // The 我的 tab shows how many messages are unread.
  const { status } = useUser()
  const ready = status === 'ready'
  const [appointments, setAppointments] = useState<Appointment[]>()
  const [error, setError] = useState<string>()
  const [tab, setTab] = useState<AppointmentGroup>('active')
  const [cancellingId, setCancellingId] = useState<string>()

  const load = useCallback(
    () =>
      listAppointments().then(
        (list) => {
          setAppointments(list)
          setError(undefined)
        },
        (e: unknown) => setError(messageOf(e)),
      ),
    [],
  )
  useEffect(() => {
    if (ready) void load()
  }, [ready, load])
  useDidShow(() => {
    if (ready) void load()
  })

  const cancel = async (appointment: Appointment) => {
    setCancellingId(appointment.id)
    setError(undefined)
    try {
      const cancelled = await confirmAndCancel(appointment)
      if (cancelled) {
        setAppointments((list) => list?.map((entry) => (entry.id === cancelled.id ? cancelled : entry)))
        showNotice(cancelledToast(cancelled))
        void load()
      }
    } catch (e) {
      setError(messageOf(e))
    } finally {
      setCancellingId(undefined)
    }
  }

  const groups = groupAppointments(appointments ?? [])
  const shown = groups[tab]
  const current = TABS.find((entry) => entry.group === tab)!
  return (
    <PageShell>
      {!appointments && !error && <Text className='caption'>正在读取预约记录，请稍等一下…</Text>}
      {error && (
        <View className='card'>
          <Text className='notice-text appointments-error'>{error}</Text>
          {!appointments && (
            <Button ariaRole='button' className='btn btn-primary' onClick={() => void load()}>
              再试一次
            </Button>
          )}
        </View>
      )}
      {appointments && appointments.length === 0 && (
        <View className='card appointments-empty'>
          <Text className='title'>您还没有预约记录</Text>
          <Text className='caption'>在首页选科室和医生，点一个有号的时段就能预约。预约后，记录会显示在这里。</Text>
          <Button ariaRole='button' className='btn btn-primary' onClick={() => void Taro.switchTab({ url: HOME_PAGE })}>
            去预约挂号
          </Button>
        </View>
      )}
      {appointments && appointments.length > 0 && (
        <>
          <View className='appointments-tabs' id='appointments-tabs'>
            {TABS.map((entry) => (
              <View
                key={entry.group}
                id={`tab-${entry.group}`}
                className={`appointments-tab${tab === entry.group ? ' appointments-tab-active' : ''}`}
                ariaRole='button'
                aria-pressed={tab === entry.group ? 'true' : 'false'}
                onClick={() => setTab(entry.group)}
              >
                <Text>
                  {entry.label}（{groups[entry.group].length}）
                </Text>
              </View>
            ))}
          </View>
          <View id={`appointments-${tab}`} className='appointments-list'>
            {shown.length === 0 && <Text className='caption appointments-none'>{current.empty}</Text>}
            {shown.map((appointment) => (
              <AppointmentCard
                key={appointment.id}
                appointment={appointment}
                cancelling={cancellingId === appointment.id}
                onCancel={() => void cancel(appointment)}
                onExpire={() => void load()}
                onPaid={() => void load()}
              />
            ))}
          </View>
        </>
      )}
    </PageShell>
  )
}
