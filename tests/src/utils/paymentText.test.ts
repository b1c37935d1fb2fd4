import type { Refund } from '../../../src/services/booking'
import { formatYuan, isPaymentCancel, orderDescription, payButtonText, refundHeadline } from '../../../src/utils/paymentText'

describe('money in yuan', () => {
  it.each([
    [2500, '¥25.00'],
    [5000, '¥50.00'],
    [8000, '¥80.00'],
    [1, '¥0.01'],
    [10, '¥0.10'],
    [0, '¥0.00'],
    [2505, '¥25.05'],
    [123456789, '¥1234567.89'],
    [-2500, '-¥25.00'],
  ])('%i fen -> %s', (fen, text) => {
    expect(formatYuan(fen)).toBe(text)
  })

  it('puts the amount on the pay button', () => {
    expect(payButtonText(2500)).toBe('去支付 ¥25.00')
  })
})

describe('the refund headline', () => {
  const refund = (status: Refund['status'], label: string): Refund => ({ status, label, sentence: '您已取消预约，挂号费将原路退回。', amountFen: 2500 })

  it('names the amount once the money is back', () => {
    expect(refundHeadline(refund('succeeded', '已原路退款'))).toBe('已原路退款 ¥25.00')
  })

  it.each([
    ['queued', '退款将在次日对账后原路退回'],
    ['processing', '退款处理中，一般 1-3 个工作日到账'],
    ['failed', '退款遇到问题，工作人员会尽快与您联系'],
  ] as const)('keeps the server label while %s', (status, label) => {
    expect(refundHeadline(refund(status, label))).toBe(label)
  })
})

describe('a closed WeChat cashier', () => {
  it.each([
    [{ errMsg: 'requestPayment:fail cancel' }, true],
    [{ errMsg: 'requestPayment:fail:cancel' }, true],
    [{ errMsg: 'requestPayment:fail (detail message)' }, false],
    [{ errMsg: 'requestPayment:fail system error' }, false],
    [new Error('requestPayment:fail cancel'), false],
    [undefined, false],
    ['requestPayment:fail cancel', false],
  ])('%p -> cancelled %p', (error, cancelled) => {
    expect(isPaymentCancel(error)).toBe(cancelled)
  })
})

it('describes the order as the payment function does', () => {
  expect(orderDescription('皮肤科', '王芳')).toBe('挂号费-皮肤科-王芳')
})
