// 停诊: stop one session, a doctor's whole day, or several days, with a reason and (for a session or a
// day) an optional substitute doctor of the same department and fee class. Then the job's progress,
// read again until it is done, with 重试 for anything that failed. Recent jobs can be reopened.
import { useCallback, useEffect, useState } from 'react'
import { useDidShow, useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import type { ApiError } from '../../../services/api'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { ChoiceField } from '../../components/ChoiceField'
import { ClinicJobProgress } from '../../components/ClinicJobProgress'
import { DateField } from '../../components/DateField'
import { TextField } from '../../components/FormField'
import { FormMessage } from '../../components/FormMessage'
import { SearchPickField } from '../../components/SearchPickField'
import { SelectField } from '../../components/SelectField'
import { toApiError, useOverview } from '../../hooks/useOverview'
import { fetchSessions, type Overview, type SessionDay } from '../../services/adminApi'
import { fetchClinicJobs, stopClinic, type ClinicJob, type StopTarget } from '../../services/clinicDayApi'
import { doctorSearchChoices } from '../../utils/catalogChoices'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'
import '../../components/admin.scss'
import '../../components/clinicDay.scss'

type Scope = StopTarget['scope']
const SCOPES = [
  { value: 'session', label: '一次出诊' },
  { value: 'day', label: '一整天' },
  { value: 'range', label: '连续几天' },
]
const NO_SUBSTITUTE = ''

function targetOf(scope: Scope, doctorId: string, scheduleId: string, date: string, range: { from: string; to: string }): StopTarget | undefined {
  if (scope === 'session') return scheduleId ? { scope, scheduleId } : undefined
  if (scope === 'day') return date ? { scope, doctorId, date } : undefined
  return range.from && range.to ? { scope, doctorId, ...range } : undefined
}

interface StopFormProps {
  overview: Overview
  /** From the doctor's own admin page (`?doctorId=`), so the doctor is already chosen. */
  initialDoctorId?: string
  onStarted: (job: ClinicJob, message: string) => void
}

function StopForm({ overview, initialDoctorId, onStarted }: StopFormProps) {
  const [doctorId, setDoctorId] = useState(initialDoctorId ?? '')
  const [sessions, setSessions] = useState<{ doctorId: string; days: SessionDay[] } | undefined>()
  const days = sessions?.doctorId === doctorId ? sessions.days : undefined
  const [loadError, setLoadError] = useState<ApiError | undefined>()
  const [scope, setScope] = useState<Scope>('session')
  const [date, setDate] = useState('')
  const [scheduleId, setScheduleId] = useState('')
  const [range, setRange] = useState({ from: '', to: '' })
  const [reason, setReason] = useState('')
  const [substituteId, setSubstituteId] = useState(NO_SUBSTITUTE)
  const [confirming, setConfirming] = useState(false)
  const [saving, setSaving] = useState(false)
  const [failure, setFailure] = useState<FormFailure | undefined>()

  const load = useCallback(
    () =>
      fetchSessions(doctorId).then(
        (loaded) => {
          setSessions({ doctorId, days: loaded })
          const first = loaded.find((day) => day.periods.length > 0)?.date ?? ''
          setRange({ from: first, to: first })
        },
        (e: unknown) => setLoadError(toApiError(e)),
      ),
    [doctorId],
  )
  useEffect(() => {
    if (doctorId) void load()
  }, [doctorId, load])

  const doctor = overview.doctors.find((candidate) => candidate._id === doctorId)
  const day = days?.find((candidate) => candidate.date === date)
  const session = day?.periods.find((candidate) => candidate.scheduleId === scheduleId)
  const target = targetOf(scope, doctorId, scheduleId, date, range)
  const colleagues = overview.doctors.filter(
    (candidate) => doctor && candidate._id !== doctor._id && candidate.active && candidate.departmentId === doctor.departmentId && candidate.feeClass === doctor.feeClass,
  )

  const reset = () => {
    setConfirming(false)
    setFailure(undefined)
  }
  const chooseDoctor = (id: string) => {
    setDoctorId(id)
    setLoadError(undefined)
    setDate('')
    setScheduleId('')
    setSubstituteId(NO_SUBSTITUTE)
    reset()
  }

  const submit = async () => {
    if (!target) return
    setSaving(true)
    setFailure(undefined)
    try {
      const answer = await stopClinic({ target, reason: reason.trim(), ...(substituteId && scope !== 'range' && { substituteDoctorId: substituteId }) })
      onStarted(answer.job, answer.message)
    } catch (e) {
      setFailure(formFailureOf(e, ['reason', 'substituteDoctorId', 'target']))
      setConfirming(false)
    } finally {
      setSaving(false)
    }
  }

  const dayChoices = (days ?? []).filter((candidate) => candidate.periods.length > 0).map((candidate) => ({ value: candidate.date, label: candidate.label }))
  const sessionChoices = (day?.periods ?? []).map((candidate) => ({
    value: candidate.scheduleId,
    label: `${candidate.label}${candidate.status === 'stopped' ? '（已停诊）' : ''}`,
    disabled: candidate.status === 'stopped',
  }))
  const substitute = colleagues.find((candidate) => candidate._id === substituteId)
  const what = scope === 'session' ? `${day?.label ?? ''} ${session?.label ?? ''}` : scope === 'day' ? `${day?.label ?? ''}全天` : `${range.from} 至 ${range.to}`
  const errors = failure?.fields ?? {}
  return (
    <View className='card admin-form' id='stop-form'>
      <Text className='title'>停诊</Text>
      <Text className='caption'>医生临时不能出诊时用。停诊后这些号马上停挂，已预约的患者会被取消预约、已付的挂号费原路退回，并收到通知和可改约的号源。</Text>
      <SearchPickField id='stop-doctor' label='哪位医生' choices={doctorSearchChoices(overview)} value={doctorId} onChange={chooseDoctor} placeholder='输入医生姓名或科室，例如 王 或 皮肤' />
      {loadError && <AdminNotice error={loadError} onRetry={() => void load()} />}
      {doctorId && !days && !loadError && <Text className='caption'>正在查找这位医生的出诊…</Text>}
      {days && dayChoices.length === 0 && <Text className='notice-text'>这位医生近两周没有出诊，不需要停诊。</Text>}
      {dayChoices.length > 0 && (
        <>
          <ChoiceField id='stop-scope' label='停多久' choices={SCOPES} value={scope} onChange={(value) => { setScope(value as Scope); reset() }} />
          {scope !== 'range' && <ChoiceField id='stop-date' label='哪一天' choices={dayChoices} value={date} onChange={(value) => { setDate(value); setScheduleId(''); reset() }} />}
          {scope === 'session' && day && <ChoiceField id='stop-session' label='哪次出诊' choices={sessionChoices} value={scheduleId} onChange={(value) => { setScheduleId(value); reset() }} />}
          {scope === 'range' && (
            <>
              <DateField id='stop-from' label='从哪天' value={range.from} start={dayChoices[0].value} onChange={(from) => setRange({ ...range, from })} />
              <DateField id='stop-to' label='到哪天（含这天，最多 31 天）' value={range.to} start={range.from} onChange={(to) => setRange({ ...range, to })} />
            </>
          )}
          <TextField id='stop-reason' label='停诊原因' value={reason} onChange={setReason} maxlength={40} placeholder='例如 医生临时生病' hint='患者会在通知里看到这句话，请写得简短明白。' error={errors.reason} />
          {scope !== 'range' && (
            <SelectField
              id='stop-substitute'
              label='请人替诊（可不选）'
              choices={[{ value: NO_SUBSTITUTE, label: '不安排替诊，直接停诊' }, ...colleagues.map((candidate) => ({ value: candidate._id, label: `${candidate.name}（${candidate.title}）替诊` }))]}
              value={substituteId}
              onChange={setSubstituteId}
              hint={colleagues.length === 0 ? '本科室没有同号别的医生可以替诊。' : '替诊时预约会转给这位医生，患者可以随时免费取消。'}
              error={errors.substituteDoctorId}
            />
          )}
        </>
      )}
      {failure && <FormMessage id='stop-message' tone='error' message={failure.message} requestId={failure.requestId} />}
      {target && !confirming && (
        <Button ariaRole='button' className='btn btn-primary counter-big' id='stop-submit' onClick={() => setConfirming(true)}>
          {substitute ? '安排替诊' : '停诊'}
        </Button>
      )}
      {target && confirming && (
        <View className='admin-actions' id='stop-confirm'>
          <FormMessage
            id='stop-confirm-text'
            tone='error'
            message={substitute ? `确定由${substitute.name}替${doctor?.name ?? ''}医生看 ${what} 的患者吗？` : `确定停掉${doctor?.name ?? ''}医生 ${what} 的号吗？已预约的患者会被取消并退费，这一步不能撤回。`}
          />
          <Button ariaRole='button' className='btn btn-primary counter-big' id='stop-confirm-yes' {...busyButton(saving)} onClick={() => void submit()}>
            {substitute ? '确认替诊' : '确认停诊'}
          </Button>
          <Button ariaRole='button' className='btn btn-secondary' id='stop-confirm-no' onClick={() => setConfirming(false)}>
            先不停
          </Button>
        </View>
      )}
    </View>
  )
}

function RecentJobs({ onOpen }: { onOpen: (job: ClinicJob) => void }) {
  const [jobs, setJobs] = useState<ClinicJob[]>()
  const load = () => fetchClinicJobs().then(setJobs, () => setJobs([]))
  useDidShow(() => void load())
  if (!jobs || jobs.length === 0) return null
  return (
    <View className='card' id='stop-recent'>
      <Text className='title'>最近的停诊和替诊</Text>
      {jobs.map((job) => (
        <View key={job.id} className='admin-row' ariaRole='button' ariaLabel={`查看${job.kindLabel}${job.scopeLabel}`} onClick={() => onOpen(job)}>
          <View className='admin-row-text'>
            <Text>
              {job.kindLabel}：{job.scopeLabel}
            </Text>
            <Text className='caption'>{job.summary}</Text>
          </View>
          <Text className='caption'>查看</Text>
        </View>
      ))}
    </View>
  )
}

export default function AdminStopClinicPage() {
  const { params } = useRouter()
  const { overview, error, reload } = useOverview()
  const [started, setStarted] = useState<{ job: ClinicJob; message?: string }>()
  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {started && (
        <>
          <ClinicJobProgress key={started.job.id} initial={started.job} note={started.message} />
          <Button ariaRole='button' className='btn btn-secondary' id='stop-another' onClick={() => setStarted(undefined)}>
            再停一次诊
          </Button>
        </>
      )}
      {overview && !started && (
        <>
          <StopForm overview={overview} initialDoctorId={params.doctorId} onStarted={(job, message) => setStarted({ job, message })} />
          <RecentJobs onOpen={(job) => setStarted({ job })} />
        </>
      )}
    </PageShell>
  )
}
