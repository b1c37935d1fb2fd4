// Fees typed in yuan become whole fen, and back, without floating-point drift.
import { fenFromYuanText, yuanTextFromFen } from '../../../../src/admin/utils/money'

describe('fenFromYuanText', () => {
  it.each([
    ['25', 2500],
    ['25.5', 2550],
    ['25.50', 2550],
    ['0.01', 1],
    ['19.99', 1999],
    ['0', 0],
    [' 300 ', 30000],
    ['1.15', 115],
  ])('%p yuan is %p fen', (text, fen) => {
    expect(fenFromYuanText(text)).toBe(fen)
  })

  it.each(['', '-5', '25.555', 'abc', '25元', '1e3', '.5', '25.'])('refuses %p', (text) => {
    expect(fenFromYuanText(text)).toBeUndefined()
  })
})

describe('yuanTextFromFen', () => {
  it.each([
    [2500, '25'],
    [2550, '25.5'],
    [2505, '25.05'],
    [1, '0.01'],
    [0, '0'],
  ])('%p fen reads %p', (fen, text) => {
    expect(yuanTextFromFen(fen)).toBe(text)
    expect(fenFromYuanText(text)).toBe(fen)
  })
})
