// The reconciliation report in words staff read: the summary line, the findings grouped by kind in
// the order they need attention, and what reconciliation did about each one.
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'
import type { FindingKind, ReconciliationFinding, ReconciliationReport } from '../services/adminApi'

dayjs.extend(utc)
dayjs.extend(timezone)

/** The order of the groups on the page. */
export const FINDING_KINDS: FindingKind[] = ['unknown_trade', 'amount_mismatch', 'paid_not_registered', 'missing_from_bill', 'his_pending']

export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  unknown_trade: '未知交易',
  amount_mismatch: '金额不符',
  paid_not_registered: '已付款未挂号（已退款）',
  missing_from_bill: '账单缺失',
  his_pending: '挂号确认中',
}

export const FINDING_ACTION_LABELS: Record<ReconciliationFinding['action'], string> = {
  refunded: '已退款',
  reported: '需人工核对',
}

/** A kind the page does not know yet (a newer backend) is still shown, under a plain word. */
const OTHER_KIND_LABEL = '其他问题'

export interface FindingGroup {
  kind: string
  label: string
  findings: ReconciliationFinding[]
}

export function findingKindLabel(kind: string): string {
  return FINDING_KIND_LABELS[kind as FindingKind] ?? OTHER_KIND_LABEL
}

export function findingActionLabel(action: string): string {
  return FINDING_ACTION_LABELS[action as ReconciliationFinding['action']] ?? FINDING_ACTION_LABELS.reported
}

/** One group per kind that occurs, in FINDING_KINDS order (unknown kinds last); findings keep their order. */
export function groupFindings(findings: readonly ReconciliationFinding[]): FindingGroup[] {
  const byKind = new Map<string, ReconciliationFinding[]>()
  for (const finding of findings) {
    const group = byKind.get(finding.kind)
    if (group) group.push(finding)
    else byKind.set(finding.kind, [finding])
  }
  const known: string[] = FINDING_KINDS.filter((kind) => byKind.has(kind))
  const unknown = [...byKind.keys()].filter((kind) => !known.includes(kind))
  return [...known, ...unknown].map((kind) => ({ kind, label: findingKindLabel(kind), findings: byKind.get(kind) ?? [] }))
}

/** 账单 N 笔，核对一致 M 笔，已发出退款 K 笔，发现问题 F 条 */
export function reconciliationSummary(report: ReconciliationReport): string {
  return `账单 ${report.billTrades} 笔，核对一致 ${report.matched} 笔，已发出退款 ${report.refundsSent} 笔，发现问题 ${report.findings.length} 条`
}

/** When the run happened, in hospital time: "11月28日 10:30". */
export function ranAtText(ranAt: string, timeZone: string): string {
  return dayjs(ranAt).tz(timeZone).format('M月D日 HH:mm')
}
