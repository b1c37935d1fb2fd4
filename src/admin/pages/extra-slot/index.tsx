// 加号: extra places for one session of a doctor, with the time window, how many and why. Either published
// for anyone to book, or given at the desk to one named card (held for it, to pay in the app). The reason
// and the staff member are recorded, so every extra place can be traced.
import { useCallback, useEffect, useRef, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { isApiError, type ApiError } from '../../../services/api'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { CardFinder } from '../../components/CardFinder'
import { ChoiceField } from '../../components/ChoiceField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { SearchPickField } from '../../components/SearchPickField'
import { TimeField } from '../../components/TimeField'
import { toApiError, useOverview } from '../../hooks/useOverview'
import { addExtraSlot, addPlaceForCard, fetchSessions, type Overview, type Session, type SessionDay } from '../../services/adminApi'
import type { LookedUpPerson } from '../../services/clinicDayApi'
import { doctorSearchChoices } from '../../utils/catalogChoices'
import { formFailureOf, INLINE_ONLY_MESSAGE, type FormFailure } from '../../utils/fieldErrors'
import { addMinutes, endsAfter } from '../../utils/sessionTimes'
import { newRequestId } from '../../../utils/requestId'
import { wholeNumberFromText } from '../../utils/wholeNumber'
import '../../components/admin.scss'

const FIELDS = ['scheduleId', 'startTime', 'endTime', 'capacity', 'reason', 'overrideReason']
const EXTRA_MINUTES = 30
const MODES = [
  { value: 'public', label: '放到网上，谁都能挂' },
  { value: 'desk', label: '给窗口这位患者' },
]
/** Refusals about the person (not the session) that staff may override with a reason. */
const OVERRIDABLE = ['PATIENT_RESTRICTED', 'PERSON_QUOTA', 'ACTIVE_QUOTA', 'DAILY_QUOTA', 'DEPARTMENT_DAILY_QUOTA', 'AGE_RESTRICTED', 'AGE_UNKNOWN', 'SEX_RESTRICTED', 'SEX_UNKNOWN']

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

function ExtraSlotForm({ overview, doctorId: initialDoctorId, mode: initialMode }: { overview: Overview; doctorId?: string; mode?: string }) {
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
  const [mode, setMode] = useState(initialMode === 'desk' ? 'desk' : 'public')
  const [person, setPerson] = useState<LookedUpPerson>()
  const [overrideReason, setOverrideReason] = useState<string>()
  // One id per intended place: a retry after a lost answer gets the same place back, never a second one.
  const requestId = useRef(newRequestId())

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
    const places = mode === 'desk' ? 1 : wholeNumberFromText(capacity)
    const fields: Record<string, string> = {}
    if (places === null || Number.isNaN(places)) fields.capacity = '请填写整数号数，例如 2'
    if (!endsAfter(times.startTime, times.endTime)) fields.endTime = '结束时间要晚于开始时间'
    if (Object.keys(fields).length > 0) {
      setFailure({ fields, message: INLINE_ONLY_MESSAGE })
      return
    }
    setSaving(true)
    setFailure(undefined)
    try {
      if (mode === 'desk' && person) {
        const given = await addPlaceForCard({ scheduleId, patientId: person.patient.id, ...times, reason, requestId: requestId.current, ...(overrideReason !== undefined && { overrideReason: overrideReason.trim() }) })
        setDone(given.message)
        setPerson(undefined)
        setOverrideReason(undefined)
      } else {
        await addExtraSlot({ scheduleId, ...times, capacity: places as number, reason })
        setDone(`已为${doctor?.name ?? ''}医生 ${day?.label ?? ''} ${session?.label ?? ''}加号 ${places} 个（${times.startTime}-${times.endTime}），患者现在就能挂到。加号原因已记录。`)
      }
      requestId.current = newRequestId()
      setReason('')
      await refreshSessions()
    } catch (e) {
      const code = isApiError(e) ? e.code : ''
      // A refusal about the person: staff may go ahead with a reason, which is recorded.
      if (mode === 'desk' && OVERRIDABLE.includes(code) && overrideReason === undefined) setOverrideReason('')
      // A lost answer keeps the id, so tapping again cannot add a second place; a refusal starts afresh.
      else if (code !== 'NETWORK_ERROR') requestId.current = newRequestId()
      setFailure(formFailureOf(e, FIELDS))
    } finally {
      setSaving(false)
    }
  }

  const dayChoices = (days ?? []).filter((candidate) => candidate.periods.length > 0).map((candidate) => ({ value: candidate.date, label: candidate.label }))
  const errors = failure?.fields ?? {}
  return (
    <View className='card admin-form' id='extra-slot-form'>
      <Text className='title'>加号</Text>
      <Text className='caption'>为某次出诊临时增加号源。请依次选择医生、日期和出诊，再选时段、填写数量和原因。</Text>
      <ChoiceField id='extra-mode' label='这个号给谁' choices={MODES} value={mode} onChange={(value) => { setMode(value); setDone(undefined); setFailure(undefined) }} />
      <SearchPickField id='extra-doctor' label='医生' choices={doctorSearchChoices(overview)} value={doctorId} onChange={chooseDoctor} placeholder='输入医生姓名或科室，例如 王 或 皮肤' />
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
          <TimeField id='extra-start' label='加号时段开始' value={times.startTime} onChange={(startTime) => setTimes({ ...times, startTime })} error={errors.startTime} />
          <TimeField id='extra-end' label='加号时段结束' value={times.endTime} onChange={(endTime) => setTimes({ ...times, endTime })} error={errors.endTime} />
          {mode === 'public' && <TextField id='extra-capacity' label='加几个号' type='number' value={capacity} onChange={setCapacity} maxlength={2} error={errors.capacity} />}
          {mode === 'desk' && !person && <CardFinder id='extra-card' onPick={(found) => { setPerson(found); setOverrideReason(undefined); setFailure(undefined); requestId.current = newRequestId() }} />}
          {mode === 'desk' && person && (
            <View className='admin-input admin-select' id='extra-person' ariaRole='button' ariaLabel={`就诊人：${person.patient.name}，点按更换`} onClick={() => setPerson(undefined)}>
              <Text>
                就诊人：{person.patient.name} {person.patient.idNumber ?? ''}
              </Text>
              <Text className='admin-pick-change'>更换</Text>
            </View>
          )}
          <TextField id='extra-reason' label='加号原因' multiline value={reason} onChange={setReason} placeholder='例如 复诊患者需当天看报告，经科主任同意' hint='必填，用于日后追溯。' error={errors.reason} />
          {mode === 'desk' && overrideReason !== undefined && (
            <TextField id='extra-override' label='破例原因' multiline value={overrideReason} onChange={setOverrideReason} placeholder='例如 医生同意当天加诊' hint='这位患者按规定不能再约，确需加号请写明依据，会记录在案。' error={errors.overrideReason} />
          )}
        </>
      )}
      {failure && <FormMessage id='extra-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      {done && <FormMessage id='extra-message' tone='done' message={done} />}
      {session && (mode === 'public' || person) && (
        <Button ariaRole='button' className='btn btn-primary' id='extra-submit' {...busyButton(saving)} onClick={() => void submit()}>
          {mode === 'desk' && person ? `确认为${person.patient.name}加号` : '确认加号'}
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
      {overview && <ExtraSlotForm overview={overview} doctorId={params.doctorId} mode={params.mode} />}
    </PageShell>
  )
}
