// What an admin page shows instead of its content when loading failed: a kind word for non-staff
// (the function answered FORBIDDEN, so nothing was read or changed), otherwise the reason and a retry.
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import type { ApiError } from '../../services/api'
import { ME_PAGE } from '../../routes'
import './admin.scss'

interface AdminNoticeProps {
  error: ApiError
  onRetry: () => void
}

export function AdminNotice({ error, onRetry }: AdminNoticeProps) {
  if (error.code === 'FORBIDDEN') {
    return (
      <View className='card' id='admin-forbidden'>
        <Text className='title'>这里是医院工作人员使用的页面</Text>
        <Text className='notice-text'>您的账号暂时没有管理权限，这里的内容不会显示，也不会有任何改动。</Text>
        <Text className='caption'>如果您是医院工作人员，请联系门诊部为您的账号开通权限。</Text>
        <Button ariaRole='button' className='btn btn-secondary' onClick={() => void Taro.switchTab({ url: ME_PAGE })}>
          回到“我的”
        </Button>
      </View>
    )
  }
  return (
    <View className='card' id='admin-load-error'>
      <Text className='notice-text'>没能打开这个页面：{error.message}</Text>
      {error.requestId && <Text className='caption'>如需帮助，可以把这个编号告诉信息科：{error.requestId}</Text>}
      <Button ariaRole='button' className='btn btn-primary' onClick={onRetry}>
        再试一次
      </Button>
    </View>
  )
}
