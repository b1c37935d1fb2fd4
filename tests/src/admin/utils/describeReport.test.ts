// The generation report reads as sentences, naming the sessions left alone because patients booked them.
import { describeReport, shortDate } from '../../../../src/admin/utils/describeReport'

const empty = { created: 0, rebuilt: 0, unchanged: 0, removed: 0, keptWithBookings: [] }
const names: Record<string, string> = { d1: '龚秀英', d2: '邵磊' }
const nameOf = (id: string) => names[id] ?? '一位医生'

describe('describeReport', () => {
  it('says what to do when there was nothing to generate', () => {
    expect(describeReport(empty, nameOf)).toEqual(['这段时间没有需要生成的出诊。请先在“出诊模板”里给医生添加出诊时间。'])
  })

  it('has one sentence per kind of outcome, skipping the zeros', () => {
    expect(describeReport({ ...empty, created: 2, rebuilt: 3, unchanged: 4, removed: 1 }, nameOf)).toEqual([
      '新生成了 2 个出诊，号源已按模板排好。',
      '按修改后的模板重新排了 3 个出诊。',
      '模板里已没有的 1 个出诊已撤下，它们还没有人预约。',
      '4 个出诊与模板一致，没有改动。',
    ])
    expect(describeReport({ ...empty, unchanged: 28 }, nameOf)).toEqual(['28 个出诊与模板一致，没有改动。'])
  })

  it('names each booked session it kept', () => {
    const report = {
      ...empty,
      keptWithBookings: [
        { doctorId: 'd1', date: '2026-12-02', period: 'morning' },
        { doctorId: 'd2', date: '2026-12-10', period: 'evening' },
      ],
    }
    expect(describeReport(report, nameOf)).toEqual([
      '2 个出诊已有患者预约，为不影响患者，保持原样没有改动：龚秀英 12月2日上午、邵磊 12月10日夜间。如确需调整，请单独处理。',
    ])
  })

  it('writes dates the way staff say them', () => {
    expect(shortDate('2027-01-05')).toBe('1月5日')
  })
})
