// What the user sees while login is on its way, failed, or (H5) waits for a demo identity.
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { useUser } from '../../store/UserContext'
import { DEV_LOGIN_PAGE } from '../../routes'

export function LoginNotice() {
  const { status, error, login } = useUser()
  if (status === 'loading') {
    return (
      <View className='card'>
        <Text className='notice-text'>正在为您登录，请稍等一下…</Text>
      </View>
    )
  }
  if (status === 'needs-dev-login') {
    return (
      <View className='card'>
        <Text className='notice-text'>请先选一个体验身份，再继续使用。</Text>
        <Button ariaRole='button' className='btn btn-primary' onClick={() => Taro.navigateTo({ url: DEV_LOGIN_PAGE })}>
          去选择身份
        </Button>
      </View>
    )
  }
  if (status === 'error') {
    return (
      <View className='card'>
        <Text className='notice-text'>登录没有成功：{error?.message}</Text>
        {error?.requestId && <Text className='caption'>如需帮助，可以把这个编号告诉工作人员：{error.requestId}</Text>}
        <Button ariaRole='button' className='btn btn-primary' onClick={() => void login()}>
          再试一次
        </Button>
      </View>
    )
  }
  return null
}
