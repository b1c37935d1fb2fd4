import { describeFee, feeText, yuanFromFen } from '../../../src/utils/fee'

describe('fees in yuan', () => {
  it.each([
    [0, '0'],
    [1, '0.01'],
    [50, '0.5'],
    [2500, '25'],
    [2550, '25.5'],
    [2505, '25.05'],
    [30000, '300'],
  ])('%i fen is %s yuan', (fen, yuan) => {
    expect(yuanFromFen(fen)).toBe(yuan)
  })

  it('says a free clinic is free, and names the fee class', () => {
    expect(describeFee('普通', 0)).toBe('普通号 · 免费')
    expect(describeFee('专家', 8000)).toBe('专家号 · 挂号费 80 元')
    expect(describeFee('特需', 30000)).toBe('特需号 · 挂号费 300 元')
  })
})

describe('what one appointment costs', () => {
  it('says 免费 for a free clinic and the fee in yuan otherwise', () => {
    expect(feeText(0)).toBe('免费')
    expect(feeText(2500)).toBe('挂号费 25 元')
    expect(feeText(2550)).toBe('挂号费 25.5 元')
  })
})
