// 操作记录: who did what, for which card, when: filter the audit trail by staff or account, card, kind of
// action and dates. Tapping an entry's account or card narrows the list to it.
import { useState } from 'react'
import { useLoad } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { isApiError, type ApiError } from '../../../services/api'
import { formatDateTime } from '../../../utils/formatDateTime'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { ChoiceField } from '../../components/ChoiceField'
import { DateField } from '../../components/DateField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { fetchAudit, type AuditEntry, type AuditFilter } from '../../services/clinicDayApi'
import { hospitalToday } from '../../utils/dateRange'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'
import '../../components/admin.scss'
import '../../components/clinicDay.scss'

const ACTION_LABELS: Record<string, string> = {
  'booking.hold': '预约',
  'booking.cancel': '取消预约',
  'admin.stopClinic': '停诊或替诊',
  'admin.retryClinicJob': '重试停诊',
  'admin.checkIn': '工作人员签到',
  'admin.lookupPatient': '查询患者',
  'admin.waiveNoShow': '免除爽约',
  'patient.bind': '添加就诊人',
  'patient.unbind': '解除就诊人',
}
const ALL = ''
const ACTION_CHOICES = [{ value: ALL, label: '全部' }, ...Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label }))]
const HOSPITAL_ZONE = 'Asia/Shanghai'

const detailsText = (details: AuditEntry['details']) =>
  details ? Object.entries(details).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join('；') : ''

function Entry({ entry, onActor, onCard }: { entry: AuditEntry; onActor: (id: string) => void; onCard: (id: string) => void }) {
  return (
    <View className='audit-entry' data-action={entry.action}>
      <Text className='admin-field-label'>
        {formatDateTime(entry.at)} {ACTION_LABELS[entry.action] ?? entry.action}
      </Text>
      {entry.details && <Text className='caption'>{detailsText(entry.details)}</Text>}
      {entry.actorUserId && (
        <View className='admin-row' ariaRole='button' ariaLabel='只看这个账号的操作' onClick={() => onActor(entry.actorUserId!)}>
          <Text className='caption'>操作人账号 {entry.actorUserId}</Text>
          <Text className='caption'>只看此人</Text>
        </View>
      )}
      {entry.patientId && (
        <View className='admin-row' ariaRole='button' ariaLabel='只看这张就诊卡' onClick={() => onCard(entry.patientId!)}>
          <Text className='caption'>就诊卡 {entry.patientId}</Text>
          <Text className='caption'>只看此卡</Text>
        </View>
      )}
    </View>
  )
}

export default function AdminAuditPage() {
  const today = hospitalToday(new Date(), HOSPITAL_ZONE)
  const [actor, setActor] = useState('')
  const [card, setCard] = useState('')
  const [action, setAction] = useState(ALL)
  const [dated, setDated] = useState('any')
  const [range, setRange] = useState({ from: today, to: today })
  const [entries, setEntries] = useState<AuditEntry[]>()
  const [failure, setFailure] = useState<FormFailure>()
  const [forbidden, setForbidden] = useState<ApiError>()
  const [busy, setBusy] = useState(false)

  const search = async (overrides: Partial<{ actor: string; card: string }> = {}) => {
    const filter: AuditFilter = {}
    const actorId = (overrides.actor ?? actor).trim()
    const cardId = (overrides.card ?? card).trim()
    if (actorId) filter.actorUserId = actorId
    if (cardId) filter.patientId = cardId
    if (action) filter.auditAction = action
    if (dated === 'range') Object.assign(filter, range)
    setBusy(true)
    setFailure(undefined)
    try {
      setEntries(await fetchAudit(filter))
    } catch (e) {
      if (isApiError(e) && e.code === 'FORBIDDEN') setForbidden(e)
      setFailure(formFailureOf(e, ['actorUserId', 'patientId', 'auditAction', 'from', 'to']))
    } finally {
      setBusy(false)
    }
  }
  // The newest entries at once, on opening.
  useLoad(() => void search())

  const narrow = (next: Partial<{ actor: string; card: string }>) => {
    if (next.actor !== undefined) setActor(next.actor)
    if (next.card !== undefined) setCard(next.card)
    void search(next)
  }

  if (forbidden) {
    return (
      <PageShell>
        <AdminNotice error={forbidden} onRetry={() => void search()} />
      </PageShell>
    )
  }
  const errors = failure?.fields ?? {}
  return (
    <PageShell>
      <View className='card admin-form' id='audit-form'>
        <Text className='title'>操作记录</Text>
        <Text className='caption'>谁在什么时候为哪张就诊卡做了什么。可以只填一部分条件。</Text>
        <ChoiceField id='audit-action' label='做了什么' choices={ACTION_CHOICES} value={action} onChange={setAction} />
        <TextField id='audit-actor' label='操作人账号（可不填）' value={actor} onChange={setActor} maxlength={24} error={errors.actorUserId} />
        <TextField id='audit-card' label='就诊卡号（可不填）' value={card} onChange={setCard} maxlength={24} error={errors.patientId} />
        <ChoiceField id='audit-dated' label='日期' choices={[{ value: 'any', label: '不限' }, { value: 'range', label: '选日期' }]} value={dated} onChange={setDated} />
        {dated === 'range' && (
          <>
            <DateField id='audit-from' label='从' value={range.from} onChange={(from) => setRange({ ...range, from })} error={errors.from} />
            <DateField id='audit-to' label='到（含这天）' value={range.to} onChange={(to) => setRange({ ...range, to })} error={errors.to} />
          </>
        )}
        {failure && <FormMessage id='audit-message' tone='error' message={failure.message} requestId={failure.requestId} />}
        <Button ariaRole='button' className='btn btn-primary counter-big' id='audit-submit' {...busyButton(busy)} onClick={() => void search()}>
          查看记录
        </Button>
      </View>
      {entries && (
        <View className='card' id='audit-entries' data-count={entries.length}>
          <Text className='admin-field-label'>{entries.length === 0 ? '没有符合条件的记录。' : `共 ${entries.length} 条（最新的在前）`}</Text>
          {entries.map((entry, index) => (
            <Entry key={`${entry.at}-${index}`} entry={entry} onActor={(id) => narrow({ actor: id })} onCard={(id) => narrow({ card: id })} />
          ))}
        </View>
      )}
    </PageShell>
  )
}
