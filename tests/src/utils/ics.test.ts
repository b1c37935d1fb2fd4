import { visitIcs } from '../../../src/utils/ics'

const visit = {
  id: '6570a1b2c3d4e5f601234567',
  title: '就诊：王建国医生（心血管内科）',
  location: '门诊楼 3 楼 B 区, 近电梯; 请排队',
  description: '第 3 号，请在 07:50 前到达候诊。\n到医院后请凭身份证或就诊码签到。',
  start: '2026-12-03T00:00:00.000Z',
  end: '2026-12-03T00:30:00.000Z',
  alarmMinutes: 60,
}

const unfold = (text: string) => text.replace(/\r\n /g, '')

describe('visitIcs', () => {
  it('writes one event in UTC with a reminder, CRLF line endings and escaped text', () => {
    const text = visitIcs(visit, '2026-12-01T02:00:00.000Z')
    expect(text.endsWith('\r\n')).toBe(true)
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true)
    const lines = unfold(text).split('\r\n')
    expect(lines).toEqual(
      expect.arrayContaining([
        'BEGIN:VCALENDAR',
        'UID:6570a1b2c3d4e5f601234567@yiyue',
        'DTSTAMP:20261201T020000Z',
        'DTSTART:20261203T000000Z',
        'DTEND:20261203T003000Z',
        'SUMMARY:就诊：王建国医生（心血管内科）',
        'LOCATION:门诊楼 3 楼 B 区\\, 近电梯\\; 请排队',
        'DESCRIPTION:第 3 号，请在 07:50 前到达候诊。\\n到医院后请凭身份证或就诊码签到。',
        'TRIGGER:-PT60M',
        'END:VCALENDAR',
      ]),
    )
  })

  it('folds long lines at 75 octets without splitting a Chinese character', () => {
    const text = visitIcs({ ...visit, description: '请提前到达。'.repeat(30) }, '2026-12-01T02:00:00.000Z')
    for (const line of text.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75)
    expect(unfold(text)).toContain(`DESCRIPTION:${'请提前到达。'.repeat(30)}`)
    expect(text).not.toContain('\uFFFD')
  })
})
