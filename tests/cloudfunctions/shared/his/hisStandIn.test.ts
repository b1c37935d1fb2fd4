import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HIS_HEADERS, signHisRequest } from '../../../../cloudfunctions/shared/his/hisProtocol';
import { startHisStandIn, type HisStandIn } from '../../../../cloudfunctions/shared/his/hisStandIn';
import { createHttpHisClient } from '../../../../cloudfunctions/shared/his/httpHisClient';
import { until } from '../../../support/until';

const APP_ID = 'yiyue-test';
const SECRET = 'test-secret-0123456789abcdef';
const WANG = { idType: 'resident', idNumber: '110101199003074514', name: '王五', phone: '13700000000' };
const SEARCH = JSON.stringify({ idType: WANG.idType, idNumber: WANG.idNumber });

/** A hand-made request, so tests can send what the real client never would. */
async function post(url: string, pathname: string, body: string, headers: Record<string, string>) {
  const response = await fetch(url + pathname, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('HIS stand-in', () => {
  let standIn: HisStandIn;
  beforeEach(async () => {
    standIn = await startHisStandIn({ appId: APP_ID, secret: SECRET });
  });
  afterEach(() => standIn.close());

  const signed = (overrides: { now?: Date; nonce?: string; secret?: string; appId?: string; body?: string } = {}) =>
    signHisRequest(
      { appId: overrides.appId ?? APP_ID, secret: overrides.secret ?? SECRET },
      { method: 'POST', path: '/patients/search', body: overrides.body ?? SEARCH, now: overrides.now, nonce: overrides.nonce },
    );

  it('answers a correctly signed request', async () => {
    await expect(post(standIn.url, '/patients/search', SEARCH, signed())).resolves.toEqual({ status: 200, json: { found: false } });
  });

  it.each([
    ['no signature headers', () => ({}), 'unknown app id'],
    ['another app id', () => signed({ appId: 'intruder' }), 'unknown app id'],
    ['a wrong secret', () => signed({ secret: 'wrong-secret-0123456789' }), 'signature does not match'],
    ['a timestamp 6 minutes old', () => signed({ now: new Date(Date.now() - 6 * 60_000) }), 'timestamp is more than 5 minutes off'],
    ['a timestamp 6 minutes ahead', () => signed({ now: new Date(Date.now() + 6 * 60_000) }), 'timestamp is more than 5 minutes off'],
    ['a body other than the signed one', () => signed({ body: '{}' }), 'signature does not match'],
  ])('answers 401 to %s', async (_why, headers, reason) => {
    const answer = await post(standIn.url, '/patients/search', SEARCH, headers());
    expect(answer).toEqual({ status: 401, json: { code: 'BAD_SIGNATURE', message: reason } });
  });

  it('accepts a timestamp 4 minutes old but refuses a replayed nonce', async () => {
    const headers = signed({ now: new Date(Date.now() - 4 * 60_000) });
    expect((await post(standIn.url, '/patients/search', SEARCH, headers)).status).toBe(200);
    expect(await post(standIn.url, '/patients/search', SEARCH, headers)).toEqual({
      status: 401,
      json: { code: 'BAD_SIGNATURE', message: 'nonce already used' },
    });
  });

  it('refuses a malformed body with 400 and an unknown path with 404', async () => {
    const bad = JSON.stringify({ idType: 'resident' });
    expect((await post(standIn.url, '/patients/search', bad, signed({ body: bad }))).status).toBe(400);
    const unknown = signHisRequest({ appId: APP_ID, secret: SECRET }, { method: 'POST', path: '/appointments', body: '{}' });
    expect((await post(standIn.url, '/appointments', '{}', unknown)).status).toBe(404);
  });

  it('can be flipped through POST /__control', async () => {
    const control = async (body: unknown) => {
      const response = await fetch(`${standIn.url}/__control`, { method: 'POST', body: JSON.stringify(body) });
      return { status: response.status, json: await response.json() };
    };
    await expect(control({ mode: 'fail' })).resolves.toEqual({ status: 200, json: { mode: 'fail', delayMs: 10000 } });
    expect((await post(standIn.url, '/patients/search', SEARCH, signed())).status).toBe(503);
    await expect(control({ mode: 'refuse' })).resolves.toMatchObject({ status: 200 });
    expect((await post(standIn.url, '/patients/search', SEARCH, signed())).status).toBe(422);
    await expect(control({ mode: 'slow', delayMs: 50 })).resolves.toEqual({ status: 200, json: { mode: 'slow', delayMs: 50 } });
    expect((await post(standIn.url, '/patients/search', SEARCH, signed())).status).toBe(200);
    expect((await control({ mode: 'broken' })).status).toBe(400);
    const state = await fetch(`${standIn.url}/__control`);
    await expect(state.json()).resolves.toEqual({ mode: 'slow', delayMs: 50 });
  });

  it('closes promptly while a slow request is still waiting', async () => {
    standIn.setMode('slow', { delayMs: 60_000 });
    const before = standIn.requestCount();
    const pending = post(standIn.url, '/patients/search', SEARCH, signed()).catch(() => 'aborted');
    await until(() => standIn.requestCount() > before, 20_000, 'the request reaching the stand-in');
    await standIn.close();
    await expect(pending).resolves.toBe('aborted');
    standIn = await startHisStandIn({ appId: APP_ID, secret: SECRET }); // for afterEach
  });
});

describe('HIS stand-in state file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yiyue-his-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps patients and their HIS ids across a restart', async () => {
    const stateFile = path.join(dir, 'his', 'patients.json');
    const first = await startHisStandIn({ appId: APP_ID, secret: SECRET, stateFile });
    const before = await createHttpHisClient({ baseUrl: first.url, appId: APP_ID, secret: SECRET, timeoutMs: 2000 }).registerPatient(WANG);
    await first.close();

    const text = readFileSync(stateFile, 'utf8');
    expect(text).not.toContain(WANG.idNumber);
    expect(text).not.toContain(WANG.phone);
    if (process.platform !== 'win32') expect(statSync(stateFile).mode & 0o777).toBe(0o600);

    const second = await startHisStandIn({ appId: APP_ID, secret: SECRET, stateFile });
    try {
      const client = createHttpHisClient({ baseUrl: second.url, appId: APP_ID, secret: SECRET, timeoutMs: 2000 });
      expect(second.patientsCount()).toBe(1);
      await expect(client.findPatient(WANG)).resolves.toEqual(before);
      const next = await client.registerPatient({ ...WANG, idNumber: '11010519491231002X', name: '张三' });
      expect(next.hisPatientId).not.toBe(before.hisPatientId); // numbering continues instead of reusing ids
    } finally {
      await second.close();
    }
  });

  it('refuses a damaged state file with a clear message', async () => {
    const stateFile = path.join(dir, 'damaged.json');
    writeFileSync(stateFile, '{"version":2}');
    await expect(startHisStandIn({ appId: APP_ID, secret: SECRET, stateFile })).rejects.toThrow(/state file .* is not valid/);
  });
});

test('the signing headers have the documented names', () => {
  expect(Object.keys(signHisRequest({ appId: 'a', secret: 's' }, { method: 'POST', path: '/p', body: '' })).sort()).toEqual(
    [HIS_HEADERS.appId, HIS_HEADERS.nonce, HIS_HEADERS.signature, HIS_HEADERS.timestamp].sort(),
  );
});
