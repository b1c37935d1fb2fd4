// 疑似抢号脚本: accounts that showed signs of a grabbing script (X1), most suspicious first, accounts
// masked. Staff look into them (the audit trail, the cards on the account); nothing is blocked from here.
import { useState } from 'react'
import { useLoad } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { isApiError, type ApiError } from '../../../services/api'
import { formatDateTime } from '../../../utils/formatDateTime'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { ChoiceField } from '../../components/ChoiceField'
import { FormMessage } from '../../components/FormMessage'
import { fetchScriptingSigns, type ScriptingSign, type SuspiciousAccount } from '../../services/scriptingSignsApi'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'
import '../../components/admin.scss'
import '../../components/clinicDay.scss'

const SIGN_LABELS: Record<ScriptingSign, string> = {
  early: '放号前就在抢',
  subSecond: '一秒内反复请求',
  throttled: '被限制过频率',
  strangerCards: '绑了多位非亲属的就诊卡',
}
const DAY_CHOICES = [
  { value: '1', label: '今天' },
  { value: '7', label: '最近 7 天' },
  { value: '30', label: '最近 30 天' },
]

function AccountEntry({ entry }: { entry: SuspiciousAccount }) {
  return (
    <View className='audit-entry scripting-account' data-signs={entry.signs.join(' ')}>
      <Text className='admin-field-label'>账号 {entry.account}</Text>
      <Text className='caption'>{entry.signs.map((sign) => SIGN_LABELS[sign]).join('、')}</Text>
      <Text className='caption'>
        放号前预约 {entry.early} 次；一秒内连续请求 {entry.subSecond} 次；被限频 {entry.throttled} 次；就诊卡 {entry.cards} 张，其中非亲属 {entry.strangerCards} 张
      </Text>
      {entry.userId && <Text className='caption'>用户编号 {entry.userId}（可在“操作记录”里按此查看）</Text>}
      <Text className='caption'>
        {formatDateTime(entry.firstAt)} 至 {formatDateTime(entry.lastAt)}
      </Text>
    </View>
  )
}

export default function AdminScriptingPage() {
  const [days, setDays] = useState('7')
  const [accounts, setAccounts] = useState<SuspiciousAccount[]>()
  const [failure, setFailure] = useState<FormFailure>()
  const [forbidden, setForbidden] = useState<ApiError>()
  const [busy, setBusy] = useState(false)

  const load = async (within = days) => {
    setBusy(true)
    setFailure(undefined)
    try {
      setAccounts(await fetchScriptingSigns(Number(within)))
    } catch (e) {
      if (isApiError(e) && e.code === 'FORBIDDEN') setForbidden(e)
      setFailure(formFailureOf(e, ['days']))
    } finally {
      setBusy(false)
    }
  }
  useLoad(() => void load())

  if (forbidden) {
    return (
      <PageShell>
        <AdminNotice error={forbidden} onRetry={() => void load()} />
      </PageShell>
    )
  }
  return (
    <PageShell>
      <View className='card admin-form' id='scripting-form'>
        <Text className='title'>疑似抢号脚本</Text>
        <Text className='caption'>这些账号的操作不像真人：放号前就在预约、一秒内反复请求、被限制过频率，或绑了多位非亲属的就诊卡。最可疑的在前，请结合操作记录核实后再处理。</Text>
        <ChoiceField
          id='scripting-days'
          label='时间范围'
          choices={DAY_CHOICES}
          value={days}
          onChange={(value) => {
            setDays(value)
            void load(value)
          }}
        />
        {failure && <FormMessage id='scripting-message' tone='error' message={failure.message} requestId={failure.requestId} />}
        <Button ariaRole='button' className='btn btn-primary counter-big' id='scripting-refresh' {...busyButton(busy)} onClick={() => void load()}>
          刷新
        </Button>
      </View>
      {accounts && (
        <View className='card' id='scripting-accounts' data-count={accounts.length}>
          <Text className='admin-field-label'>{accounts.length === 0 ? '这段时间没有可疑的账号。' : `共 ${accounts.length} 个账号（最可疑的在前）`}</Text>
          {accounts.map((entry) => (
            <AccountEntry key={`${entry.account}-${entry.firstAt}`} entry={entry} />
          ))}
        </View>
      )}
    </PageShell>
  )
}
