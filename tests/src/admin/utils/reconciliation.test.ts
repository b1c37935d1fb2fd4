// The reconciliation report reads as staff say it: one summary line, findings grouped by kind with
// Chinese labels, and what was done about each one.
import type { ReconciliationFinding, ReconciliationReport } from '../../../../src/admin/services/adminApi'
import {
  FINDING_KIND_LABELS,
  FINDING_KINDS,
  findingActionLabel,
  findingKindLabel,
  groupFindings,
  ranAtText,
  reconciliationSummary,
} from '../../../../src/admin/utils/reconciliation'

const finding = (kind: string, outTradeNo: string, action: ReconciliationFinding['action'] = 'reported') =>
  ({ kind, outTradeNo, detail: `${kind} ${outTradeNo}`, action }) as ReconciliationFinding

const report = (patch: Partial<ReconciliationReport> = {}): ReconciliationReport => ({
  _id: '2026-11-27',
  ranAt: '2026-11-28T02:30:00.000Z',
  billTrades: 0,
  matched: 0,
  findings: [],
  refundsSent: 0,
  ...patch,
})

describe('finding labels', () => {
  it('has a Chinese word for every kind the backend reports', () => {
    expect(FINDING_KINDS.map((kind) => FINDING_KIND_LABELS[kind])).toEqual(['未知交易', '金额不符', '已付款未挂号（已退款）', '账单缺失', '挂号确认中'])
    expect(findingKindLabel('amount_mismatch')).toBe('金额不符')
  })

  it('still names a kind or action it does not know', () => {
    expect(findingKindLabel('something_new')).toBe('其他问题')
    expect(findingActionLabel('refunded')).toBe('已退款')
    expect(findingActionLabel('reported')).toBe('需人工核对')
    expect(findingActionLabel('something_new')).toBe('需人工核对')
  })
})

describe('groupFindings', () => {
  it('is empty without findings', () => {
    expect(groupFindings([])).toEqual([])
  })

  it('groups by kind in the page order, keeping each group in the report order', () => {
    const findings = [
      finding('his_pending', 'T1'),
      finding('unknown_trade', 'T2'),
      finding('paid_not_registered', 'T3', 'refunded'),
      finding('unknown_trade', 'T4'),
      finding('missing_from_bill', 'T5'),
      finding('amount_mismatch', 'T6'),
    ]
    const groups = groupFindings(findings)
    expect(groups.map((group) => [group.label, group.findings.map((entry) => entry.outTradeNo)])).toEqual([
      ['未知交易', ['T2', 'T4']],
      ['金额不符', ['T6']],
      ['已付款未挂号（已退款）', ['T3']],
      ['账单缺失', ['T5']],
      ['挂号确认中', ['T1']],
    ])
    expect(groups.map((group) => group.kind)).toEqual(['unknown_trade', 'amount_mismatch', 'paid_not_registered', 'missing_from_bill', 'his_pending'])
  })

  it('puts kinds it does not know last, under a plain word', () => {
    const groups = groupFindings([finding('something_new', 'T1'), finding('missing_from_bill', 'T2')])
    expect(groups.map((group) => [group.kind, group.label])).toEqual([
      ['missing_from_bill', '账单缺失'],
      ['something_new', '其他问题'],
    ])
  })
})

describe('reconciliationSummary', () => {
  it('counts trades, matches, refunds sent and findings', () => {
    const full = report({ billTrades: 12, matched: 9, refundsSent: 2, findings: [finding('unknown_trade', 'T1'), finding('his_pending', 'T2')] })
    expect(reconciliationSummary(full)).toBe('账单 12 笔，核对一致 9 笔，已发出退款 2 笔，发现问题 2 条')
  })

  it('reads plainly for a day without trades', () => {
    expect(reconciliationSummary(report())).toBe('账单 0 笔，核对一致 0 笔，已发出退款 0 笔，发现问题 0 条')
  })
})

describe('ranAtText', () => {
  it('is hospital time, whatever zone the phone is in', () => {
    expect(ranAtText('2026-11-28T02:30:00.000Z', 'Asia/Shanghai')).toBe('11月28日 10:30')
    expect(ranAtText('2026-11-27T16:05:00.000Z', 'Asia/Shanghai')).toBe('11月28日 00:05')
  })
})
