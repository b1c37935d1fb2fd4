import http from 'node:http';
import { startTestHost, type TestHost } from '../../support/host';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

/** Two requests on one keep-alive connection: the second only answers if the first left the socket open. */
async function twoOnOneConnection(url: string, first: { path: string; method: string; body?: string }, second: { path: string; method: string; body?: string }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (request: { path: string; method: string; body?: string }) =>
    new Promise<{ status: number; body: string; reusedSocket: boolean }>((resolve, reject) => {
      const outgoing = http.request(`${url}${request.path}`, { method: request.method, agent, headers: { 'content-type': 'application/json', 'x-dev-openid': 'demo-patient' } }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body, reusedSocket: outgoing.reusedSocket }));
      });
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  try {
    const one = await send(first);
    await new Promise((resolve) => setImmediate(resolve));
    const two = await send(second);
    return [one, two];
  } finally {
    agent.destroy();
  }
}

describe('local host', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.close());

  const asPatient = { 'x-dev-openid': 'demo-patient' };

  it('logs in through POST /api/user and returns the same user for the same openid', async () => {
    const first = await host.post('user', { action: 'login' }, asPatient);
    const second = await host.post('user', { action: 'login' }, asPatient);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ok: true, data: { user: { id: expect.stringMatching(/^[0-9a-f]{24}$/) } } });
    expect((second.body.data as { user: { id: string } }).user.id).toBe((first.body.data as { user: { id: string } }).user.id);
  });

  it('gives the demo admin the admin role', async () => {
    const admin = await host.post('user', { action: 'login' }, { 'x-dev-openid': 'demo-admin' });
    expect(admin.body).toMatchObject({ ok: true, data: { user: { roles: ['admin'] } } });
  });

  it('lists the dev identities for the dev login page', async () => {
    const response = await fetch(`${host.url}/dev/identities`);
    const body = (await response.json()) as { ok: boolean; data: { openid: string; role: string }[] };
    expect(body.data.map((identity) => identity.role)).toEqual(['patient', 'family', 'admin']);
  });

  it.each([
    ['an unknown function', 'billing', JSON.stringify({ action: 'login' }), asPatient, 404, 'UNKNOWN_FUNCTION'],
    ['an unknown action', 'user', JSON.stringify({ action: 'dropTables' }), asPatient, 400, 'UNKNOWN_ACTION'],
    ['a non-JSON body', 'user', '{action: login', asPatient, 400, 'BAD_REQUEST'],
    ['a JSON array', 'user', '[1,2]', asPatient, 400, 'BAD_REQUEST'],
    ['a missing action', 'user', '{}', asPatient, 400, 'BAD_REQUEST'],
    ['a payload failing its schema', 'user', JSON.stringify({ action: 'setPreferences', elderMode: 3 }), asPatient, 400, 'INVALID_PARAMS'],
    ['no identity', 'user', JSON.stringify({ action: 'login' }), {}, 401, 'UNAUTHENTICATED'],
    ['a malformed dev identity', 'user', JSON.stringify({ action: 'login' }), { 'x-dev-openid': 'a b/c' }, 400, 'BAD_REQUEST'],
    ['an oversized body', 'user', JSON.stringify({ action: 'login', pad: 'x'.repeat(300_000) }), asPatient, 413, 'PAYLOAD_TOO_LARGE'],
  ])('answers %s with a coded error and a 4xx status', async (_label, fn, body, headers, status, code) => {
    const response = await host.post(fn, body, headers);
    expect(response.status).toBe(status);
    expect(response.body).toMatchObject({ ok: false, code, requestId: expect.any(String) });
    expect(response.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.stringify(response.body)).not.toMatch(/stack|\.ts:\d+|Error:/);
  });

  it('refuses GET on the API', async () => {
    const response = await fetch(`${host.url}/api/user`);
    expect(response.status).toBe(400);
  });

  it('answers an action that cannot be turned into text with 400 and keeps the connection open', async () => {
    const login = { path: '/api/user', method: 'POST', body: JSON.stringify({ action: 'login' }) };
    const [odd, next] = await twoOnOneConnection(host.url, { ...login, body: JSON.stringify({ action: { toString: 1, valueOf: 1 } }) }, login);
    expect(odd.status).toBe(400);
    expect(JSON.parse(odd.body)).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(next).toMatchObject({ status: 200, reusedSocket: true });
  });

  it('answers a path that cannot be decoded with 400', async () => {
    const [bad, next] = await twoOnOneConnection(host.url, { path: '/%ZZ', method: 'GET' }, { path: '/healthz', method: 'GET' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    expect(next).toMatchObject({ status: 200, reusedSocket: true });
    expect((await fetch(`${host.url}/api/%ZZ`, { method: 'POST', body: '{}' })).status).toBe(400);
  });

  it('keeps all-digit openids apart: 0123, 123 and 00123 are three people', async () => {
    const ids = new Set<string>();
    for (const openid of ['0123', '123', '00123']) {
      const login = await host.post('user', { action: 'login' }, { 'x-dev-openid': openid });
      expect(login.status).toBe(200);
      ids.add((login.body.data as { user: { id: string } }).user.id);
    }
    expect(ids.size).toBe(3);
    const openids = (await host.runtime.db.collection('identities').find({}).toArray()).map((link) => link.openid as unknown);
    expect(openids).toEqual(expect.arrayContaining(['0123', '123', '00123']));
  });

  it("answers an HTTP-event-shaped body to /api/payment with a coded 400; it never reaches the notification handler", async () => {
    const event = { httpMethod: 'POST', path: '/notify/transaction', headers: { 'content-type': 'application/json' }, body: '{}', isBase64Encoded: false };
    for (const headers of [{}, asPatient]) {
      const response = await host.post('payment', event, headers);
      expect(response.status).toBe(400);
      // The handler answers WeChat Pay with {code: 'FAIL'} or an empty 204, never the client envelope.
      expect(response.body).toMatchObject({ ok: false, code: 'PLATFORM_ONLY', requestId: expect.any(String) });
    }
  });

  it.each([
    ['admin', { action: 'saveDepartment' }],
    ['admin', { action: 'saveDoctor', name: 1 }],
    ['admin', { action: 'generateSchedules', from: 'x' }],
    ['patient', { action: 'verifyVisitCode' }],
    ['payment', { action: 'reconcile', date: 'yesterday' }],
    ['payment', { action: 'reconciliation' }],
  ])('tells a patient calling the admin-only %s action %j only that it is for staff, not which fields it takes', async (fn, body) => {
    const response = await host.post(fn, body, asPatient);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(response.body.fields).toBeUndefined();
  });

  it('checks who calls before what was sent, and still tells staff which field is wrong', async () => {
    for (const [fn, body] of [['admin', { action: 'saveDepartment' }], ['booking', { action: 'hold' }], ['patient', { action: 'bind', idNumber: 5 }]] as const) {
      const anonymous = await host.post(fn, body, {});
      expect(anonymous).toMatchObject({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      expect(anonymous.body.fields).toBeUndefined();
    }
    await host.post('user', { action: 'login' }, { 'x-dev-openid': 'demo-admin' });
    const staff = await host.post('admin', { action: 'saveDepartment' }, { 'x-dev-openid': 'demo-admin' });
    expect(staff).toMatchObject({ status: 400, body: { code: 'INVALID_PARAMS', fields: expect.arrayContaining([expect.objectContaining({ path: 'name' })]) } });
  });
});

describe('local host under many calls at once', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost();
  });
  afterAll(() => host.close());

  it('answers many calls in flight at once each with its own answer, also when callers give up on theirs', async () => {
    const openids = Array.from({ length: 20 }, (_, i) => `crowd-${i}`);
    const login = (openid: string) => host.post('user', { action: 'login' }, { 'x-dev-openid': openid }).then((answer) => (answer.body.data as { user: { id: string } }).user.id);
    const first = await Promise.all(openids.map(login));
    expect(new Set(first).size).toBe(20);
    // Callers who hang up while their call runs: the answers written with theirs still reach everyone else.
    const quitters = openids.slice(0, 10).map((openid) => {
      const outgoing = http.request(`${host.url}/api/user`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-dev-openid': openid } });
      outgoing.on('error', () => undefined);
      outgoing.end(JSON.stringify({ action: 'login' }), () => outgoing.destroy());
      return outgoing;
    });
    const again = await Promise.all(openids.map(login));
    expect(again).toEqual(first);
    expect(quitters.every((outgoing) => outgoing.destroyed)).toBe(true);
    expect((await fetch(`${host.url}/healthz`)).status).toBe(200);
  });
});

