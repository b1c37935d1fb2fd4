// 患者查询 for staff: by appointment number, visit code, card number, or name plus the last 4 of the ID,
// always with the reason for looking (recorded with the look-up). Shows the person's appointments,
// no-shows (each can be waived with a reason), whether online booking is restricted, and payments.
import { useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import type { ApiError } from '../../../services/api'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { ChoiceField } from '../../components/ChoiceField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { toApiError } from '../../hooks/useOverview'
import { fetchLookupReasons, lookupPatient, waiveNoShow, type LookedUpPerson, type LookupQuery, type LookupReason } from '../../services/clinicDayApi'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'
import { yuanTextFromFen } from '../../utils/money'
import '../../components/admin.scss'
import '../../components/clinicDay.scss'

type By = LookupQuery['by']
const WAYS = [
  { value: 'appointment', label: '预约编号' },
  { value: 'visitCode', label: '就诊码' },
  { value: 'card', label: '就诊卡号' },
  { value: 'nameId', label: '姓名和证件后 4 位' },
]
const PAYMENT_LABELS: Record<string, string> = { pending: '待支付', paid: '已支付', closed: '已关闭', refunded: '已退款' }
const REFUND_LABELS: Record<string, string> = { queued: '待退款', processing: '退款中', succeeded: '已退回', failed: '退款失败' }

function queryOf(by: By, text: string, name: string, idLast4: string): LookupQuery {
  if (by === 'appointment') return { by, appointmentId: text.trim() }
  if (by === 'visitCode') return { by, code: text.trim() }
  if (by === 'card') return { by, patientId: text.trim() }
  return { by, name: name.trim(), idLast4: idLast4.trim() }
}

function NoShowRow({ noShow, onWaived }: { noShow: LookedUpPerson['noShows'][number]; onWaived: (message: string) => void }) {
  const [open, setOpen] = useState(false)
  const [reason, setReason] = useState('')
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<FormFailure>()
  const waive = async () => {
    setBusy(true)
    setFailure(undefined)
    try {
      onWaived((await waiveNoShow(noShow.appointmentId, reason.trim())).message)
    } catch (e) {
      setFailure(formFailureOf(e, ['reason']))
    } finally {
      setBusy(false)
    }
  }
  const id = `no-show-${noShow.appointmentId}`
  return (
    <View className='lookup-section' id={id}>
      <Text>
        {noShow.date} 爽约{noShow.waived ? `（已免除：${noShow.waived.reason}）` : ''}
      </Text>
      {!noShow.waived && !open && (
        <Button ariaRole='button' className='btn btn-secondary' id={`${id}-waive`} onClick={() => setOpen(true)}>
          免除这次爽约
        </Button>
      )}
      {open && (
        <>
          <TextField id={`${id}-reason`} label='免除原因' value={reason} onChange={setReason} maxlength={100} placeholder='例如 患者突发急病住院，有病历证明' hint='会记录在案，请写清楚依据。' error={failure?.fields.reason} />
          {failure && <FormMessage id={`${id}-error`} tone='error' message={failure.message} requestId={failure.requestId} />}
          <Button ariaRole='button' className='btn btn-primary counter-big' id={`${id}-confirm`} {...busyButton(busy)} onClick={() => void waive()}>
            确认免除
          </Button>
        </>
      )}
    </View>
  )
}

function Person({ person, onChanged }: { person: LookedUpPerson; onChanged: (message: string) => void }) {
  const { patient, appointments, noShows, restriction, payments } = person
  return (
    <View className='card admin-form' id={`person-${patient.id}`}>
      <Text className='title'>{patient.name}</Text>
      <Text className='caption'>
        {[patient.idNumber && `证件 ${patient.idNumber}`, `手机 ${patient.phone}`, `${patient.managers} 个账号在管理这张卡`].filter(Boolean).join(' · ')}
      </Text>
      <Text className='caption'>就诊卡号：{patient.id}</Text>
      <Text className={restriction.restricted ? 'admin-field-error' : 'notice-text'} id={`person-restriction-${patient.id}`}>
        {restriction.message}
      </Text>
      <Text className='admin-field-label'>预约（{appointments.length}）</Text>
      {appointments.length === 0 && <Text className='caption'>没有预约记录。</Text>}
      {appointments.map((entry) => (
        <View key={entry.id} className='clinic-item' data-appointment-id={entry.id}>
          <View className='admin-row-text'>
            <Text>
              {entry.when} {entry.doctor}
              {entry.number !== null ? ` 第 ${entry.number} 号` : ''}
            </Text>
            <Text className='caption'>预约编号 {entry.id}</Text>
          </View>
          <Text className='clinic-item-label'>{entry.clinicStopped ? `${entry.statusLabel}（停诊）` : entry.statusLabel}</Text>
        </View>
      ))}
      {noShows.length > 0 && <Text className='admin-field-label'>爽约（{noShows.length}）</Text>}
      {noShows.map((noShow) => (
        <NoShowRow key={noShow.appointmentId} noShow={noShow} onWaived={onChanged} />
      ))}
      {payments.length > 0 && <Text className='admin-field-label'>缴费（{payments.length}）</Text>}
      {payments.map((payment) => (
        <View key={payment.outTradeNo} className='clinic-item'>
          <View className='admin-row-text'>
            <Text>
              {yuanTextFromFen(payment.amountFen)} 元 · {PAYMENT_LABELS[payment.status] ?? payment.status}
              {payment.refund ? ` · ${REFUND_LABELS[payment.refund.status] ?? payment.refund.status} ${yuanTextFromFen(payment.refund.amountFen)} 元` : ''}
            </Text>
            <Text className='caption'>订单号 {payment.outTradeNo}</Text>
          </View>
        </View>
      ))}
    </View>
  )
}

export default function AdminLookupPage() {
  const [reasons, setReasons] = useState<LookupReason[]>()
  const [loadError, setLoadError] = useState<ApiError>()
  const [by, setBy] = useState<By>('appointment')
  const [text, setText] = useState('')
  const [name, setName] = useState('')
  const [idLast4, setIdLast4] = useState('')
  const [reason, setReason] = useState('')
  const [people, setPeople] = useState<LookedUpPerson[]>()
  const [done, setDone] = useState<string>()
  const [failure, setFailure] = useState<FormFailure>()
  const [busy, setBusy] = useState(false)

  const loadReasons = () => fetchLookupReasons().then(setReasons, (e: unknown) => setLoadError(toApiError(e)))
  useEffect(() => void loadReasons(), [])

  const search = async (note?: string) => {
    setBusy(true)
    setFailure(undefined)
    setDone(note)
    try {
      setPeople((await lookupPatient({ ...queryOf(by, text, name, idLast4), reason })).people)
    } catch (e) {
      setPeople(undefined)
      setFailure(formFailureOf(e, ['appointmentId', 'code', 'patientId', 'name', 'idLast4', 'reason']))
    } finally {
      setBusy(false)
    }
  }

  const errors = failure?.fields ?? {}
  if (loadError) {
    return (
      <PageShell>
        <AdminNotice error={loadError} onRetry={() => { setLoadError(undefined); void loadReasons() }} />
      </PageShell>
    )
  }
  return (
    <PageShell>
      <View className='card admin-form' id='lookup-form'>
        <Text className='title'>患者查询</Text>
        <Text className='caption'>每次查询都会记下您的名字和查询原因。</Text>
        <ChoiceField id='lookup-by' label='按什么查' choices={WAYS} value={by} onChange={(value) => setBy(value as By)} />
        {by === 'nameId' ? (
          <>
            <TextField id='lookup-name' label='患者姓名' value={name} onChange={setName} maxlength={40} error={errors.name} />
            <TextField id='lookup-last4' label='证件号码后 4 位' value={idLast4} onChange={setIdLast4} maxlength={4} placeholder='例如 123X' error={errors.idLast4} />
          </>
        ) : (
          <TextField
            id='lookup-text'
            label={WAYS.find((way) => way.value === by)?.label ?? ''}
            value={text}
            onChange={setText}
            maxlength={200}
            error={errors.appointmentId ?? errors.code ?? errors.patientId}
          />
        )}
        {!reasons && <Text className='caption'>正在读取查询原因…</Text>}
        {reasons && (
          <ChoiceField id='lookup-reason' label='为什么查（必选）' choices={reasons} value={reason} onChange={setReason} error={errors.reason} />
        )}
        {failure && <FormMessage id='lookup-message' tone='error' message={failure.message} requestId={failure.requestId} />}
        <Button ariaRole='button' className='btn btn-primary counter-big' id='lookup-submit' {...busyButton(busy)} onClick={() => void search()}>
          查询
        </Button>
      </View>
      {done && <FormMessage id='lookup-done' tone='done' message={done} />}
      {people?.map((person) => (
        <Person key={person.patient.id} person={person} onChanged={(message) => void search(message)} />
      ))}
    </PageShell>
  )
}
