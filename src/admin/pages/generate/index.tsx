// 生成排班: turn the weekly templates into dated sessions for a date range (the whole hospital or one
// doctor), and say in sentences what changed. Sessions patients already booked are never touched.
import { useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { DateField } from '../../components/DateField'
import { FormMessage } from '../../components/FormMessage'
import { SearchPickField } from '../../components/SearchPickField'
import { useOverview } from '../../hooks/useOverview'
import { generateSchedules, type Overview } from '../../services/adminApi'
import { doctorSearchChoices } from '../../utils/catalogChoices'
import { defaultGenerateRange } from '../../utils/dateRange'
import { describeReport } from '../../utils/describeReport'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'
import '../../components/admin.scss'

const FIELDS = ['from', 'to', 'doctorId']

function GenerateForm({ overview, doctorId: initialDoctorId }: { overview: Overview; doctorId?: string }) {
  const [range, setRange] = useState(() => defaultGenerateRange(new Date(), overview.hospital.timeZone))
  const [doctorId, setDoctorId] = useState(initialDoctorId ?? '')
  const [failure, setFailure] = useState<FormFailure | undefined>()
  const [report, setReport] = useState<string[] | undefined>()
  const [running, setRunning] = useState(false)

  const doctorName = (id: string) => overview.doctors.find((doctor) => doctor._id === id)?.name ?? '一位医生'
  const doctorChoices = [{ value: '', label: '全院所有医生' }, ...doctorSearchChoices(overview)]
  const change = (patch: Partial<typeof range>) => {
    setRange({ ...range, ...patch })
    setReport(undefined)
  }

  const run = async () => {
    setRunning(true)
    setFailure(undefined)
    setReport(undefined)
    try {
      const result = await generateSchedules({ ...range, ...(doctorId && { doctorId }) })
      setReport(describeReport(result.report, doctorName))
    } catch (e) {
      setFailure(formFailureOf(e, FIELDS))
    } finally {
      setRunning(false)
    }
  }

  const errors = failure?.fields ?? {}
  return (
    <>
      <View className='card admin-form' id='generate-form'>
        <Text className='title'>生成排班</Text>
        <Text className='caption'>按出诊模板排出这段时间每天的出诊和号源。可以放心重复生成：没有人预约的出诊会按最新模板重排，已有人预约的出诊保持原样。</Text>
        <SearchPickField id='generate-doctor' label='医生' choices={doctorChoices} value={doctorId} onChange={setDoctorId} placeholder='输入医生姓名或科室' error={errors.doctorId} />
        <DateField id='generate-from' label='开始日期' value={range.from} onChange={(from) => change({ from })} error={errors.from} />
        <DateField id='generate-to' label='结束日期' value={range.to} start={range.from} onChange={(to) => change({ to })} hint='一次最多 31 天。默认是今天起的两周，也就是患者能看到的范围。' error={errors.to} />
        {failure && <FormMessage id='generate-message' tone='error' message={failure.message} requestId={failure.requestId} />}
        <Button ariaRole='button' className='btn btn-primary' id='generate-run' {...busyButton(running)} onClick={() => void run()}>
          {running ? '正在生成…' : '开始生成'}
        </Button>
      </View>
      {report && (
        <View className='card' id='generate-report' ariaRole='status'>
          <Text className='title'>生成完成</Text>
          {report.map((sentence) => (
            <Text key={sentence} className='notice-text'>
              {sentence}
            </Text>
          ))}
        </View>
      )}
    </>
  )
}

export default function AdminGeneratePage() {
  const { params } = useRouter()
  const { overview, error, reload } = useOverview()
  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {overview && <GenerateForm overview={overview} doctorId={params.doctorId} />}
    </PageShell>
  )
}
