// 下次就诊 on the home page: the soonest visit the patient is still expected at, with its date, doctor and
// number, and one tap to the slip with its visit code open (an unpaid hold goes to the slip to pay).
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { Appointment } from '../../services/booking'
import { bookingResultUrl, slipCodeUrl } from '../../routes'
import './index.scss'

export function NextVisit({ appointment }: { appointment: Appointment }) {
  const { id, when, doctor, department, patient, number, status, statusLabel } = appointment
  const unpaid = status === 'pending_payment'
  return (
    <View className='home-section' id='home-next-visit' data-appointment-id={id}>
      <Text className='title'>下次就诊</Text>
      <View className='card next-visit'>
        <View className='next-visit-head'>
          <Text className='next-visit-when'>{when}</Text>
          <Text className='next-visit-status'>{statusLabel}</Text>
        </View>
        <Text className='notice-text'>
          {department.name} · {doctor.name} {doctor.title}
        </Text>
        <Text className='notice-text'>
          就诊人：{patient.name}
          {number !== null ? ` · 第 ${number} 号` : ''}
        </Text>
        <Button ariaRole='button' className='btn btn-primary' id='home-next-visit-open' onClick={() => void Taro.navigateTo({ url: unpaid ? bookingResultUrl(id) : slipCodeUrl(id) })}>
          {unpaid ? '去支付' : '出示就诊码'}
        </Button>
      </View>
    </View>
  )
}
