// 加号: extra places for one session of a doctor, with the time window, how many and why. The reason
// and the staff member are recorded, so every extra place can be traced.
import { useCallback, useEffect, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import type { ApiError } from '../../../services/api'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { ChoiceField } from '../../components/ChoiceField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { SelectField } from '../../components/SelectField'
import { toApiError, useOverview } from '../../hooks/useOverview'
import { addExtraSlot, fetchSessions, type Overview, type Session, type SessionDay } from '../../services/adminApi'
import { formFailureOf, INLINE_ONLY_MESSAGE, type FormFailure } from '../../utils/fieldErrors'
import { addMinutes } from '../../utils/sessionTimes'
import { wholeNumberFromText } from '../../utils/wholeNumber'
import '../../components/admin.scss'

const FIELDS = ['scheduleId', 'startTime', 'endTime', 'capacity', 'reason']
const EXTRA_MINUTES = 30

const windowOf = (session: Session) => {
  const first = session.slots[0]?.window.split('-')[0] ?? ''
  const last = session.slots.filter((slot) => !slot.extra).at(-1)?.window.split('-')[1] ?? first
  return { start: first, end: last }
}

/** Extra places usually follow the session: they start when its last regular window ends. */
function defaultWindow(session: Session | undefined) {
  if (!session) return { startTime: '', endTime: '' }
  const { end } = windowOf(session)
  return { startTime: end, endTime: addMinutes(end, EXTRA_MINUTES) }
}

function sessionChoices(day: SessionDay | undefined) {
  return (day?.periods ?? []).map((session) => {
    const { start, end } = windowOf(session)
    const stopped = session.status === 'stopped'
    return { value: session.scheduleId, label: `${session.label} ${start}-${end}${stopped ? '（停诊）' : `，余 ${session.remaining} 号`}`, disabled: stopped }
  })
}

function ExtraSlotForm({ overview, doctorId: initialDoctorId }: { overview: Overview; doctorId?: string }) {
  const [doctorId, setDoctorId] = useState(initialDoctorId ?? '')
  // Keyed by doctor, so an answer that arrives after switching doctors is never shown for the new one.
  const [sessions, setSessions] = useState<{ doctorId: string; days: SessionDay[] } | undefined>()
  const days = sessions?.doctorId === doctorId ? sessions.days : undefined
  const [loadError, setLoadError] = useState<ApiError | undefined>()
  const [date, setDate] = useState('')
  const [scheduleId, setScheduleId] = useState('')
  const [times, setTimes] = useState({ startTime: '', endTime: '' })
  const [capacity, setCapacity] = useState('1')
  const [reason, setReason] = useState('')
  const [failure, setFailure] = useState<FormFailure | undefined>()
  const [done, setDone] = useState<string | undefined>()
  const [saving, setSaving] = useState(false)

  const refreshSessions = useCallback(
    () =>
      fetchSessions(doctorId).then(
        (loaded) => setSessions({ doctorId, days: loaded }),
        (e: unknown) => setLoadError(toApiError(e)),
      ),
    [doctorId],
  )
  useEffect(() => {
    if (doctorId) void refreshSessions()
  }, [doctorId, refreshSessions])
  const retry = () => {
    setLoadError(undefined)
    void refreshSessions()
  }

  const day = days?.find((candidate) => candidate.date === date)
  const session = day?.periods.find((candidate) => candidate.scheduleId === scheduleId)
  const doctor = overview.doctors.find((candidate) => candidate._id === doctorId)
  const extras = session?.slots.filter((slot) => slot.extra) ?? []

  const chooseDoctor = (id: string) => {
    setDoctorId(id)
    setLoadError(undefined)
    setDate('')
    setScheduleId('')
    setDone(undefined)
  }
  const chooseDate = (value: string) => {
    setDate(value)
    setScheduleId('')
    setDone(undefined)
  }
  const chooseSession = (value: string) => {
    setScheduleId(value)
    setTimes(defaultWindow(day?.periods.find((candidate) => candidate.scheduleId === value)))
    setDone(undefined)
  }

  const submit = async () => {
    const places = wholeNumberFromText(capacity)
    if (places === null || Number.isNaN(places)) {
      setFailure({ fields: { capacity: '请填写整数号数，例如 2' }, message: INLINE_ONLY_MESSAGE })
      return
    }
    setSaving(true)
    setFailure(undefined)
    try {
      await addExtraSlot({ scheduleId, ...times, capacity: places, reason })
      setDone(`已为${doctor?.name ?? ''}医生 ${day?.label ?? ''} ${session?.label ?? ''}加号 ${places} 个（${times.startTime}-${times.endTime}），患者现在就能挂到。加号原因已记录。`)
      setReason('')
      await refreshSessions()
    } catch (e) {
      setFailure(formFailureOf(e, FIELDS))
    } finally {
      setSaving(false)
    }
  }

  const doctorChoices = overview.doctors.map((candidate) => ({ value: candidate._id, label: `${candidate.name}（${candidate.title}）` }))
  const dayChoices = (days ?? []).filter((candidate) => candidate.periods.length > 0).map((candidate) => ({ value: candidate.date, label: candidate.label }))
  const errors = failure?.fields ?? {}
  return (
    <View className='card admin-form' id='extra-slot-form'>
      <Text className='title'>加号</Text>
      <Text className='caption'>为某次出诊临时增加号源。请依次选择医生、日期和出诊，再填写时段、数量和原因。</Text>
      <SelectField id='extra-doctor' label='医生' choices={doctorChoices} value={doctorId} onChange={chooseDoctor} placeholder='请选择医生' />
      {loadError && <AdminNotice error={loadError} onRetry={retry} />}
      {doctorId && !days && !loadError && <Text className='caption'>正在查找这位医生的出诊…</Text>}
      {days && dayChoices.length === 0 && <Text className='notice-text'>这位医生近两周没有出诊，请先生成排班。</Text>}
      {dayChoices.length > 0 && <ChoiceField id='extra-date' label='日期' choices={dayChoices} value={date} onChange={chooseDate} />}
      {day && <ChoiceField id='extra-session' label='出诊' choices={sessionChoices(day)} value={scheduleId} onChange={chooseSession} error={errors.scheduleId} />}
      {session && (
        <>
          {extras.map((slot) => (
            <Text key={slot.window} className='caption'>
              已加号：{slot.window} 共 {slot.capacity} 个，还剩 {slot.remaining} 个
            </Text>
          ))}
          <TextField id='extra-start' label='加号时段开始' value={times.startTime} onChange={(startTime) => setTimes({ ...times, startTime })} placeholder='例如 11:30' maxlength={5} error={errors.startTime} />
          <TextField id='extra-end' label='加号时段结束' value={times.endTime} onChange={(endTime) => setTimes({ ...times, endTime })} placeholder='例如 12:00' maxlength={5} error={errors.endTime} />
          <TextField id='extra-capacity' label='加几个号' type='number' value={capacity} onChange={setCapacity} maxlength={2} error={errors.capacity} />
          <TextField id='extra-reason' label='加号原因' multiline value={reason} onChange={setReason} placeholder='例如 复诊患者需当天看报告，经科主任同意' hint='必填，用于日后追溯。' error={errors.reason} />
        </>
      )}
      {failure && <FormMessage id='extra-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      {done && <FormMessage id='extra-message' tone='done' message={done} />}
      {session && (
        <Button ariaRole='button' className='btn btn-primary' id='extra-submit' {...busyButton(saving)} onClick={() => void submit()}>
          确认加号
        </Button>
      )}
    </View>
  )
}

export default function AdminExtraSlotPage() {
  const { params } = useRouter()
  const { overview, error, reload } = useOverview()
  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {overview && <ExtraSlotForm overview={overview} doctorId={params.doctorId} />}
    </PageShell>
  )
}
