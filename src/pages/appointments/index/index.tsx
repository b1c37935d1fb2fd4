// 预约记录: empty until booking exists; no placeholder records.
import { Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import './index.scss'

export default function AppointmentsPage() {
  return (
    <PageShell>
      <View className='card appointments-empty'>
        <Text className='title'>您还没有预约记录</Text>
        <Text className='caption'>预约成功后，记录会显示在这里，方便您随时查看。</Text>
      </View>
    </PageShell>
  )
}
