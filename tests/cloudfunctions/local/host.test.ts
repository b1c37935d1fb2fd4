import { startTestHost, type TestHost } from '../../support/host';

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