describe('local host sandbox cashier', () => {
  let pay: TestWeChatPay;
  let host: TestHost;
  beforeAll(async () => {
    pay = await startTestWeChatPay();
    host = await startTestHost({ pay: pay.client, payStandIn: pay.standIn });
  });
  afterAll(async () => {
    await host.close();
    await pay.standIn.close();
  });

  it.each([
    ['not JSON', '{'],
    ['no order number', '{}'],
    ['an order number that is not text', '{"outTradeNo":{"toString":1}}'],
    ['a JSON array', '[1]'],
  ])('answers /dev/wxpay/pay with %s with a coded 400', async (_label, body) => {
    for (const path of ['/dev/wxpay/pay', '/dev/wxpay/cancel']) {
      const response = await fetch(`${host.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    }
  });

  it('answers an unknown order with 404', async () => {
    const response = await fetch(`${host.url}/dev/wxpay/pay`, { method: 'POST', body: '{"outTradeNo":"YY00000000000000"}' });
    expect(response.status).toBe(404);
  });
});

describe('local host in production mode', () => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ production: true });
  });
  afterAll(() => host.close());

  it('refuses the dev identity header and hides the dev login', async () => {
    const response = await host.post('user', { action: 'login' }, { 'x-dev-openid': 'demo-patient' });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ ok: false, code: 'DEV_LOGIN_DISABLED' });
    expect((await fetch(`${host.url}/dev/identities`)).status).toBe(404);
    expect(await host.runtime.db.collection('users').countDocuments()).toBe(0);
  });
});
