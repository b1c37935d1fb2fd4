import { createVerify, generateKeyPairSync } from 'node:crypto';
import { PayError } from '../../../../cloudfunctions/shared/payment/wechatPay';
import { createWeChatPayClient } from '../../../../cloudfunctions/shared/payment/wechatPayClient';
import { parsePayConfig } from '../../../../cloudfunctions/shared/payment/wechatPayConfig';
import { startNotifyReceiver, startTestWeChatPay, type NotifyReceiver, type TestWeChatPay } from '../../../support/wechatPay';

async function rejection(promise: Promise<unknown>): Promise<PayError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(PayError);
  return error as PayError;
}

function order(receiver: NotifyReceiver, overrides: Partial<{ outTradeNo: string; amountFen: number; description: string; payerOpenid: string }> = {}) {
  return {
    outTradeNo: 'YY20261129000001',
    description: '挂号费 张医生 11月29日上午',
    amountFen: 1500,
    payerOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    timeExpire: new Date(Date.now() + 10 * 60_000),
    notifyUrl: receiver.url,
    attach: 'appointment:a1',
    ...overrides,
  };
}

describe.each(['publicKey', 'certificate'] as const)('client <-> stand-in round trips (%s mode)', (mode) => {
  let pay: TestWeChatPay;
  let receiver: NotifyReceiver;

  beforeEach(async () => {
    pay = await startTestWeChatPay({ mode });
    receiver = await startNotifyReceiver();
  });
  afterEach(async () => {
    await pay.standIn.close();
    await receiver.close();
  });

  it('creates an order, is paid through the cashier control, queries it, and refuses to close a paid order', async () => {
    const { client, standIn } = pay;
    expect(client.settings.mode).toBe(mode);
    const { prepayId } = await client.createJsapiOrder(order(receiver));
    expect(prepayId).toMatch(/^wx/);
    await expect(client.queryOrder('YY20261129000001')).resolves.toMatchObject({ tradeState: 'NOTPAY', amountFen: 1500 });

    standIn.pay('YY20261129000001');
    const paid = await client.queryOrder('YY20261129000001');
    expect(paid).toMatchObject({ tradeState: 'SUCCESS', amountFen: 1500, payerOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
    expect(paid?.transactionId).toMatch(/^\d{28}$/);
    expect(paid?.successTime).toBeInstanceOf(Date);
    expect(Math.abs((paid?.successTime?.getTime() ?? 0) - Date.now())).toBeLessThan(5000);

    const refused = await rejection(client.closeOrder('YY20261129000001'));
    expect(refused).toMatchObject({ kind: 'refused', code: 'ORDERPAID', status: 400, signed: true });
    const again = await rejection(client.createJsapiOrder(order(receiver)));
    expect(again).toMatchObject({ kind: 'refused', code: 'ORDERPAID' });
  });

  it('answers the same prepay_id for the same order, and refuses the same number with another amount', async () => {
    const { client } = pay;
    const first = await client.createJsapiOrder(order(receiver));
    await expect(client.createJsapiOrder(order(receiver))).resolves.toEqual(first);
    const error = await rejection(client.createJsapiOrder(order(receiver, { amountFen: 1600 })));
    expect(error).toMatchObject({ kind: 'refused', code: 'OUT_TRADE_NO_USED', status: 403 });
  });

  it('closes an unpaid order (twice is fine), after which it cannot be paid or ordered again', async () => {
    const { client, standIn } = pay;
    await client.createJsapiOrder(order(receiver));
    await client.closeOrder('YY20261129000001');
    await client.closeOrder('YY20261129000001');
    await expect(client.queryOrder('YY20261129000001')).resolves.toMatchObject({ tradeState: 'CLOSED' });
    expect(() => standIn.pay('YY20261129000001')).toThrow(/CLOSED/);
    const error = await rejection(client.createJsapiOrder(order(receiver)));
    expect(error).toMatchObject({ kind: 'refused', code: 'ORDER_CLOSED' });
  });

  it('answers null for an order or a refund WeChat does not have', async () => {
    await expect(pay.client.queryOrder('YY_NO_SUCH_ORDER')).resolves.toBeNull();
    await expect(pay.client.queryRefund('RF_NO_SUCH_REFUND')).resolves.toBeNull();
    const error = await rejection(pay.client.closeOrder('YY_NO_SUCH_ORDER'));
    expect(error).toMatchObject({ kind: 'refused', code: 'ORDER_NOT_EXIST' });
  });

  it('refunds (idempotent by outRefundNo), reports progress, and refuses more than was paid', async () => {
    const { client, standIn } = pay;
    await client.createJsapiOrder(order(receiver));
    standIn.pay('YY20261129000001');
    const input = { outTradeNo: 'YY20261129000001', outRefundNo: 'RF20261129000001', refundFen: 1000, totalFen: 1500, reason: '退号', notifyUrl: receiver.url };
    const refund = await client.refund(input);
    expect(refund.status).toBe('PROCESSING');
    await standIn.notificationsIdle();
    await expect(client.queryRefund('RF20261129000001')).resolves.toEqual({ refundId: refund.refundId, status: 'SUCCESS' });
    await expect(client.refund(input)).resolves.toEqual({ refundId: refund.refundId, status: 'SUCCESS' });
    expect(standIn.order('YY20261129000001')?.tradeState).toBe('REFUND');
    await expect(client.queryOrder('YY20261129000001')).resolves.toMatchObject({ tradeState: 'REFUND' });

    const tooMuch = await rejection(client.refund({ ...input, outRefundNo: 'RF20261129000002', refundFen: 600 }));
    expect(tooMuch).toMatchObject({ kind: 'refused', code: 'INVALID_REQUEST' });
    const events = standIn.notifications().map((attempt) => attempt.eventType);
    expect(events).toEqual(['TRANSACTION.SUCCESS', 'REFUND.SUCCESS']);
  });

  it('downloads the trade bill and checks its SHA1', async () => {
    const { client, standIn } = pay;
    await client.createJsapiOrder(order(receiver));
    const paid = standIn.pay('YY20261129000001', { notify: false });
    standIn.setMode({ bills: 'immediate' });
    const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(paid.successTime);
    const csv = await client.downloadTradeBill(day);
    expect(csv.split('\r\n')[0]).toMatch(/^交易时间,公众账号ID,商户号/);
    expect(csv).toContain('`YY20261129000001,');
    expect(csv).toContain('`15.00,');

    standIn.setMode({ billHash: 'bad' });
    const error = await rejection(client.downloadTradeBill(day));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'hash_mismatch' });
  });
});

