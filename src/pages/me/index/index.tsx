// 我的: the account, the elder-mode switch, and (H5 only) a way back to the dev login.
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { useUser } from '../../../store/UserContext'
import { useTheme } from '../../../theme/ThemeContext'
import { shortenId } from '../../../utils/shortenId'
import { DEV_LOGIN_PAGE } from '../../../routes'
import './index.scss'

function ElderModeSwitch() {
  const { isElder, followsSystem, setElderMode } = useTheme()
  const toggle = () => {
    setElderMode(!isElder).catch((e: Error) => {
      void Taro.showToast({ title: `没能保存设置：${e.message}`, icon: 'none', duration: 3000 })
    })
  }
  return (
    <View
      className='card me-setting'
      id='elder-mode-switch'
      ariaRole='switch'
      ariaLabel={`长辈模式，${isElder ? '已打开' : '已关闭'}`}
      onClick={toggle}
    >
      <View className='me-setting-text'>
        <Text className='title'>长辈模式</Text>
        <Text className='caption'>大字模式：字更大，按钮更大，颜色更清楚。</Text>
        {followsSystem && isElder && <Text className='caption'>已按您手机的大字设置自动打开。</Text>}
      </View>
      <View className={`me-toggle ${isElder ? 'me-toggle-on' : ''}`}>
        <View className='me-toggle-knob' />
      </View>
    </View>
  )
}

export default function MePage() {
  const { user } = useUser()
  return (
    <PageShell>
      <View className='card'>
        <Text className='title'>我的账号</Text>
        {user && <Text className='caption'>用户编号：{shortenId(user.id)}</Text>}
      </View>
      <ElderModeSwitch />
      {process.env.TARO_ENV === 'h5' && (
        <Button className='btn btn-secondary' onClick={() => Taro.navigateTo({ url: DEV_LOGIN_PAGE })}>
          切换身份
        </Button>
      )}
    </PageShell>
  )
}
