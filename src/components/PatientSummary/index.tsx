// One patient card as the API returns it: ID and phone numbers already masked by the server.
import { Text, View } from '@tarojs/components'
import { ID_TYPE_LABELS, RELATION_LABELS } from '@domain/patientSchemas'
import type { PatientCard } from '../../services/patients'
import './index.scss'

const SEX_LABELS = { male: '男', female: '女' } as const

export function ownershipLabel(patient: Pick<PatientCard, 'role'>): string {
  return patient.role === 'owner' ? '我管理的' : '家人共享给我的'
}

export function PatientSummary({ patient }: { patient: PatientCard }) {
  const facts = [patient.sex && SEX_LABELS[patient.sex], patient.age !== undefined && `${patient.age} 岁`].filter(Boolean)
  return (
    <View className='patient-summary'>
      <View className='patient-summary-head'>
        <Text className='title patient-summary-name'>{patient.name}</Text>
        {patient.isDefault && <Text className='patient-tag patient-tag-default'>默认</Text>}
        <Text className='patient-tag'>{RELATION_LABELS[patient.relation]}</Text>
        <Text className='patient-tag patient-tag-plain'>{ownershipLabel(patient)}</Text>
      </View>
      {facts.length > 0 && <Text className='caption'>{facts.join(' · ')}</Text>}
      <Text className='patient-line'>
        {patient.idNumberMasked ? `${ID_TYPE_LABELS[patient.idType]}：${patient.idNumberMasked}` : ID_TYPE_LABELS[patient.idType]}
      </Text>
      <Text className='patient-line'>手机号码：{patient.phoneMasked}</Text>
    </View>
  )
}
