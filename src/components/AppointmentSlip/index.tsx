// 就诊凭条: what the patient shows or reads at the hospital — number, who, where, when to arrive, fee.
// A cancelled or expired slip keeps who, where and the state, but never tells anyone to come in.
// 就诊须知 (the department's or doctor's preparation notes) are shown whole while the patient is expected.
import { Text, View } from '@tarojs/components'
import type { Appointment } from '../../services/booking'
import { feeText } from '../../utils/fee'
import './index.scss'

function Row({ label, value, name }: { label: string; value: string; name: string }) {
  return (
    <View className='slip-row' data-field={name}>
      <Text className='slip-label'>{label}</Text>
      <Text className='slip-value'>{value}</Text>
    </View>
  )
}

export function AppointmentSlip({ appointment }: { appointment: Appointment }) {
  const { number, patient, department, doctor, when, location, arriveBy, feeFen, statusLabel, comesIn, preparation } = appointment
  return (
    <View className='card slip' id='booking-slip' data-comes-in={comesIn ? 'yes' : 'no'}>
      <View className='slip-head'>
        <Text className='title'>就诊凭条</Text>
        <Text className='slip-status'>{statusLabel}</Text>
      </View>
      {comesIn && number !== null && (
        <Text className='slip-number' id='slip-number'>
          第 {number} 号
        </Text>
      )}
      <Row name='patient' label='就诊人' value={patient.name} />
      <Row name='department' label='科室' value={department.name} />
      <Row name='doctor' label='医生' value={`${doctor.name} ${doctor.title}`} />
      <Row name='when' label='就诊时间' value={when} />
      <Row name='location' label='就诊地点' value={location} />
      {comesIn && <Row name='arrive' label='建议到达' value={`${arriveBy} 前到达候诊`} />}
      <Row name='fee' label='费用' value={feeText(feeFen)} />
      {comesIn && preparation && (
        <View className='slip-preparation' id='slip-preparation'>
          <Text className='slip-label'>就诊须知</Text>
          <Text className='slip-preparation-text'>{preparation}</Text>
        </View>
      )}
      {comesIn && <Text className='caption'>到医院后请凭就诊人的身份证或就诊码签到。</Text>}
    </View>
  )
}
