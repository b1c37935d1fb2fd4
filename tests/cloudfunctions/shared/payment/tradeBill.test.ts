import { parseTradeBill, TradeBillError, yuanToFen } from '../../../../cloudfunctions/shared/payment/tradeBill';

const HEADER =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const row = (cells: string[]) => cells.map((cell) => `\`${cell}`).join(',');
const PAID = row(['2026-11-25 09:12:01', 'wxapp', '1900000001', '0', '', '4200000001', 'YY6b0807230000000000000001', 'o-user', 'JSAPI', 'SUCCESS', 'OTHERS', 'CNY', '25.00', '0.00', '0', '0', '0.00', '0.00', '', '', '挂号费', '', '0.15000', '0.60%', '25.00', '0.00', '']);
const REFUND = row(['2026-11-25 10:00:00', 'wxapp', '1900000001', '0', '', '4200000002', 'YY6b0807230000000000000002', 'o-user', 'JSAPI', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', '50300000001', 'RF6b0807230000000000000002', '80.00', '0.00', 'ORIGINAL', 'SUCCESS', '挂号费', '', '-0.48000', '0.60%', '0.00', '80.00', '']);
const SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

describe('trade bill', () => {
  it('reads payment and refund rows in fen, checking them against the summary', () => {
    const bill = parseTradeBill([HEADER, PAID, REFUND, SUMMARY_HEADER, row(['2', '25.00', '80.00', '0.00', '-0.33000', '25.00', '80.00'])].join('\r\n'));
    expect(bill.trades).toEqual([
      expect.objectContaining({ outTradeNo: 'YY6b0807230000000000000001', tradeState: 'SUCCESS', settlementFen: 2500, orderFen: 2500, refundFen: 0, outRefundNo: '' }),
      expect.objectContaining({ outTradeNo: 'YY6b0807230000000000000002', tradeState: 'REFUND', refundFen: 8000, outRefundNo: 'RF6b0807230000000000000002', refundStatus: 'SUCCESS' }),
    ]);
    expect(bill.summary).toEqual({ count: 2, settlementFen: 2500, refundFen: 8000 });
  });

  it('refuses a bill whose rows do not add up to its summary, or that lost its summary', () => {
    expect(() => parseTradeBill([HEADER, PAID, SUMMARY_HEADER, row(['2', '25.00', '0.00', '0.00', '0.15', '25.00', '0.00'])].join('\n'))).toThrow(TradeBillError);
    expect(() => parseTradeBill([HEADER, PAID, REFUND].join('\n'))).toThrow(/truncated/);
  });

  it.each([
    ['25.00', 2500],
    ['0.1', 10],
    ['0.01', 1],
    ['1234567.89', 123456789],
    ['-0.48', -48],
    ['', 0],
    ['-', 0],
  ])('reads %s yuan as %d fen without floating point', (yuan, fen) => {
    expect(yuanToFen(yuan)).toBe(fen);
  });

  it('refuses an amount that is not yuan', () => {
    expect(() => yuanToFen('25.001')).toThrow(TradeBillError);
    expect(() => yuanToFen('abc')).toThrow(TradeBillError);
  });
});
