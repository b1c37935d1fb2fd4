// 对账报告: the T+1 reconciliation of one day's WeChat Pay bill against our orders, as the daily run
// (10:30) stored it, grouped by what was found; staff can run it again for that day at once.
import { useEffect, useState } from 'react'
import { useRouter } from '@tarojs/taro'
import { Button, Text, View } from '@tarojs/components'
import { PageShell } from '../../../components/PageShell'
import { isApiError, type ApiError } from '../../../services/api'
import { busyButton } from '../../../utils/buttonState'
import { AdminNotice } from '../../components/AdminNotice'
import { DateField } from '../../components/DateField'
import { FormMessage } from '../../components/FormMessage'
import { toApiError, useOverview } from '../../hooks/useOverview'
import { fetchReconciliation, runReconciliation, type ReconciliationReport } from '../../services/adminApi'
import { defaultReconciliationDate, hospitalToday, isCalendarDate } from '../../utils/dateRange'
import { formFailureOf, type FormFailure } from '../../utils/fieldErrors'
import { findingActionLabel, groupFindings, ranAtText, reconciliationSummary } from '../../utils/reconciliation'
import '../../components/admin.scss'
import './index.scss'

/** Everything shown is keyed by its date, so an answer for a day no longer chosen is never shown. */
interface ForDate<T> {
  date: string
  value: T
}

/** A run that could not happen yet (the bill is still being made) is a note, not a fault. */
type RunFailure = FormFailure & { notYet: boolean }

function Findings({ report }: { report: ReconciliationReport }) {
  return (
    <>
      <Text className='admin-section-title'>发现的问题</Text>
      {groupFindings(report.findings).map((group) => (
        <View key={group.kind} className='card' id={`reconciliation-${group.kind}`}>
          <Text className='title'>
            {group.label}（{group.findings.length} 条）
          </Text>
          {group.findings.map((finding, index) => (
            <View key={`${finding.outTradeNo}-${index}`} className='reconciliation-finding'>
              <Text className='notice-text'>{finding.detail}</Text>
              <View className='reconciliation-finding-foot'>
                <Text className='caption'>订单号 {finding.outTradeNo}</Text>
                <Text className={`reconciliation-action reconciliation-action-${finding.action}`}>{findingActionLabel(finding.action)}</Text>
              </View>
            </View>
          ))}
        </View>
      ))}
    </>
  )
}

function Reconciliation({ timeZone, initialDate }: { timeZone: string; initialDate?: string }) {
  const [date, setDate] = useState(() => initialDate ?? defaultReconciliationDate(new Date(), timeZone))
  const [stored, setStored] = useState<ForDate<ReconciliationReport | null> | undefined>()
  const [loadError, setLoadError] = useState<ForDate<ApiError> | undefined>()
  const [failure, setFailure] = useState<ForDate<RunFailure> | undefined>()
  const [ranNow, setRanNow] = useState<string | undefined>()
  const [running, setRunning] = useState(false)
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    let current = true
    fetchReconciliation(date).then(
      ({ report }) => {
        if (current) setStored({ date, value: report })
      },
      (e: unknown) => {
        if (current) setLoadError({ date, value: toApiError(e) })
      },
    )
    return () => {
      current = false
    }
  }, [date, attempt])

  // undefined while loading; null when the day was never reconciled.
  const report = stored?.date === date ? stored.value : undefined
  const error = loadError?.date === date ? loadError.value : undefined
  const runFailure = failure?.date === date ? failure.value : undefined

  const choose = (value: string) => {
    setDate(value)
    setLoadError(undefined)
  }
  const retry = () => {
    setLoadError(undefined)
    setAttempt(attempt + 1)
  }

  const run = async () => {
    const runDate = date
    setRunning(true)
    setFailure(undefined)
    setRanNow(undefined)
    try {
      const result = await runReconciliation(runDate)
      setStored({ date: runDate, value: result.report })
      setRanNow(runDate)
    } catch (e) {
      setFailure({ date: runDate, value: { ...formFailureOf(e, []), notYet: isApiError(e) && e.code === 'BILL_NOT_READY' } })
    } finally {
      setRunning(false)
    }
  }

  return (
    <>
      <View className='card admin-form' id='reconciliation-form'>
        <Text className='title'>对账报告</Text>
        <Text className='caption'>
          每天上午 10:30 自动核对前一天的微信支付账单：已付款但没有挂号成功的会原路退款，未知交易、金额不符和账单缺失需要人工核对。
        </Text>
        <DateField
          id='reconciliation-date'
          label='对账日期'
          value={date}
          end={hospitalToday(new Date(), timeZone)}
          onChange={choose}
          hint='微信支付一般在次日 10 点后生成前一天的账单。'
        />
        {error && <AdminNotice error={error} onRetry={retry} />}
        {report === undefined && !error && <Text className='caption'>正在查找这一天的对账结果…</Text>}
        {report === null && (
          <Text className='notice-text' id='reconciliation-empty'>
            这一天还没有对账
          </Text>
        )}
        {report && (
          <View className='reconciliation-summary' id='reconciliation-report' ariaRole='status'>
            <Text className='notice-text'>{reconciliationSummary(report)}</Text>
            <Text className='caption'>对账时间 {ranAtText(report.ranAt, timeZone)}</Text>
            {report.findings.length === 0 && <Text className='caption'>账单与本系统的订单一致，没有需要处理的问题。</Text>}
          </View>
        )}
        {runFailure?.notYet && (
          <View className='admin-message reconciliation-note' id='reconciliation-message' ariaRole='status'>
            <Text>{runFailure.message}</Text>
          </View>
        )}
        {runFailure && !runFailure.notYet && <FormMessage id='reconciliation-message' tone='error' message={runFailure.message} requestId={runFailure.requestId} />}
        {report && ranNow === date && <FormMessage id='reconciliation-message' tone='done' message='对账完成，结果已更新。' />}
        {report !== undefined && (
          <Button ariaRole='button' className={`btn ${report ? 'btn-secondary' : 'btn-primary'}`} id='reconciliation-run' {...busyButton(running)} onClick={() => void run()}>
            {running ? '正在对账…' : report ? '重新对账' : '立即对账'}
          </Button>
        )}
      </View>
      {report && report.findings.length > 0 && <Findings report={report} />}
    </>
  )
}

export default function AdminReconciliationPage() {
  const { params } = useRouter()
  const { overview, error, reload } = useOverview()
  return (
    <PageShell>
      {error && <AdminNotice error={error} onRetry={() => void reload()} />}
      {!overview && !error && <Text className='notice-text'>正在加载，请稍等…</Text>}
      {overview && <Reconciliation timeZone={overview.hospital.timeZone} initialDate={isCalendarDate(params.date) ? params.date : undefined} />}
    </PageShell>
  )
}
