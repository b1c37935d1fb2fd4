import { createSign, randomBytes } from 'node:crypto';
import os from 'node:os';
import { WECHAT_NOTIFY_RETRY_SECONDS } from '../../../../cloudfunctions/local/wechatPayStandInNotifier';
import { startWeChatPayStandIn, type WeChatPayStandIn } from '../../../../cloudfunctions/local/wechatPayStandIn';
import { createWeChatPayClient } from '../../../../cloudfunctions/shared/payment/wechatPayClient';
import { parsePayConfig } from '../../../../cloudfunctions/shared/payment/wechatPayConfig';
import { startNotifyReceiver, type NotifyReceiver } from '../../../support/wechatPay';

/** Signs a request the way WeChat specifies, on node:crypto alone (independent of the client and the library). */
function authorization(standIn: WeChatPayStandIn, method: string, pathWithQuery: string, body: string, overrides: { timestamp?: number; mchid?: string } = {}): string {
  const timestamp = String(overrides.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const signature = createSign('sha256').update(`${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`).sign(standIn.config.WXPAY_PRIVATE_KEY, 'base64');
  const mchid = overrides.mchid ?? standIn.config.WXPAY_MCHID;
  return `WECHATPAY2-SHA256-RSA2048 mchid="${mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${standIn.config.WXPAY_SERIAL_NO}"`;
}

function orderBody(standIn: WeChatPayStandIn, notifyUrl: string, outTradeNo = 'YY20261129000001'): string {
  return JSON.stringify({
    appid: standIn.config.WXPAY_APPID,
    mchid: standIn.config.WXPAY_MCHID,
    description: '挂号费',
    out_trade_no: outTradeNo,
    time_expire: new Date(Date.now() + 600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    notify_url: notifyUrl,
    amount: { total: 1500, currency: 'CNY' },
    payer: { openid: 'oPayer' },
  });
}

describe('WeChat Pay stand-in: request signatures', () => {
  let standIn: WeChatPayStandIn;
  beforeEach(async () => {
    standIn = await startWeChatPayStandIn();
  });
  afterEach(() => standIn.close());

  async function post(path: string, body: string, auth: string | undefined) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'wechatpay-serial': standIn.config.WXPAY_PUBLIC_KEY_ID };
    if (auth) headers.authorization = auth;
    const response = await fetch(standIn.origin + path, { method: 'POST', headers, body });
    return { status: response.status, json: (await response.json()) as { code?: string; prepay_id?: string }, signed: response.headers.has('wechatpay-signature') };
  }

  it('accepts a correctly signed request and signs its answer', async () => {
    const body = orderBody(standIn, 'https://example.org/notify');
    const answer = await post('/v3/pay/transactions/jsapi', body, authorization(standIn, 'POST', '/v3/pay/transactions/jsapi', body));
    expect(answer).toMatchObject({ status: 200, signed: true });
    expect(answer.json.prepay_id).toBeTruthy();
  });

  it('answers 401 SIGN_ERROR, unsigned, and changes nothing, for every way a signature can be wrong', async () => {
    const path = '/v3/pay/transactions/jsapi';
    const body = orderBody(standIn, 'https://example.org/notify');
    const otherBody = orderBody(standIn, 'https://example.org/notify', 'YY20261129000002');
    const cases = [
      undefined,
      'Bearer abc',
      authorization(standIn, 'POST', path, otherBody), // signed for another body
      authorization(standIn, 'POST', '/v3/pay/transactions/native', body), // signed for another path
      authorization(standIn, 'GET', path, body), // signed for another method
      authorization(standIn, 'POST', path, body, { timestamp: Math.floor(Date.now() / 1000) - 301 }), // stale
      authorization(standIn, 'POST', path, body, { mchid: '1900000999' }), // another merchant
      authorization(standIn, 'POST', path, body).replace(/signature="[^"]{8}/, 'signature="AAAAAAAA'),
    ];
    for (const auth of cases) {
      const answer = await post(path, body, auth);
      expect(answer).toMatchObject({ status: 401, signed: false, json: { code: 'SIGN_ERROR' } });
    }
    expect(standIn.order('YY20261129000001')).toBeUndefined();
    expect(standIn.requestCount()).toEqual({ total: cases.length, unauthorized: cases.length });
  });

  it('wants Wechatpay-Serial in public-key mode', async () => {
    const body = orderBody(standIn, 'https://example.org/notify');
    const response = await fetch(standIn.origin + '/v3/pay/transactions/jsapi', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: authorization(standIn, 'POST', '/v3/pay/transactions/jsapi', body) },
      body,
    });
    expect(response.status).toBe(400);
  });

  it('is driven through the HTTP control API', async () => {
    const body = orderBody(standIn, 'http://127.0.0.1:9/notify');
    await post('/v3/pay/transactions/jsapi', body, authorization(standIn, 'POST', '/v3/pay/transactions/jsapi', body));
    const control = (action: string, payload: unknown) =>
      fetch(`${standIn.origin}/__control/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    expect((await control('cancel', { outTradeNo: 'YY20261129000001' })).status).toBe(200);
    expect(standIn.order('YY20261129000001')).toMatchObject({ tradeState: 'NOTPAY', payerCancelled: true });
    expect((await control('pay', { outTradeNo: 'YY20261129000001', notify: false })).status).toBe(200);
    expect(standIn.order('YY20261129000001')?.tradeState).toBe('SUCCESS');
    expect((await control('pay', { outTradeNo: 'YY20261129000001' })).status).toBe(409);
    expect((await control('pay', { outTradeNo: 'NO_SUCH_ORDER' })).status).toBe(404);
    expect((await control('mode', { refund: 'sometimes' })).status).toBe(400);
    expect(await (await control('mode', { refund: 'processing' })).json()).toMatchObject({ refund: 'processing' });
    const order = await fetch(`${standIn.origin}/__control/order?outTradeNo=YY20261129000001`);
    expect(await order.json()).toMatchObject({ outTradeNo: 'YY20261129000001', tradeState: 'SUCCESS' });
    expect(standIn.requestCount().total).toBe(1); // control calls are not API requests
  });

  it('lets no web page drive the control API: no CORS headers, and a request with an Origin is refused', async () => {
    const body = orderBody(standIn, 'http://127.0.0.1:9/notify');
    await post('/v3/pay/transactions/jsapi', body, authorization(standIn, 'POST', '/v3/pay/transactions/jsapi', body));
    const fromPage = await fetch(`${standIn.origin}/__control/pay`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'text/plain' }, body: '{"outTradeNo":"YY20261129000001"}' });
    expect(fromPage.status).toBe(403);
    expect(standIn.order('YY20261129000001')?.tradeState).toBe('NOTPAY');
    const preflight = await fetch(`${standIn.origin}/__control/pay`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    const fromScript = await fetch(`${standIn.origin}/__control/orders`);
    expect(fromScript.status).toBe(200);
    for (const response of [fromPage, preflight, fromScript]) expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('WeChat Pay stand-in: control API from another machine', () => {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((address) => address && !address.internal && address.family === 'IPv4')?.address;

  // Needs a network interface other than loopback (any CI machine has one).
  (external ? it : it.skip)('answers control calls from loopback only, even when listening on every interface', async () => {
    const standIn = await startWeChatPayStandIn({ host: '0.0.0.0' });
    try {
      const port = new URL(standIn.origin).port;
      const remote = await fetch(`http://${external}:${port}/__control/orders`);
      expect(remote.status).toBe(403);
      expect((await fetch(`http://127.0.0.1:${port}/__control/orders`)).status).toBe(200);
    } finally {
      await standIn.close();
    }
  });
});

