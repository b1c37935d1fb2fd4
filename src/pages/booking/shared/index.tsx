// 家人分享的就诊凭条: opened from a share link or WeChat share card (?t=token). Read-only: who, where, when,
// the number and a visit code valid through the visit window; a cancelled or expired one says so and nothing more.
import { useEffect, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { openSharedSlip, type SharedSlip } from '../../../services/booking'
import { useUser } from '../../../store/UserContext'
import { errorMessage } from '../../../utils/errorMessage'
import { formatDateTime } from '../../../utils/formatDateTime'
import { qrDataUrl } from '../../../utils/qrDataUrl'
import './index.scss'

function Row({ label, value, name }: { label: string; value: string; name: string }) {
  return (
    <View className='slip-row' data-field={name}>
      <Text className='slip-label'>{label}</Text>
      <Text className='slip-value'>{value}</Text>
    </View>
  )
}

function SharedSlipCard({ slip }: { slip: SharedSlip }) {
  return (
    <View className='card slip' id='shared-slip' data-status={slip.status} data-comes-in={slip.comesIn ? 'yes' : 'no'}>
      <View className='slip-head'>
        <Text className='title'>就诊凭条</Text>
        <Text className='slip-status' id='shared-slip-status'>
          {slip.statusLabel}
        </Text>
      </View>
      <Text className='notice-text' id='shared-slip-message'>
        {slip.message}
      </Text>
      {slip.refund && (
        <Text className='notice-text' id='shared-slip-refund'>
          {slip.refund.label}
        </Text>
      )}
      {slip.comesIn && slip.number !== null && (
        <Text className='slip-number' id='shared-slip-number'>
          第 {slip.number} 号
        </Text>
      )}
      <Row name='patient' label='就诊人' value={slip.patientName} />
      <Row name='department' label='科室' value={slip.department} />
      <Row name='doctor' label='医生' value={`${slip.doctor.name} ${slip.doctor.title}`} />
      <Row name='when' label='就诊时间' value={slip.when} />
      <Row name='location' label='就诊地点' value={slip.location} />
      {slip.comesIn && slip.arriveBy && <Row name='arrive' label='建议到达' value={`${slip.arriveBy} 前到达候诊`} />}
      {slip.comesIn && slip.preparation && (
        <View className='slip-preparation' id='shared-slip-preparation'>
          <Text className='slip-label'>就诊须知</Text>
          <Text className='slip-preparation-text'>{slip.preparation}</Text>
        </View>
      )}
      {slip.visitCode && (
        <View className='shared-slip-code' id='shared-slip-code'>
          <Image className='visit-code-qr' src={qrDataUrl(slip.visitCode.code)} mode='aspectFit' ariaLabel='就诊码二维码' nativeProps={{ alt: '就诊码二维码' }} />
          <Text className='caption'>到医院后请出示这个就诊码签到，{formatDateTime(slip.visitCode.expiresAt)} 前有效。</Text>
          <Text className='visit-code-raw' id='shared-slip-code-raw' userSelect>
            {slip.visitCode.code}
          </Text>
        </View>
      )}
      <Text className='caption'>这是家人分享给您的凭条，只能查看；如需取消或改约，请联系为您分享的家人。</Text>
    </View>
  )
}

export default function SharedSlipPage() {
  const { params } = useRouter()
  const token = decodeURIComponent(params.t ?? '')
  const { status } = useUser()
  const [slip, setSlip] = useState<SharedSlip>()
  const [error, setError] = useState<string>()

  useEffect(() => {
    if (status !== 'ready') return
    openSharedSlip(token).then(setSlip, (e: unknown) => setError(errorMessage(e)))
  }, [status, token])

  return (
    <PageShell>
      {!slip && !error && <Text className='caption'>正在打开凭条，请稍等一下…</Text>}
      {error && (
        <View className='card'>
          <Text className='notice-text' id='shared-slip-error'>
            {error}
          </Text>
        </View>
      )}
      {slip && <SharedSlipCard slip={slip} />}
    </PageShell>
  )
}
