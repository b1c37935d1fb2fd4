// The short privacy notice shown before the first card (and again when the notice changes): what is collected,
// why, who is responsible, how long, how to delete. The person agrees once; the server records the version.
import { useState } from 'react'
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PRIVACY_NOTICE_POINTS } from '@domain/privacyNotice'
import { FormBanner } from '../../../components/FormField'
import { PrivacyPoints } from '../../../components/PrivacyNotice'
import { useUser } from '../../../store/UserContext'
import { disabledButton } from '../../../utils/buttonState'
import { errorMessage } from '../../../utils/errorMessage'
import { goBackOr } from '../../../utils/navigation'
import { PATIENTS_LIST_PAGE, PRIVACY_PAGE } from '../../../routes'

export function PrivacyGate() {
  const { agreePrivacy } = useUser()
  const [busy, setBusy] = useState(false)
  const [banner, setBanner] = useState<string>()

  const agree = async () => {
    setBusy(true)
    setBanner(undefined)
    try {
      await agreePrivacy()
    } catch (e) {
      setBanner(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View id='privacy-gate'>
      <View className='card'>
        <Text className='title'>添加就诊人前，请您先了解</Text>
        <PrivacyPoints points={PRIVACY_NOTICE_POINTS} />
      </View>
      <Button ariaRole='button' className='btn btn-secondary' id='privacy-read-more' onClick={() => void Taro.navigateTo({ url: PRIVACY_PAGE })}>
        查看完整的隐私说明
      </Button>
      <FormBanner id='privacy-banner' message={banner} />
      <View className='add-actions'>
        <Button ariaRole='button' className='btn btn-primary' id='privacy-agree' {...disabledButton(busy)} onClick={() => void agree()}>
          {busy ? '请稍等…' : '同意，继续添加'}
        </Button>
        <Button ariaRole='button' className='btn btn-secondary' id='privacy-decline' onClick={() => void goBackOr(PATIENTS_LIST_PAGE)}>
          暂不添加
        </Button>
      </View>
    </View>
  )
}