describe('WeChat Pay stand-in: notification retries', () => {
  let standIn: WeChatPayStandIn;
  let receiver: NotifyReceiver;
  const scale = 0.001;

  async function paidOrder(): Promise<void> {
    await unpaidOrder();
    standIn.pay('YY20261129000001');
  }

  async function unpaidOrder(): Promise<void> {
    const body = orderBody(standIn, receiver.url);
    const response = await fetch(standIn.origin + '/v3/pay/transactions/jsapi', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: authorization(standIn, 'POST', '/v3/pay/transactions/jsapi', body), 'wechatpay-serial': standIn.config.WXPAY_PUBLIC_KEY_ID },
      body,
    });
    expect(response.status).toBe(200);
  }

  beforeEach(async () => {
    receiver = await startNotifyReceiver();
  });
  afterEach(async () => {
    await standIn.close();
    await receiver.close();
  });

  it("retries on WeChat's schedule (scaled) until a 2xx, then stops; each attempt is signed afresh over the same body", async () => {
    standIn = await startWeChatPayStandIn({ notifyRetryScale: scale });
    receiver.answer = (_notification, index) => (index < 3 ? 500 : 200);
    await paidOrder();
    await standIn.notificationsIdle();
    const attempts = standIn.notifications();
    expect(attempts.map((attempt) => attempt.status)).toEqual([500, 500, 500, 200]);
    expect(receiver.received).toHaveLength(4);
    for (let i = 1; i < attempts.length; i += 1) {
      const gap = attempts[i].at.getTime() - attempts[i - 1].at.getTime();
      expect(gap).toBeGreaterThanOrEqual(Math.floor(WECHAT_NOTIFY_RETRY_SECONDS[i - 1] * 1000 * scale) - 1);
    }
    expect(new Set(attempts.map((attempt) => attempt.body)).size).toBe(1);
    expect(new Set(attempts.map((attempt) => attempt.headers['Wechatpay-Nonce'])).size).toBe(4);
    expect(new Set(attempts.map((attempt) => attempt.notificationId)).size).toBe(1);
  });

  it('counts an answer slower than the timeout as a failure, and gives up after 16 attempts', async () => {
    standIn = await startWeChatPayStandIn({ notifyRetryScale: 0.00001, notifyAnswerTimeoutMs: 100 });
    // The first answer comes only once every retry is over: too late to count.
    let answerLate: (status: number) => void = () => {};
    const late = new Promise<number>((resolve) => (answerLate = resolve));
    receiver.answer = (_notification, index) => (index === 0 ? late : 503);
    await paidOrder();
    await standIn.notificationsIdle();
    const attempts = standIn.notifications();
    expect(attempts).toHaveLength(WECHAT_NOTIFY_RETRY_SECONDS.length + 1);
    expect(attempts[0].error).toBe('timeout');
    expect(attempts[0].status).toBeUndefined();
    expect(attempts.slice(1).every((attempt) => attempt.status === 503)).toBe(true);
    answerLate(204);
    await late;
    await new Promise((resolve) => setImmediate(resolve));
    expect(standIn.notifications()).toHaveLength(16);
  });

  it('sends, on a control call, a genuine notification whose resource says something else, leaving the order as it was', async () => {
    standIn = await startWeChatPayStandIn({ notifyRetryScale: scale });
    const client = createWeChatPayClient(parsePayConfig(standIn.config)!);
    await unpaidOrder();
    const control = (payload: unknown) =>
      fetch(`${standIn.origin}/__control/misleadingNotification`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });

    const sent = await control({ outTradeNo: 'YY20261129000001', tradeState: 'CLOSED', totalFen: 1, payerTotalFen: 1, mchid: '1900000999', appid: 'wx1111111111111111', outTradeNoInResource: 'YY0000000009' });
    expect(sent.status).toBe(200);
    const { id } = (await sent.json()) as { id: string };
    await standIn.notificationsIdle();
    const notification = client.parseNotification(receiver.received[0]);
    expect(notification).toMatchObject({ id, eventType: 'TRANSACTION.SUCCESS' });
    expect(notification.resource).toMatchObject({ trade_state: 'CLOSED', mchid: '1900000999', appid: 'wx1111111111111111', out_trade_no: 'YY0000000009', amount: { total: 1, payer_total: 1 } });
    expect(standIn.order('YY20261129000001')).toMatchObject({ tradeState: 'NOTPAY', amountFen: 1500 });

    expect((await control({ outTradeNo: 'YY20261129000001', malformed: 'not_json' })).status).toBe(200);
    await standIn.notificationsIdle();
    expect(() => client.parseNotification(receiver.received[1])).toThrow(expect.objectContaining({ kind: 'malformed' }));

    expect((await control({ outTradeNo: 'NO_SUCH_ORDER' })).status).toBe(404);
    expect((await control({ outTradeNo: 'YY20261129000001', outRefundNo: 'RF1' })).status).toBe(400);
    expect((await control({ outTradeNo: 'YY20261129000001', malformed: 'sometimes' })).status).toBe(400);
  });
});