describe('client refusals and failures', () => {
  let pay: TestWeChatPay;
  let receiver: NotifyReceiver;

  beforeEach(async () => {
    pay = await startTestWeChatPay();
    receiver = await startNotifyReceiver();
  });
  afterEach(async () => {
    await pay.standIn.close();
    await receiver.close();
  });

  it('signs the mini program pay parameters with the merchant key', async () => {
    const { prepayId } = await pay.client.createJsapiOrder(order(receiver));
    const params = pay.client.miniProgramPayParams(prepayId);
    expect(params).toMatchObject({ package: `prepay_id=${prepayId}`, signType: 'RSA' });
    expect(params.timeStamp).toMatch(/^\d{10}$/);
    expect(params.nonceStr).toMatch(/^[0-9a-f]{32}$/);
    const message = `${pay.config.appid}\n${params.timeStamp}\n${params.nonceStr}\n${params.package}\n`;
    expect(createVerify('sha256').update(message).verify(pay.standIn.merchant.publicKey, params.paySign, 'base64')).toBe(true);
  });

  it('refuses bad input before sending anything', async () => {
    const before = pay.standIn.requestCount().total;
    for (const bad of [{ outTradeNo: 'short' }, { outTradeNo: 'has space 12345' }, { outTradeNo: 'pipe|1234567' }, { amountFen: 0 }, { amountFen: 15.5 }, { description: '' }]) {
      const error = await rejection(pay.client.createJsapiOrder(order(receiver, bad as never)));
      expect(error).toMatchObject({ kind: 'refused', code: 'PARAM_ERROR' });
    }
    await expect(rejection(pay.client.refund({ outTradeNo: 'YY20261129000001', outRefundNo: 'R1', refundFen: 2, totalFen: 1, reason: '', notifyUrl: receiver.url }))).resolves.toMatchObject({ code: 'PARAM_ERROR' });
    await expect(rejection(pay.client.downloadTradeBill('2026-13-01'))).resolves.toMatchObject({ code: 'PARAM_ERROR' });
    expect(pay.standIn.requestCount().total).toBe(before);
  });

  it('is refused by the stand-in (401) when it signs with the wrong merchant key, and nothing changes', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = parsePayConfig({ ...pay.standIn.config, WXPAY_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    const impostor = createWeChatPayClient(forged!);
    const error = await rejection(impostor.createJsapiOrder(order(receiver)));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'unauthorized', status: 401, code: 'SIGN_ERROR', signed: false });
    expect(pay.standIn.order('YY20261129000001')).toBeUndefined();
    expect(pay.standIn.requestCount().unauthorized).toBe(1);
  });

  it('refuses an answer whose signature is wrong or missing (unavailable, bad_signature)', async () => {
    await pay.client.createJsapiOrder(order(receiver));
    pay.standIn.setMode({ responseSignature: 'bad' });
    await expect(rejection(pay.client.queryOrder('YY20261129000001'))).resolves.toMatchObject({ kind: 'unavailable', reason: 'bad_signature' });
    await expect(rejection(pay.client.closeOrder('YY20261129000001'))).resolves.toMatchObject({ kind: 'unavailable', reason: 'bad_signature' });
    pay.standIn.setMode({ responseSignature: 'missing' });
    await expect(rejection(pay.client.queryOrder('YY20261129000001'))).resolves.toMatchObject({ kind: 'unavailable', reason: 'bad_signature' });
    pay.standIn.setMode({ responseSignature: 'valid' });
    await expect(pay.client.queryOrder('YY20261129000001')).resolves.toMatchObject({ tradeState: 'CLOSED' });
  });

  it('refuses answers signed by a key other than the configured WeChat Pay public key', async () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const config = parsePayConfig({ ...pay.standIn.config, WXPAY_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const misled = createWeChatPayClient(config!);
    await expect(rejection(misled.queryOrder('YY20261129000001'))).resolves.toMatchObject({ kind: 'unavailable', reason: 'bad_signature' });
  });

  it('reports 5xx, timeouts and an unreachable origin as unavailable', async () => {
    pay.standIn.setMode({ unavailable: true });
    await expect(rejection(pay.client.queryOrder('YY20261129000001'))).resolves.toMatchObject({ kind: 'unavailable', reason: 'server_error', status: 500, code: 'SYSTEM_ERROR' });
    pay.standIn.setMode({ unavailable: false, delayMs: 1500 });
    const quick = createWeChatPayClient(parsePayConfig({ ...pay.standIn.config, WXPAY_TIMEOUT_MS: '200' })!);
    await expect(rejection(quick.queryOrder('YY20261129000001'))).resolves.toMatchObject({ kind: 'unavailable', reason: 'timeout' });
    pay.standIn.setMode({ delayMs: 0 });
    const nowhere = createWeChatPayClient(parsePayConfig({ ...pay.standIn.config, WXPAY_ORIGIN: 'http://127.0.0.1:9' })!);
    await expect(rejection(nowhere.queryOrder('YY20261129000001'))).resolves.toMatchObject({ kind: 'unavailable', reason: 'network' });
  });

  it('maps refund failures: NOT_ENOUGH refused; abnormal and processing refunds reported as such', async () => {
    const { client, standIn } = pay;
    await client.createJsapiOrder(order(receiver));
    standIn.pay('YY20261129000001');
    const base = { outTradeNo: 'YY20261129000001', refundFen: 500, totalFen: 1500, reason: '退号', notifyUrl: receiver.url };
    standIn.setMode({ refund: 'fail' });
    await expect(rejection(client.refund({ ...base, outRefundNo: 'RF1' }))).resolves.toMatchObject({ kind: 'refused', code: 'NOT_ENOUGH' });
    standIn.setMode({ refund: 'abnormal' });
    await client.refund({ ...base, outRefundNo: 'RF2' });
    await standIn.notificationsIdle();
    await expect(client.queryRefund('RF2')).resolves.toMatchObject({ status: 'ABNORMAL' });
    standIn.setMode({ refund: 'processing' });
    await client.refund({ ...base, outRefundNo: 'RF3' });
    await expect(client.queryRefund('RF3')).resolves.toMatchObject({ status: 'PROCESSING' });
    standIn.settleRefund('RF3', 'SUCCESS');
    await standIn.notificationsIdle();
    await expect(client.queryRefund('RF3')).resolves.toMatchObject({ status: 'SUCCESS' });
    expect(standIn.notifications().map((attempt) => attempt.eventType)).toEqual(['TRANSACTION.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.SUCCESS']);
  });

  it('tells a day without trades (NO_STATEMENT_EXIST) from a bill not ready yet (STATEMENT_CREATING)', async () => {
    await expect(rejection(pay.client.downloadTradeBill('2020-01-01'))).resolves.toMatchObject({ kind: 'refused', code: 'NO_STATEMENT_EXIST' });
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await expect(rejection(pay.client.downloadTradeBill(today))).resolves.toMatchObject({ kind: 'refused', code: 'STATEMENT_CREATING' });
  });
});

