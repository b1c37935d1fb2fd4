import { greetingFor } from '../../../src/utils/greeting'

describe('greetingFor', () => {
  it.each([
    [4, '夜深了，注意休息'],
    [5, '早上好'],
    [10, '早上好'],
    [11, '中午好'],
    [13, '下午好'],
    [17, '下午好'],
    [18, '晚上好'],
    [22, '晚上好'],
    [23, '夜深了，注意休息'],
  ])('at %i:00 says %s', (hour, greeting) => {
    expect(greetingFor(hour)).toBe(greeting)
  })
})
