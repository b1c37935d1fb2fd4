// The sentence beside a form's button: what went wrong (with the request id staff can quote) or what was done.
import { Text, View } from '@tarojs/components'
import './admin.scss'

interface FormMessageProps {
  id: string
  tone: 'error' | 'done'
  message: string
  requestId?: string
}

export function FormMessage({ id, tone, message, requestId }: FormMessageProps) {
  return (
    <View className={`admin-message admin-message-${tone}`} id={id} ariaRole={tone === 'error' ? 'alert' : 'status'}>
      <Text>{message}</Text>
      {requestId && <Text className='caption'>如需帮助，可以把这个编号告诉信息科：{requestId}</Text>}
    </View>
  )
}