describe('platform certificate mode', () => {
  let pay: TestWeChatPay;

  beforeEach(async () => {
    pay = await startTestWeChatPay({ mode: 'certificate' });
  });
  afterEach(() => pay.standIn.close());

  it('downloads and trusts a rotated certificate once, verified by the GCM-decrypted certificates themselves', async () => {
    await expect(pay.client.queryOrder('YY20261129000001')).resolves.toBeNull();
    const before = pay.standIn.requestCount().total;
    pay.standIn.rotateCertificate();
    await expect(pay.client.queryOrder('YY20261129000001')).resolves.toBeNull();
    expect(pay.standIn.requestCount().total - before).toBe(2); // the query and one GET /v3/certificates
    await expect(pay.client.queryOrder('YY20261129000001')).resolves.toBeNull();
    expect(pay.standIn.requestCount().total - before).toBe(3);
  });

  it('never loops on GET /v3/certificates when nothing verifies, and does not fetch again within the interval', async () => {
    pay.standIn.rotateCertificate();
    pay.standIn.setMode({ responseSignature: 'bad' });
    const before = pay.standIn.requestCount().total;
    await expect(rejection(pay.client.queryOrder('YY20261129000001'))).resolves.toMatchObject({ reason: 'bad_signature' });
    expect(pay.standIn.requestCount().total - before).toBe(2);
    await expect(rejection(pay.client.queryOrder('YY20261129000001'))).resolves.toMatchObject({ reason: 'bad_signature' });
    expect(pay.standIn.requestCount().total - before).toBe(3);
  });
});
