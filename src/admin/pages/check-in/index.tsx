// 签到 at the counter: scan the patient's visit code (weapp) or type it, or the appointment number, then
// one big 签到 button per appointment of today. After check-in the patient's place in the queue is shown
// in one sentence the nurse can read out.
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { ApiError } from '../../../services/api'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { toApiError } from '../../hooks/useOverview'
import { checkInAtCounter, checkInLookup, type CheckInLookup, type CounterAppointment } from '../../services/clinicDayApi'
import '../../components/admin.scss'
import '../../components/clinicDay.scss'

const SCAN_FAILED = '没有扫到就诊码，可以再扫一次，或把就诊码输入到下面。'
const SEX_LABELS: Record<string, string> = { male: '男', female: '女' }

function AppointmentCard({ appointment, onCheckedIn }: { appointment: CounterAppointment; onCheckedIn: (next: CounterAppointment, message: string) => void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError>()
  const checkIn = async () => {
    setBusy(true)
    setError(undefined)
    try {
      const answer = await checkInAtCounter(appointment.id)
      onCheckedIn(answer.appointment, answer.message)
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setBusy(false)
    }
  }
  const { doctor, department, number, queue } = appointment
  return (
    <View className='card counter-appointment' id={`counter-${appointment.id}`} data-status={appointment.status}>
      <Text className='title'>
        {appointment.when} {number !== null ? `第 ${number} 号` : ''}
      </Text>
      <Text className='notice-text'>
        {department} · {doctor}医生 · {appointment.statusLabel}
      </Text>
      {queue && (
        <Text className='counter-queue' id={`counter-queue-${appointment.id}`}>
          {queue.sentence}
        </Text>
      )}
      {appointment.refusal && !queue && <Text className='caption'>{appointment.refusal}</Text>}
      {error && <FormMessage id={`counter-error-${appointment.id}`} tone='error' message={error.message} requestId={error.requestId} />}
      {appointment.canCheckIn && (
        <Button ariaRole='button' className='btn btn-primary counter-big' id={`counter-check-in-${appointment.id}`} {...busyButton(busy)} onClick={() => void checkIn()}>
          签到
        </Button>
      )}
    </View>
  )
}

export default function AdminCheckInPage() {
  const [code, setCode] = useState('')
  const [found, setFound] = useState<CheckInLookup>()
  const [done, setDone] = useState<string>()
  const [error, setError] = useState<ApiError>()
  const [looking, setLooking] = useState(false)

  const look = async (raw: string) => {
    const text = raw.trim()
    setFound(undefined)
    setDone(undefined)
    setError(undefined)
    if (!text) return
    setLooking(true)
    try {
      setFound(await checkInLookup(text))
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setLooking(false)
    }
  }

  /** @see https://developers.weixin.qq.com/miniprogram/dev/api/device/scan/wx.scanCode.html */
  const scan = async () => {
    try {
      const scanned = await Taro.scanCode({ onlyFromCamera: true, scanType: ['qrCode'] })
      setCode(scanned.result)
      await look(scanned.result)
    } catch (e) {
      // Closing the camera is a choice; anything else gets a word and the typing box.
      if (!/cancel/.test((e as { errMsg?: string } | undefined)?.errMsg ?? '')) setError(new ApiError('SCAN_FAILED', SCAN_FAILED))
    }
  }

  const checkedIn = (next: CounterAppointment, message: string) => {
    setDone(message)
    setFound((current) => current && { ...current, appointments: current.appointments.map((entry) => (entry.id === next.id ? next : entry)) })
  }

  return (
    <PageShell>
      <View className='card admin-form' id='check-in-form'>
        <Text className='title'>签到</Text>
        <Text className='caption'>请患者打开“就诊人详情 → 出示就诊码”给您扫，或输入就诊码、预约编号。</Text>
        {process.env.TARO_ENV === 'weapp' && (
          <Button ariaRole='button' className='btn btn-primary counter-big' id='check-in-scan' onClick={() => void scan()}>
            扫一扫就诊码
          </Button>
        )}
        <TextField id='check-in-code' label='就诊码或预约编号' value={code} onChange={setCode} maxlength={200} placeholder='粘贴或输入后点“查找”' />
        <Button ariaRole='button' className='btn btn-secondary counter-big' id='check-in-find' {...busyButton(looking)} onClick={() => void look(code)}>
          查找今天的预约
        </Button>
      </View>
      {error?.code === 'FORBIDDEN' && <AdminNotice error={error} onRetry={() => void look(code)} />}
      {error && error.code !== 'FORBIDDEN' && <FormMessage id='check-in-error' tone='error' message={error.message} requestId={error.requestId} />}
      {found && (
        <View className='card' id='check-in-patient'>
          <Text className='title'>{found.patient.name}</Text>
          <Text className='caption'>
            {[SEX_LABELS[found.patient.sex], found.patient.birthDate && `出生日期 ${found.patient.birthDate}`].filter(Boolean).join(' · ')}
          </Text>
          <Text className='notice-text'>{found.message}</Text>
          <Text className='caption'>请再核对一下患者本人或陪同家属。</Text>
        </View>
      )}
      {done && <FormMessage id='check-in-done' tone='done' message={done} />}
      {found?.appointments.map((appointment) => (
        <AppointmentCard key={appointment.id} appointment={appointment} onCheckedIn={checkedIn} />
      ))}
    </PageShell>
  )
}
