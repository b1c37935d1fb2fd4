// A card's 爽约 record on its detail page (A3): why online booking is paused and until when, and each missed
// visit with whether the hospital waived it. Nothing at all for a card without no-shows.
import { useCallback } from 'react'
import { Text, View } from '@tarojs/components'
import { fetchNoShowRecord } from '../../services/patients'
import { usePageData } from '../../store/usePageData'
import './index.scss'

export function NoShowRecord({ patientId }: { patientId: string }) {
  const load = useCallback(() => fetchNoShowRecord(patientId), [patientId])
  const { data: record, error } = usePageData(load)

  if (error) return <Text className='caption no-show-error'>爽约记录暂时没有读到：{error}</Text>
  if (!record || (!record.noShows.length && !record.restriction)) return null
  return (
    <View className='card no-show-record' id='no-show-record'>
      <Text className='title'>爽约记录</Text>
      {record.restriction ? (
        <Text className='notice-text no-show-restriction' id='no-show-restriction'>
          {record.restriction.message}
        </Text>
      ) : (
        <Text className='caption'>目前可以正常在网上预约。</Text>
      )}
      {record.noShows.map((entry) => (
        <View key={entry.appointmentId} className='no-show-entry' data-waived={entry.waived ? 'yes' : 'no'}>
          <Text className='no-show-when'>{entry.when}</Text>
          <Text className='caption'>
            {entry.departmentName} {entry.doctorName}医生
          </Text>
          <Text className={entry.waived ? 'no-show-label no-show-label-waived' : 'no-show-label'}>{entry.label}</Text>
        </View>
      ))}
      <Text className='caption'>以后如果去不了，请在退号时间前取消预约，就不会算作爽约了。</Text>
    </View>
  )
}
