// The progress of one 停诊/替诊 job: done, failed with the reason, still to do, and 重试 for failures.
// While the job runs it is read again every few seconds, so staff watch it finish without touching anything.
import { useCallback, useEffect, useState } from 'react'
import { Button, Text, View } from '@tarojs/components'
import type { ApiError } from '../../services/api'
import { busyButton } from '../../utils/buttonState'
import { toApiError } from '../hooks/useOverview'
import { fetchClinicJob, retryClinicJob, type ClinicJob, type ClinicJobItem } from '../services/clinicDayApi'
import { AdminNotice } from './AdminNotice'
import { FormMessage } from './FormMessage'
import './clinicDay.scss'

const POLL_MS = 2000

function ItemRow({ item }: { item: ClinicJobItem }) {
  return (
    <View className={`clinic-item clinic-item-${item.state}`} data-state={item.state}>
      <View className='admin-row-text'>
        <Text>
          {item.number !== null ? `${item.number} 号 ` : ''}
          {item.patientName} · {item.when}
        </Text>
        {item.failure && <Text className='admin-field-error'>没办成：{item.failure.reason}</Text>}
      </View>
      <Text className='clinic-item-label'>{item.label}</Text>
    </View>
  )
}

export function ClinicJobProgress({ initial, note }: { initial: ClinicJob; note?: string }) {
  const [job, setJob] = useState(initial)
  const [error, setError] = useState<ApiError | undefined>()
  const [message, setMessage] = useState(note)
  const [retrying, setRetrying] = useState(false)

  const refresh = useCallback(
    () =>
      fetchClinicJob(initial.id).then(
        (next) => {
          setJob(next)
          setError(undefined)
        },
        (e: unknown) => setError(toApiError(e)),
      ),
    [initial.id],
  )
  useEffect(() => {
    if (job.status !== 'running') return undefined
    const timer = setInterval(() => void refresh(), POLL_MS)
    return () => clearInterval(timer)
  }, [job.status, refresh])

  const retry = async () => {
    setRetrying(true)
    try {
      const answer = await retryClinicJob(job.id)
      setJob(answer.job)
      setMessage(answer.message)
      setError(undefined)
    } catch (e) {
      setError(toApiError(e))
    } finally {
      setRetrying(false)
    }
  }

  const { counts } = job
  const failed = job.items.filter((item) => item.state === 'failed')
  return (
    <View className='card admin-form' id='clinic-job' data-status={job.status} data-remaining={counts.remaining} data-failed={counts.failed}>
      <Text className='title'>
        {job.kindLabel}：{job.scopeLabel}
      </Text>
      <Text className='caption'>
        原因：{job.reason}
        {job.substitute ? `；由${job.substitute.doctorName}（${job.substitute.title}）替诊` : ''}
      </Text>
      {message && <FormMessage id='clinic-job-message' tone='done' message={message} />}
      <View className='clinic-counts'>
        <View className='clinic-count' id='clinic-count-done'>
          <Text className='clinic-count-figure'>{counts.done}</Text>
          <Text className='caption'>已处理</Text>
        </View>
        <View className='clinic-count clinic-count-failed' id='clinic-count-failed'>
          <Text className='clinic-count-figure'>{counts.failed}</Text>
          <Text className='caption'>没办成</Text>
        </View>
        <View className='clinic-count' id='clinic-count-remaining'>
          <Text className='clinic-count-figure'>{counts.remaining}</Text>
          <Text className='caption'>还剩</Text>
        </View>
      </View>
      <Text id='clinic-job-summary'>{job.summary}</Text>
      {job.status === 'running' && <Text className='caption'>正在处理，这里会自动更新，请稍等…</Text>}
      {job.status === 'finished' && counts.failed === 0 && (
        <Text className='notice-text' id='clinic-job-finished'>
          全部处理完了{counts.refunded > 0 ? `，其中 ${counts.refunded} 笔挂号费已原路退回` : ''}。每位患者都会收到通知。
        </Text>
      )}
      {error && <AdminNotice error={error} onRetry={() => void refresh()} />}
      {counts.failed > 0 && (
        <Button ariaRole='button' className='btn btn-primary' id='clinic-job-retry' {...busyButton(retrying)} onClick={() => void retry()}>
          重试没办成的 {failed.length} 个
        </Button>
      )}
      {job.items.length > 0 && (
        <View className='clinic-items' id='clinic-job-items'>
          {job.items.map((item) => (
            <ItemRow key={item.appointmentId} item={item} />
          ))}
        </View>
      )}
    </View>
  )
}
