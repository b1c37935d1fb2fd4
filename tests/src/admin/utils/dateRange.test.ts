// The default generation range is the hospital's fortnight, whatever zone the phone is in.
import { defaultGenerateRange } from '../../../../src/admin/utils/dateRange'

describe('defaultGenerateRange', () => {
  it('starts on the hospital date, not the UTC one', () => {
    // 2026-11-26 17:30 UTC is already 11-27 01:30 in Shanghai.
    expect(defaultGenerateRange(new Date('2026-11-26T17:30:00Z'), 'Asia/Shanghai')).toEqual({ from: '2026-11-27', to: '2026-12-10' })
    expect(defaultGenerateRange(new Date('2026-11-26T15:59:00Z'), 'Asia/Shanghai')).toEqual({ from: '2026-11-26', to: '2026-12-09' })
  })
})
