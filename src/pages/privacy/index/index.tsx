// 隐私说明: the full privacy notice, opened from 我的 and from the short notice before the first card; says
// whether and when this person agreed.
import { Text, View } from '@tarojs/components'
import { PRIVACY_NOTICE_MORE, PRIVACY_NOTICE_POINTS, PRIVACY_NOTICE_VERSION, needsPrivacyAgreement } from '@domain/privacyNotice'
import { PageShell } from '../../../components/PageShell'
import { PrivacyPoints } from '../../../components/PrivacyNotice'
import { useUser } from '../../../store/UserContext'
import { formatDateTime } from '../../../utils/formatDateTime'

export default function PrivacyPage() {
  const { user } = useUser()
  const agreedAt = user?.privacy.agreedAt
  return (
    <PageShell>
      <View className='card' id='privacy-full'>
        <Text className='title'>我们怎样使用您和家人的信息</Text>
        <PrivacyPoints points={[...PRIVACY_NOTICE_POINTS, ...PRIVACY_NOTICE_MORE]} />
      </View>
      <Text className='caption' id='privacy-status'>
        {user && !needsPrivacyAgreement(user.privacy.agreedVersion) && agreedAt
          ? `您在 ${formatDateTime(agreedAt)} 同意了这份说明（版本 ${PRIVACY_NOTICE_VERSION}）。`
          : `说明版本 ${PRIVACY_NOTICE_VERSION}。第一次添加就诊人时，会请您先看过并同意。`}
      </Text>
    </PageShell>
  )
}
