// 我的: the account, patient cards (and the staff visit-code check), elder mode, and (H5 only) the dev login.
import Taro from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { ElderModeSwitch } from '../../../components/ElderModeSwitch'
import { PageShell } from '../../../components/PageShell'
import { SettingCard } from '../../../components/SettingCard'
import { useUnreadBadge } from '../../../hooks/useUnreadBadge'
import { useUser } from '../../../store/UserContext'
import { shortenId } from '../../../utils/shortenId'
import { ADMIN_HOME_PAGE, DEV_LOGIN_PAGE, MESSAGES_PAGE, PATIENTS_LIST_PAGE, PATIENTS_VERIFY_PAGE, PRIVACY_PAGE } from '../../../routes'
import './index.scss'

/** A row that opens another page; the whole card is the tap target. */
function EntryRow({ id, title, caption, url, badge = 0 }: { id: string; title: string; caption: string; url: string; badge?: number }) {
  return (
    <SettingCard id={id} role='button' title={title} captions={[caption]} onTap={() => void Taro.navigateTo({ url })}>
      {badge > 0 && <Text className='me-badge' id={`${id}-badge`}>{badge > 99 ? '99+' : badge}</Text>}
      <Text className='title'>›</Text>
    </SettingCard>
  )
}

export default function MePage() {
  const { user } = useUser()
  const unread = useUnreadBadge()
  return (
    <PageShell>
      <View className='card'>
        <Text className='title'>我的账号</Text>
        {user && <Text className='caption'>用户编号：{shortenId(user.id)}</Text>}
      </View>
      <EntryRow id='me-messages' title='消息' caption='预约、支付、退款和就诊提醒都在这里。' url={MESSAGES_PAGE} badge={unread} />
      <EntryRow id='me-patients' title='我的就诊人' caption='添加自己和家人，挂号时一点就选好。' url={PATIENTS_LIST_PAGE} />
      {user?.roles.includes('admin') && (
        <EntryRow id='me-verify' title='就诊码核验' caption='工作人员使用：扫一扫或粘贴患者的就诊码。' url={PATIENTS_VERIFY_PAGE} />
      )}
      {user?.roles.includes('admin') && (
        <EntryRow id='me-admin' title='医院管理' caption='工作人员使用：签到、患者查询、停诊，科室、医生、排班和加号。' url={ADMIN_HOME_PAGE} />
      )}
      <ElderModeSwitch />
      <EntryRow id='me-privacy' title='隐私说明' caption='我们收集哪些信息、做什么用、怎样删除。' url={PRIVACY_PAGE} />
      {process.env.TARO_ENV === 'h5' && (
        <Button ariaRole='button' className='btn btn-secondary' onClick={() => Taro.navigateTo({ url: DEV_LOGIN_PAGE })}>
          切换身份
        </Button>
      )}
    </PageShell>
  )
}
