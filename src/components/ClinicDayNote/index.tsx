// The clinic day on an appointment's page (A2, B1): the hospital's notices after a 停诊 or 替诊 with the
// next places to book, the place in the queue once checked in, and 签到 for a booked appointment (the
// server decides whether it is the time for it and says when it will be if not).
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { checkInAppointment, type Appointment, type AppointmentNotice } from '../../services/booking'
import { busyButton } from '../../utils/buttonState'
import { errorMessage } from '../../utils/errorMessage'
import './index.scss'

const open = (url: string) => void Taro.navigateTo({ url })

function Notice({ notice, index }: { notice: AppointmentNotice; index: number }) {
  return (
    <View className={`card clinic-notice clinic-notice-${notice.kind}`} id={`clinic-notice-${index}`} data-kind={notice.kind}>
      <Text className='title'>{notice.kind === 'clinic_stopped' ? '医院通知：停诊' : '医院通知：换了看诊医生'}</Text>
      <Text className='notice-text clinic-notice-text'>{notice.text}</Text>
      {notice.alternatives.map((alternative) => (
        <View key={alternative.slotId} className='clinic-notice-alternative' data-slot-id={alternative.slotId}>
          {/* The notice's text already reads each place out; the button books it. */}
          <Button ariaRole='button' className='btn btn-primary' ariaLabel={alternative.sentence} onClick={() => open(alternative.bookLink)}>
            {alternative.doctorName}医生 {alternative.when}，去预约
          </Button>
        </View>
      ))}
      {notice.alternatives.length === 0 && notice.bookLink && (
        <Button ariaRole='button' className='btn btn-primary' onClick={() => open(notice.bookLink!)}>
          看看这个科室还有哪些号
        </Button>
      )}
    </View>
  )
}

interface Props {
  appointment: Appointment
  onChange: (appointment: Appointment) => void
}

export function ClinicDayNote({ appointment, onChange }: Props) {
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<string>()
  const { notices = [], queue, checkIn, clinicStopped } = appointment

  const selfCheckIn = async () => {
    setBusy(true)
    setRefusal(undefined)
    try {
      onChange(await checkInAppointment(appointment.id))
    } catch (e) {
      setRefusal(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      {clinicStopped && (
        <View className='status-box status-box-alert clinic-stopped' id='clinic-stopped'>
          <Text className='clinic-stopped-label'>{clinicStopped.label}</Text>
          <Text className='notice-text'>停诊原因：{clinicStopped.reason}</Text>
        </View>
      )}
      {notices.map((notice, index) => (
        <Notice key={`${notice.kind}-${notice.at}`} notice={notice} index={index} />
      ))}
      {queue && (
        <View className='card clinic-queue' id='clinic-queue' data-ahead={queue.ahead}>
          <Text className='clinic-queue-sentence'>{queue.sentence}</Text>
        </View>
      )}
      {checkIn && appointment.status === 'booked' && (
        <View className='card clinic-check-in' id='self-check-in'>
          <Button ariaRole='button' className='btn btn-primary' id='self-check-in-button' {...busyButton(busy)} onClick={() => void selfCheckIn()}>
            我已到医院，签到
          </Button>
          {refusal && (
            <Text className='notice-text clinic-check-in-refusal' id='self-check-in-refusal'>
              {refusal}
            </Text>
          )}
          <Text className='caption'>{checkIn.rule}</Text>
        </View>
      )}
    </>
  )
}
