import { generateKeyPairSync } from 'node:crypto';
import { signingHeaders } from '../../../../cloudfunctions/local/wechatPayStandInKeys';
import { PayNotifyError, refundFromResource, transactionFromResource } from '../../../../cloudfunctions/shared/payment/wechatPay';
import { createWeChatPayClient } from '../../../../cloudfunctions/shared/payment/wechatPayClient';
import { parsePayConfig } from '../../../../cloudfunctions/shared/payment/wechatPayConfig';
import { startNotifyReceiver, startTestWeChatPay, type NotifyReceiver, type TestWeChatPay } from '../../../support/wechatPay';

function notifyError(run: () => unknown): PayNotifyError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PayNotifyError);
    return error as PayNotifyError;
  }
  throw new Error('expected a PayNotifyError');
}

const PAID = {
  mchid: '1900000109',
  appid: 'wx0000000000000000',
  out_trade_no: 'YY20261129000001',
  transaction_id: '4200002026112912345678901234',
  trade_type: 'JSAPI',
  trade_state: 'SUCCESS',
  success_time: '2026-11-29T09:00:05+08:00',
  payer: { openid: 'oPayer' },
  amount: { total: 1500, payer_total: 1500, currency: 'CNY', payer_currency: 'CNY' },
};

describe('notifications', () => {
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

  it('verifies and decrypts a genuine TRANSACTION.SUCCESS on its raw body', async () => {
    await pay.client.createJsapiOrder({
      outTradeNo: 'YY20261129000001',
      description: '挂号费',
      amountFen: 1500,
      payerOpenid: 'oPayer',
      timeExpire: new Date(Date.now() + 600_000),
      notifyUrl: receiver.url,
      attach: 'appointment:a1',
    });
    pay.standIn.pay('YY20261129000001');
    await pay.standIn.notificationsIdle();
    expect(receiver.received).toHaveLength(1);
    const notification = pay.client.parseNotification(receiver.received[0]);
    expect(notification.eventType).toBe('TRANSACTION.SUCCESS');
    expect(notification.id).toBeTruthy();
    expect(transactionFromResource(notification.resource)).toMatchObject({
      outTradeNo: 'YY20261129000001',
      tradeState: 'SUCCESS',
      amountFen: 1500,
      payerOpenid: 'oPayer',
      attach: 'appointment:a1',
      mchid: pay.config.mchid,
    });
    // The same delivery read again (a replay) gives the same id: deduplication keys on it.
    expect(pay.client.parseNotification(receiver.received[0]).id).toBe(notification.id);
  });

  it('accepts header names in any case', () => {
    const crafted = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID });
    expect(Object.keys(crafted.headers)).toContain('Wechatpay-Signature');
    expect(pay.client.parseNotification(crafted).resource).toEqual(PAID);
  });

  it('refuses a forged signature, an altered body and missing headers (signature)', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID, signWith: privateKey });
    expect(notifyError(() => pay.client.parseNotification(forged)).kind).toBe('signature');

    const genuine = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID });
    const altered = { ...genuine, body: genuine.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ') };
    expect(notifyError(() => pay.client.parseNotification(altered)).kind).toBe('signature');
    const reparsed = { ...genuine, body: JSON.stringify(JSON.parse(genuine.body), null, 1) };
    expect(notifyError(() => pay.client.parseNotification(reparsed)).kind).toBe('signature');

    const unsigned = { headers: { 'content-type': 'application/json' }, body: genuine.body };
    expect(notifyError(() => pay.client.parseNotification(unsigned)).kind).toBe('signature');
    const unknownSerial = { ...genuine, headers: { ...genuine.headers, 'Wechatpay-Serial': 'PUB_KEY_ID_0000000000000000' } };
    expect(notifyError(() => pay.client.parseNotification(unknownSerial)).kind).toBe('signature');
  });

  it('refuses a tampered ciphertext that carries a valid signature (decrypt: the GCM tag is checked)', () => {
    const tampered = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID, tamperCiphertext: true });
    expect(notifyError(() => pay.client.parseNotification(tampered)).kind).toBe('decrypt');
  });

  it('refuses a resource encrypted under another APIv3 key (decrypt)', () => {
    const other = createWeChatPayClient(parsePayConfig({ ...pay.standIn.config, WXPAY_APIV3_KEY: 'A'.repeat(32) })!);
    const genuine = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID });
    expect(notifyError(() => other.parseNotification(genuine)).kind).toBe('decrypt');
  });

  it('refuses a notification signed more than 5 minutes ago or ahead (stale), accepts one from 4 minutes ago', () => {
    const old = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID, at: new Date(Date.now() - 5 * 60_000 - 2000) });
    expect(notifyError(() => pay.client.parseNotification(old)).kind).toBe('stale');
    const ahead = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID, at: new Date(Date.now() + 6 * 60_000) });
    expect(notifyError(() => pay.client.parseNotification(ahead)).kind).toBe('stale');
    const recent = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID, at: new Date(Date.now() - 4 * 60_000) });
    expect(pay.client.parseNotification(recent).eventType).toBe('TRANSACTION.SUCCESS');
  });

  it('refuses a validly signed body that is not a notification (malformed)', () => {
    for (const body of ['not json', '{"id":"x"}', JSON.stringify({ id: 'x', event_type: 'TRANSACTION.SUCCESS', resource: { algorithm: 'AEAD_AES_256_GCM' } })]) {
      const headers = signingHeaders(pay.standIn.platform(), body, new Date());
      expect(notifyError(() => pay.client.parseNotification({ headers, body })).kind).toBe('malformed');
    }
  });

  it('reads a REFUND.SUCCESS resource, and refuses to read a refund as a transaction', () => {
    const resource = {
      mchid: '1900000109',
      out_trade_no: 'YY20261129000001',
      transaction_id: '4200002026112912345678901234',
      out_refund_no: 'RF20261129000001',
      refund_id: '50300000000000000000000000001',
      refund_status: 'SUCCESS',
      success_time: '2026-11-29T10:00:00+08:00',
      amount: { total: 1500, refund: 1500, payer_total: 1500, payer_refund: 1500 },
    };
    const notification = pay.client.parseNotification(pay.standIn.craftNotification({ eventType: 'REFUND.SUCCESS', resource, summary: '退款成功' }));
    expect(refundFromResource(notification.resource)).toEqual({
      outTradeNo: 'YY20261129000001',
      outRefundNo: 'RF20261129000001',
      refundId: '50300000000000000000000000001',
      status: 'SUCCESS',
      refundFen: 1500,
      totalFen: 1500,
      successTime: new Date('2026-11-29T02:00:00Z'),
      mchid: '1900000109',
    });
    expect(notifyError(() => transactionFromResource(notification.resource)).kind).toBe('malformed');
  });
});

describe('notifications in certificate mode', () => {
  it('refuses a notification from a rotated certificate at first, fetches the certificates, then accepts the retry', async () => {
    const pay = await startTestWeChatPay({ mode: 'certificate' });
    try {
      pay.standIn.rotateCertificate();
      const crafted = pay.standIn.craftNotification({ eventType: 'TRANSACTION.SUCCESS', resource: PAID });
      expect(notifyError(() => pay.client.parseNotification(crafted)).kind).toBe('signature');
      const deadline = Date.now() + 20_000;
      for (;;) {
        try {
          expect(pay.client.parseNotification(crafted).eventType).toBe('TRANSACTION.SUCCESS');
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    } finally {
      await pay.standIn.close();
    }
  });
});
