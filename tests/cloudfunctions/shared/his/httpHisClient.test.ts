import http from 'node:http';
import { ConfigError } from '../../../../cloudfunctions/shared/config';
import type { Logger } from '../../../../cloudfunctions/shared/log';
import { HisError, type HisClient } from '../../../../cloudfunctions/shared/his/his';
import { startHisStandIn, type HisStandIn } from '../../../../cloudfunctions/shared/his/hisStandIn';
import { createHttpHisClient, parseHisConfig, type HisConfig } from '../../../../cloudfunctions/shared/his/httpHisClient';

const APP_ID = 'yiyue-test';
const SECRET = 'test-secret-0123456789abcdef';
const ZHANG = { idType: 'resident', idNumber: '11010519491231002X', name: '张三', sex: 'male' as const, birthDate: '1949-12-31', phone: '13812345678' };

/** Records every log call with its raw fields, before any scrubbing, to prove nothing personal is passed in. */
function recordingLog(): Logger & { entries: { level: string; message: string; fields?: Record<string, unknown> }[] } {
  const entries: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void entries.push({ level, message, fields });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

async function rejection(promise: Promise<unknown>): Promise<HisError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HisError);
  return error as HisError;
}

describe('HTTP HIS client against the stand-in', () => {
  let standIn: HisStandIn;
  let config: HisConfig;
  let log: ReturnType<typeof recordingLog>;
  let client: HisClient;

  beforeEach(async () => {
    standIn = await startHisStandIn({ appId: APP_ID, secret: SECRET });
    config = { baseUrl: standIn.url, appId: APP_ID, secret: SECRET, timeoutMs: 2000 };
    log = recordingLog();
    client = createHttpHisClient(config, { log, retryDelaysMs: [10, 20] });
  });
  afterEach(() => standIn.close());

  it('finds nobody, registers, then finds the same HIS patient id', async () => {
    await expect(client.findPatient(ZHANG)).resolves.toBeNull();
    const registered = await client.registerPatient(ZHANG);
    expect(registered.hisPatientId).toMatch(/^HIS\d{8}$/);
    expect(registered.name).toBe('张三');
    await expect(client.findPatient({ idType: 'resident', idNumber: ZHANG.idNumber })).resolves.toEqual(registered);
    expect(standIn.patientsCount()).toBe(1);
  });

  describe('registrations', () => {
    const booking = (hisPatientId: string, bookingId = '6b0807230000000000000001') => ({
      bookingId,
      hisPatientId,
      doctorId: 'doctor-1',
      departmentId: 'department-1',
      date: '2026-11-29',
      start: '2026-11-29T01:00:00.000Z',
      end: '2026-11-29T01:30:00.000Z',
      number: 3,
      feeFen: 2500,
    });

    it('confirms once per booking: a retry answers the same registration', async () => {
      const { hisPatientId } = await client.registerPatient(ZHANG);
      const first = await client.confirmRegistration(booking(hisPatientId));
      expect(first.hisRegistrationId).toMatch(/^REG\d{8}$/);
      await expect(client.confirmRegistration(booking(hisPatientId))).resolves.toEqual(first);
      expect(standIn.registrationStatus(first.bookingId)).toBe('confirmed');
    });

    it('cancels idempotently, also a booking the HIS never saw, and refuses to confirm a cancelled one', async () => {
      const { hisPatientId } = await client.registerPatient(ZHANG);
      const { bookingId } = await client.confirmRegistration(booking(hisPatientId));
      await client.cancelRegistration(bookingId);
      await client.cancelRegistration(bookingId);
      await client.cancelRegistration('never-confirmed');
      expect(standIn.registrationStatus(bookingId)).toBe('cancelled');
      const error = await rejection(client.confirmRegistration(booking(hisPatientId)));
      expect(error).toMatchObject({ kind: 'refused', hisCode: 'REGISTRATION_CANCELLED' });
    });

    it('moves a registration to a substitute doctor (替诊) idempotently, refusing unknown and cancelled ones', async () => {
      const { hisPatientId } = await client.registerPatient(ZHANG);
      const first = await client.confirmRegistration(booking(hisPatientId));
      const move = { bookingId: first.bookingId, doctorId: 'doctor-2', departmentId: 'department-1', date: '2026-11-29', start: '2026-11-29T01:30:00.000Z', end: '2026-11-29T02:00:00.000Z', number: 7 };
      await expect(client.moveRegistration(move)).resolves.toEqual(first);
      await expect(client.moveRegistration(move)).resolves.toEqual(first);
      expect(standIn.registration(first.bookingId)).toMatchObject({ status: 'confirmed', doctorId: 'doctor-2', number: 7, start: move.start });
      expect(await rejection(client.moveRegistration({ ...move, bookingId: 'never-confirmed' }))).toMatchObject({ kind: 'refused', hisCode: 'UNKNOWN_REGISTRATION' });
      await client.cancelRegistration(first.bookingId);
      expect(await rejection(client.moveRegistration(move))).toMatchObject({ kind: 'refused', hisCode: 'REGISTRATION_CANCELLED' });
      standIn.setMode('fail');
      expect(await rejection(client.moveRegistration(move))).toMatchObject({ kind: 'unavailable', reason: 'server_error' });
    });

    it('reports an unknown patient as refused and an outage as unavailable', async () => {
      expect(await rejection(client.confirmRegistration(booking('HIS99999999')))).toMatchObject({ kind: 'refused', hisCode: 'UNKNOWN_PATIENT' });
      const { hisPatientId } = await client.registerPatient(ZHANG);
      standIn.setMode('fail');
      expect(await rejection(client.confirmRegistration(booking(hisPatientId)))).toMatchObject({ kind: 'unavailable', reason: 'server_error' });
      expect(await rejection(client.cancelRegistration('x'))).toMatchObject({ kind: 'unavailable' });
    });
  });

  it('treats registering a known patient as success (409 PATIENT_EXISTS)', async () => {
    const first = await client.registerPatient(ZHANG);
    const second = await client.registerPatient({ ...ZHANG, phone: '13900000000' });
    expect(second).toEqual(first);
    expect(standIn.patientsCount()).toBe(1);
  });

  it('reports a name that does not match the ID number as refused', async () => {
    await client.registerPatient(ZHANG);
    const error = await rejection(client.registerPatient({ ...ZHANG, name: '李四' }));
    expect(error).toMatchObject({ kind: 'refused', reason: 'refused', status: 422, hisCode: 'NAME_MISMATCH' });
    expect(error.hisMessage).toContain('不一致');
  });

  it('reports refuse mode as refused, with the HIS message and a kind sentence for the patient', async () => {
    standIn.setMode('refuse');
    const error = await rejection(client.registerPatient(ZHANG));
    expect(error).toMatchObject({ kind: 'refused', hisCode: 'REFUSED' });
    expect(error.message).toContain('REFUSED');
    expect(error.hisMessage).toBeTruthy();
    expect(error.patientMessage).toMatch(/请核对姓名和证件号码/);
  });

  it('retries a lookup a bounded number of times in fail mode, then reports unavailable', async () => {
    standIn.setMode('fail');
    const error = await rejection(client.findPatient(ZHANG));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'server_error', status: 503 });
    expect(error.patientMessage).toMatch(/稍后再试/);
    expect(standIn.requestCount()).toBe(3); // one try and two retries
  });

  it('never retries a registration', async () => {
    standIn.setMode('fail');
    await expect(client.registerPatient(ZHANG)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(standIn.requestCount()).toBe(1);
  });

  it('recovers when a retry succeeds', async () => {
    let calls = 0;
    const flaky: typeof fetch = (input, init) => {
      calls += 1;
      return calls === 1 ? Promise.resolve(new Response('bad gateway', { status: 502 })) : fetch(input, init);
    };
    const retrying = createHttpHisClient(config, { log, fetch: flaky, retryDelaysMs: [10] });
    await expect(retrying.findPatient(ZHANG)).resolves.toBeNull();
    expect(calls).toBe(2);
  });

  it('gives up on a slow HIS at the timeout and reports unavailable', async () => {
    standIn.setMode('slow', { delayMs: 5000 });
    const impatient = createHttpHisClient({ ...config, timeoutMs: 200 }, { log, retryDelaysMs: [10, 20] });
    const error = await rejection(impatient.findPatient(ZHANG));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'timeout' });
  });

  it('reports a rejected signature (wrong secret) as unavailable, reason unauthorized, and logs an error', async () => {
    const misconfigured = createHttpHisClient({ ...config, secret: 'not-the-secret-at-all' }, { log, retryDelaysMs: [10] });
    const error = await rejection(misconfigured.findPatient(ZHANG));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'unauthorized', status: 401 });
    expect(standIn.requestCount()).toBe(1); // retrying cannot fix a wrong secret
    expect(log.entries.some((entry) => entry.level === 'error' && entry.message.includes('HIS_SECRET'))).toBe(true);
  });

  it('reports an unreachable HIS as unavailable after retries', async () => {
    const closed = await startHisStandIn({ appId: APP_ID, secret: SECRET });
    await closed.close();
    const unreachable = createHttpHisClient({ ...config, baseUrl: closed.url }, { log, retryDelaysMs: [10, 20] });
    const error = await rejection(unreachable.findPatient(ZHANG));
    expect(error).toMatchObject({ kind: 'unavailable', reason: 'network' });
    expect(log.entries.filter((entry) => entry.message === 'his request failed')).toHaveLength(3);
  });

  it.each([
    ['not JSON', 200, '<html>oops</html>'],
    ['the wrong shape', 200, '{"found":"yes"}'],
    ['a refusal without a code', 422, '{"message":"no"}'],
    ['an unknown status', 418, '{}'],
  ])('reports an answer that is %s as unavailable', async (_why, status, body) => {
    const garbage = createHttpHisClient(config, { log, fetch: async () => new Response(body, { status }) });
    await expect(garbage.findPatient(ZHANG)).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('signs against the path as sent when HIS_BASE_URL has a prefix', async () => {
    const prefixed = http.createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ found: false, seenPath: req.url }));
    });
    await new Promise<void>((resolve) => prefixed.listen(0, '127.0.0.1', resolve));
    const { port } = prefixed.address() as { port: number };
    const seen: string[] = [];
    const spy: typeof fetch = (input, init) => {
      seen.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const viaPrefix = createHttpHisClient({ ...config, baseUrl: `http://127.0.0.1:${port}/his/v1` }, { fetch: spy });
    await expect(viaPrefix.findPatient(ZHANG)).resolves.toBeNull();
    expect(seen).toEqual(['/his/v1/patients/search']);
    await new Promise((resolve) => prefixed.close(resolve));
  });

  it('never hands an ID or phone number to the logger', async () => {
    standIn.setMode('fail');
    await client.findPatient(ZHANG).catch(() => undefined);
    standIn.setMode('normal');
    await client.registerPatient(ZHANG);
    await client.findPatient(ZHANG);
    expect(log.entries.length).toBeGreaterThan(0);
    const logged = JSON.stringify(log.entries);
    expect(logged).not.toContain(ZHANG.idNumber);
    expect(logged).not.toContain(ZHANG.phone);
    expect(log.entries[log.entries.length - 1].fields).toEqual({ path: '/patients/search', status: 200, durationMs: expect.any(Number), attempt: 1 });
  });
});

