// The schedule generation report in sentences staff can read aloud.
import type { GenerationReport } from '../services/adminApi'
import { PERIOD_LABELS } from './labels'

/** "2026-12-02" -> "12月2日". */
export function shortDate(date: string): string {
  const [, month, day] = date.split('-').map(Number)
  return `${month}月${day}日`
}

export function describeReport(report: GenerationReport, doctorName: (doctorId: string) => string): string[] {
  const total = report.created + report.rebuilt + report.unchanged + report.removed + report.keptWithBookings.length
  if (total === 0) return ['这段时间没有需要生成的出诊。请先在“出诊模板”里给医生添加出诊时间。']
  const sentences: string[] = []
  if (report.created > 0) sentences.push(`新生成了 ${report.created} 个出诊，号源已按模板排好。`)
  if (report.rebuilt > 0) sentences.push(`按修改后的模板重新排了 ${report.rebuilt} 个出诊。`)
  if (report.removed > 0) sentences.push(`模板里已没有的 ${report.removed} 个出诊已撤下，它们还没有人预约。`)
  if (report.unchanged > 0) sentences.push(`${report.unchanged} 个出诊与模板一致，没有改动。`)
  if (report.keptWithBookings.length > 0) {
    const sessions = report.keptWithBookings
      .map((kept) => `${doctorName(kept.doctorId)} ${shortDate(kept.date)}${PERIOD_LABELS[kept.period] ?? ''}`)
      .join('、')
    sentences.push(`${report.keptWithBookings.length} 个出诊已有患者预约，为不影响患者，保持原样没有改动：${sessions}。如确需调整，请单独处理。`)
  }
  return sentences
}
