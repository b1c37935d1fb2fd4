import { beijingDate, formatWeChatTime, parseWeChatTime } from '../../../../cloudfunctions/shared/payment/wechatPay';
import { TRADE_BILL_COLUMNS, TRADE_BILL_SUMMARY_COLUMNS } from '../../../../cloudfunctions/local/wechatPayStandInBill';
import { startTestWeChatPay, type TestWeChatPay } from '../../../support/wechatPay';

describe('Beijing time for WeChat', () => {
  it.each([
    ['2026-11-28T15:59:59.999Z', '2026-11-28T23:59:59+08:00'],
    ['2026-11-28T16:00:00.000Z', '2026-11-29T00:00:00+08:00'],
    ['2026-11-29T00:00:00.000Z', '2026-11-29T08:00:00+08:00'],
    ['2026-12-31T16:00:00.000Z', '2027-01-01T00:00:00+08:00'],
    ['2028-02-28T16:30:00.000Z', '2028-02-29T00:30:00+08:00'],
  ])('formats %s as %s', (instant, expected) => {
    const date = new Date(instant);
    expect(formatWeChatTime(date)).toBe(expected);
    expect(parseWeChatTime(expected).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
    expect(beijingDate(date)).toBe(expected.slice(0, 10));
  });

  it('is not the 8-hour mistake', () => {
    const date = new Date('2026-11-28T16:05:00Z');
    expect(formatWeChatTime(date)).not.toBe(date.toISOString().replace(/\.\d+Z$/, '+08:00'));
  });

  it('refuses what is not RFC 3339', () => {
    expect(() => parseWeChatTime('2026-11-29 09:00:00')).toThrow(RangeError);
    expect(() => formatWeChatTime(new Date(NaN))).toThrow(RangeError);
  });
});

describe('time_expire and trade bills across Beijing midnight', () => {
  let clock: Date;
  let pay: TestWeChatPay;

  beforeEach(async () => {
    clock = new Date('2026-11-28T15:55:00Z'); // 23:55 in Beijing
    // The stand-in's business clock is moved; signatures on both sides stay on real time, as on the wire.
    pay = await startTestWeChatPay({ clock: { now: () => clock } });
  });
  afterEach(() => pay.standIn.close());

  const input = (outTradeNo: string, timeExpire: Date) => ({
    outTradeNo,
    description: '挂号费',
    amountFen: 1234,
    payerOpenid: 'oPayer',
    timeExpire,
    notifyUrl: 'http://127.0.0.1:9/notify',
  });

  it('sends a time_expire past midnight as the next Beijing day, the same instant', async () => {
    const expiry = new Date('2026-11-28T16:05:00Z');
    await pay.client.createJsapiOrder(input('YY_MIDNIGHT_1', expiry));
    const order = pay.standIn.order('YY_MIDNIGHT_1');
    expect(order?.timeExpireText).toBe('2026-11-29T00:05:00+08:00');
    expect(order?.timeExpire.getTime()).toBe(expiry.getTime());
  });

  it('files payments under the Beijing day they were paid, in the backtick CSV with a summary', async () => {
    await pay.client.createJsapiOrder(input('YY_BEFORE_MIDNIGHT', new Date('2026-11-28T16:05:00Z')));
    await pay.client.createJsapiOrder(input('YY_AFTER_MIDNIGHT', new Date('2026-11-28T16:05:00Z')));
    pay.standIn.pay('YY_BEFORE_MIDNIGHT', { at: new Date('2026-11-28T15:59:59Z'), notify: false });
    pay.standIn.pay('YY_AFTER_MIDNIGHT', { at: new Date('2026-11-28T16:00:00Z'), notify: false });

    // The 28th's bill exists from 10:00 on the 29th.
    clock = new Date('2026-11-29T01:59:00Z');
    await expect(pay.client.downloadTradeBill('2026-11-28')).rejects.toMatchObject({ code: 'STATEMENT_CREATING' });
    clock = new Date('2026-11-30T02:00:00Z'); // 10:00 on the 30th: both days are ready

    const first = (await pay.client.downloadTradeBill('2026-11-28')).split('\r\n');
    expect(first[0]).toBe(TRADE_BILL_COLUMNS.join(','));
    expect(first[1].startsWith('`2026-11-28 23:59:59,`')).toBe(true);
    expect(first[1]).toContain('`YY_BEFORE_MIDNIGHT,');
    expect(first[1].split(',')).toHaveLength(TRADE_BILL_COLUMNS.length);
    expect(first[1].split(',').every((field) => field.startsWith('`'))).toBe(true);
    const fields = Object.fromEntries(TRADE_BILL_COLUMNS.map((name, i) => [name, first[1].split(',')[i].slice(1)]));
    expect(fields).toMatchObject({ 商户号: pay.config.mchid, 公众账号ID: pay.config.appid, 交易状态: 'SUCCESS', 应结订单金额: '12.34', 订单金额: '12.34', 手续费: '0.07', 费率: '0.60%' });
    expect(first[2]).toBe(TRADE_BILL_SUMMARY_COLUMNS.join(','));
    expect(first[3]).toBe('`1,`12.34,`0.00,`0.00,`0.07,`12.34,`0.00');
    expect(first[4]).toBe('');

    const second = await pay.client.downloadTradeBill('2026-11-29');
    expect(second).toContain('`2026-11-29 00:00:00,');
    expect(second).toContain('`YY_AFTER_MIDNIGHT,');
    expect(second).not.toContain('YY_BEFORE_MIDNIGHT');
  });

  it('injects discrepancies: another amount, a dropped trade, a trade WeChat has and we do not', async () => {
    for (const no of ['YY_TAMPER_AMOUNT', 'YY_TAMPER_DROP']) {
      await pay.client.createJsapiOrder(input(no, new Date('2026-11-28T16:05:00Z')));
      pay.standIn.pay(no, { notify: false });
    }
    pay.standIn.tamperBill({ outTradeNo: 'YY_TAMPER_AMOUNT', amountFen: 1 });
    pay.standIn.tamperBill({ outTradeNo: 'YY_TAMPER_DROP', drop: true });
    pay.standIn.tamperBill({ outTradeNo: 'YY_UNKNOWN_TO_US', addTrade: { amountFen: 2000, at: new Date('2026-11-28T15:58:00Z') } });
    clock = new Date('2026-11-29T03:00:00Z');
    const lines = (await pay.client.downloadTradeBill('2026-11-28')).split('\r\n');
    const rows = lines.slice(1, -3);
    expect(rows).toHaveLength(2);
    expect(rows.find((row) => row.includes('YY_TAMPER_AMOUNT'))).toContain('`0.01,');
    expect(rows.find((row) => row.includes('YY_UNKNOWN_TO_US'))).toContain('`20.00,');
    expect(lines.join('\n')).not.toContain('YY_TAMPER_DROP');
    expect(lines[lines.length - 2]).toMatch(/^`2,`20\.01,/);
    // The added trade is a real paid order at WeChat, so it can be queried and refunded (长款 handling).
    await expect(pay.client.queryOrder('YY_UNKNOWN_TO_US')).resolves.toMatchObject({ tradeState: 'SUCCESS', amountFen: 2000 });
    await expect(
      pay.client.refund({ outTradeNo: 'YY_UNKNOWN_TO_US', outRefundNo: 'RF_UNKNOWN', refundFen: 2000, totalFen: 2000, reason: '对账退款', notifyUrl: 'http://127.0.0.1:9/notify' }),
    ).resolves.toMatchObject({ status: 'PROCESSING' });
  });
});