describe('HIS configuration', () => {
  const base = { HIS_BASE_URL: 'https://his.example.org/api/', HIS_APP_ID: 'yiyue', HIS_SECRET: 'a-long-enough-secret' };

  it('reads the settings, trims the trailing slash and defaults the timeout to 5 s', () => {
    expect(parseHisConfig(base)).toEqual({ baseUrl: 'https://his.example.org/api', appId: 'yiyue', secret: 'a-long-enough-secret', timeoutMs: 5000 });
    expect(parseHisConfig({ ...base, HIS_TIMEOUT_MS: '1500' }).timeoutMs).toBe(1500);
  });

  it.each([
    [{ ...base, HIS_BASE_URL: undefined }, /^Invalid configuration: HIS_BASE_URL is required$/],
    [{ ...base, HIS_BASE_URL: 'ftp://his' }, /^Invalid configuration: HIS_BASE_URL must be an http\(s\) URL .*\(got "ftp:\/\/his"\)$/],
    [{ ...base, HIS_APP_ID: '' }, /^Invalid configuration: HIS_APP_ID is required$/],
    [{ ...base, HIS_SECRET: 'short-secret' }, /^Invalid configuration: HIS_SECRET must be at least 16 characters$/],
    [{ ...base, HIS_TIMEOUT_MS: 'soon' }, /^Invalid configuration: HIS_TIMEOUT_MS must be a whole number .*\(got "soon"\)$/],
    [{ ...base, HIS_TIMEOUT_MS: '99' }, /HIS_TIMEOUT_MS/],
  ])('refuses bad settings with one clear line (%#)', (env, message) => {
    expect(() => parseHisConfig(env)).toThrow(ConfigError);
    expect(() => parseHisConfig(env)).toThrow(message);
  });
});
