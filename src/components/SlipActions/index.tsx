// What a patient does with a slip: show the visit code (one tap), send the slip to the family member who goes,
// put the visit in the phone's calendar, and book again from a past or cancelled appointment.
import { useState } from 'react'
import Taro, { useShareAppMessage } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { shareSlip, type Appointment, type SlipShare } from '../../services/booking'
import { doctorPageUrl } from '../../routes'
import { errorMessage } from '../../utils/errorMessage'
import { formatDateTime } from '../../utils/formatDateTime'
import { visitIcs } from '../../utils/ics'
import { VisitCodePanel } from '../VisitCodePanel'
import './index.scss'

const isH5 = process.env.TARO_ENV === 'h5'
const CALENDAR_ALARM_MINUTES = 60

function calendarVisit(appointment: Appointment) {
  return {
    id: appointment.id,
    title: `就诊：${appointment.doctor.name}医生（${appointment.department.name}）`,
    location: appointment.location,
    description: `${appointment.number !== null ? `第 ${appointment.number} 号，` : ''}请在 ${appointment.arriveBy} 前到达候诊，凭身份证或就诊码签到。`,
    start: appointment.start,
    end: appointment.end,
    alarmMinutes: CALENDAR_ALARM_MINUTES,
  }
}

async function addToCalendar(appointment: Appointment) {
  const visit = calendarVisit(appointment)
  if (!isH5) {
    await Taro.addPhoneCalendar({
      title: visit.title,
      startTime: Math.floor(Date.parse(visit.start) / 1000),
      // Typed as a string in WeChat's API (a unix timestamp in seconds).
      endTime: String(Math.floor(Date.parse(visit.end) / 1000)),
      location: visit.location,
      description: visit.description,
      alarmOffset: CALENDAR_ALARM_MINUTES * 60,
    })
    return
  }
  const blob = new Blob([visitIcs(visit, new Date().toISOString())], { type: 'text/calendar;charset=utf-8' })
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = `就诊-${appointment.date}.ics`
  link.click()
  setTimeout(() => URL.revokeObjectURL(link.href), 1000)
}

const sharedUrl = (path: string) => `${window.location.origin}${window.location.pathname}#${path}`

/** `codeOpen`: the visit code shows at once (the home page's 出示就诊码 leads here). */
export function SlipActions({ appointment, codeOpen = false }: { appointment: Appointment; codeOpen?: boolean }) {
  const [showCode, setShowCode] = useState(codeOpen)
  const [share, setShare] = useState<SlipShare>()
  const [error, setError] = useState<string>()

  // WeChat's share card: the page path carries the token; the share is made before the menu is tapped.
  useShareAppMessage(() => ({
    title: `${appointment.patient.name}的就诊凭条：${appointment.when}`,
    path: share?.path ?? doctorPageUrl(appointment.doctor.id),
  }))

  const makeShare = async () => {
    setError(undefined)
    try {
      const made = share ?? (await shareSlip(appointment.id))
      setShare(made)
      if (isH5) await Taro.setClipboardData({ data: sharedUrl(made.path) })
      else void Taro.showShareMenu({ withShareTicket: false })
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  const calendar = async () => {
    setError(undefined)
    try {
      await addToCalendar(appointment)
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  const rebook = () => void Taro.navigateTo({ url: doctorPageUrl(appointment.doctor.id) })

  if (!appointment.comesIn) {
    return (
      <View className='slip-actions' id='slip-actions'>
        <Button ariaRole='button' className='btn btn-primary' id='slip-rebook' onClick={rebook}>
          再约一次{appointment.doctor.name}医生
        </Button>
      </View>
    )
  }
  return (
    <View className='slip-actions' id='slip-actions'>
      <Button ariaRole='button' className='btn btn-primary' id='slip-show-code' onClick={() => setShowCode(!showCode)}>
        {showCode ? '收起就诊码' : '出示就诊码'}
      </Button>
      {showCode && <VisitCodePanel patientId={appointment.patient.id} />}
      <Button ariaRole='button' className='btn btn-secondary' id='slip-share' onClick={() => void makeShare()}>
        发给陪同就诊的家人
      </Button>
      {share && (
        <View className='status-box' id='slip-share-box'>
          <Text className='notice-text'>
            {isH5 ? '链接已复制，请粘贴发给陪同的家人：' : '请点右上角“…”，选择“转发给朋友”发给陪同的家人。'}
          </Text>
          {isH5 && (
            <Text className='slip-share-link' id='slip-share-link' userSelect>
              {sharedUrl(share.path)}
            </Text>
          )}
          <Text className='caption'>家人打开后只能查看凭条和就诊码，不能取消或改动；{formatDateTime(share.expiresAt)} 后链接失效。</Text>
        </View>
      )}
      <Button ariaRole='button' className='btn btn-secondary' id='slip-calendar' onClick={() => void calendar()}>
        {isH5 ? '下载到日历' : '添加到手机日历'}
      </Button>
      {error && (
        <Text className='notice-text' id='slip-actions-error'>
          {error}
        </Text>
      )}
    </View>
  )
}
