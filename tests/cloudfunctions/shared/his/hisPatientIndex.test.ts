// The HIS stand-in as a master patient index: new documents filed only with the details they carry,
// known ones only under their name; a mode that files nobody new; a control route for this machine only.
import os from 'node:os';
import { HisError } from '../../../../cloudfunctions/shared/his/his';
import { startHisStandIn, type HisStandIn } from '../../../../cloudfunctions/shared/his/hisStandIn';
import { createHttpHisClient } from '../../../../cloudfunctions/shared/his/httpHisClient';
import { isLoopbackAddress } from '../../../../cloudfunctions/shared/http/localControl';

const APP_ID = 'yiyue-test';
const SECRET = 'test-secret-0123456789abcdef';
// 张秀英: born 1949-12-31, 17th digit 2 (even): female.
const GRANDMOTHER = { idType: 'mainland_id', idNumber: '11010519491231002X', name: '张秀英', sex: 'female' as const, birthDate: '1949-12-31', phone: '13812345678' };

async function refusal(promise: Promise<unknown>): Promise<HisError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HisError);
  return error as HisError;
}

describe('HIS stand-in: master patient index', () => {
  let standIn: HisStandIn;
  let client: ReturnType<typeof createHttpHisClient>;
  beforeEach(async () => {
    standIn = await startHisStandIn({ appId: APP_ID, secret: SECRET });
    client = createHttpHisClient({ baseUrl: standIn.url, appId: APP_ID, secret: SECRET, timeoutMs: 2000 }, { retryDelaysMs: [] });
  });
  afterEach(() => standIn.close());

  it('files a new resident ID whose sex and birth date match the number', async () => {
    const filed = await client.registerPatient(GRANDMOTHER);
    expect(filed).toEqual({ hisPatientId: expect.stringMatching(/^HIS\d{8}$/), name: '张秀英' });
    await expect(client.findPatient(GRANDMOTHER)).resolves.toEqual(filed);
  });

  it.each([
    ['the wrong sex', { sex: 'male' as const }, 'DETAILS_MISMATCH'],
    ['the wrong birth date', { birthDate: '1949-12-30' }, 'DETAILS_MISMATCH'],
    ['no sex at all', { sex: undefined }, 'DETAILS_MISMATCH'],
    ['no birth date at all', { birthDate: undefined }, 'DETAILS_MISMATCH'],
    ['a wrong check digit', { idNumber: '110105194912310021' }, 'INVALID_ID_NUMBER'],
    ['a permit number sent as a resident ID', { idNumber: '810000199408230021', birthDate: '1994-08-23' }, 'INVALID_ID_NUMBER'],
  ])('refuses a new resident ID with %s and files nothing', async (_why, change, code) => {
    const error = await refusal(client.registerPatient({ ...GRANDMOTHER, ...change }));
    expect(error).toMatchObject({ kind: 'refused', hisCode: code });
    expect(standIn.patientsCount()).toBe(0);
  });

  it('checks residence permits the same way', async () => {
    const permit = { idType: 'hmt_residence_permit', idNumber: '810000199408230021', name: '赵四', sex: 'female' as const, birthDate: '1994-08-23', phone: '13600003333' };
    expect((await refusal(client.registerPatient({ ...permit, birthDate: '1994-08-24' }))).hisCode).toBe('DETAILS_MISMATCH');
    await expect(client.registerPatient(permit)).resolves.toMatchObject({ name: '赵四' });
  });

  it('knows a filed ID only under its name, sex and birth date', async () => {
    const filed = await client.registerPatient(GRANDMOTHER);
    await expect(client.registerPatient(GRANDMOTHER)).resolves.toEqual(filed); // 409 PATIENT_EXISTS is success
    expect((await refusal(client.registerPatient({ ...GRANDMOTHER, name: '张秀兰' }))).hisCode).toBe('NAME_MISMATCH');
    expect((await refusal(client.registerPatient({ ...GRANDMOTHER, sex: 'male' }))).hisCode).toBe('DETAILS_MISMATCH');
    expect(standIn.patientsCount()).toBe(1);
  });

  it('files a child bound through a guardian as sent: there is no number to read', async () => {
    const child = { idType: 'guardian_child', idNumber: 'G-HIS10000001-2024-05-01-1a2b3c4d', name: '王小宝', sex: 'male' as const, birthDate: '2024-05-01', phone: '13900001111' };
    await expect(client.registerPatient(child)).resolves.toMatchObject({ name: '王小宝' });
  });

  it('in refuse_unknown mode files nobody new but still finds those it knows', async () => {
    const filed = await client.registerPatient(GRANDMOTHER);
    standIn.setMode('refuse_unknown');
    const son = { idType: 'mainland_id', idNumber: '110105197803150016', name: '王磊', sex: 'male' as const, birthDate: '1978-03-15', phone: '13900001111' };
    const error = await refusal(client.registerPatient(son));
    expect(error).toMatchObject({ kind: 'refused', hisCode: 'UNKNOWN_PATIENT' });
    await expect(client.findPatient(son)).resolves.toBeNull();
    await expect(client.registerPatient(GRANDMOTHER)).resolves.toEqual(filed);
    await expect(client.findPatient(GRANDMOTHER)).resolves.toEqual(filed);
    expect(standIn.patientsCount()).toBe(1);
  });
});

describe('HIS stand-in: control route', () => {
  let standIn: HisStandIn;
  afterEach(() => standIn.close());

  const control = (origin: string, init: RequestInit = {}) => fetch(`${origin}/__control`, init);

  it('switches to refuse_unknown for a caller on this machine, and never sends Access-Control-Allow-Origin', async () => {
    standIn = await startHisStandIn({ appId: APP_ID, secret: SECRET });
    const answer = await control(standIn.url, { method: 'POST', body: JSON.stringify({ mode: 'refuse_unknown' }) });
    expect(answer.status).toBe(200);
    await expect(answer.json()).resolves.toMatchObject({ mode: 'refuse_unknown' });
    expect(answer.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a web page (any Origin), and a preflight gets no CORS grant', async () => {
    standIn = await startHisStandIn({ appId: APP_ID, secret: SECRET });
    const fromPage = await control(standIn.url, { method: 'POST', headers: { origin: 'https://evil.example' }, body: JSON.stringify({ mode: 'fail' }) });
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await control(standIn.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    await expect((await control(standIn.url)).json()).resolves.toMatchObject({ mode: 'normal' });
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;

  (external ? it : it.skip)('refuses a caller from another machine (reached on a non-loopback address)', async () => {
    standIn = await startHisStandIn({ appId: APP_ID, secret: SECRET, host: '0.0.0.0' });
    const port = new URL(standIn.url).port;
    const answer = await control(`http://${external}:${port}`, { method: 'POST', body: JSON.stringify({ mode: 'fail' }) });
    expect(answer.status).toBe(403);
    await expect((await control(`http://127.0.0.1:${port}`)).json()).resolves.toMatchObject({ mode: 'normal' });
  });
});

describe('loopback callers', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    ['10.0.0.1', false],
    ['fd00::2', false],
    ['128.0.0.1', false],
    [undefined, false],
  ])('isLoopbackAddress(%s) is %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });
});
