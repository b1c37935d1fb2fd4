/**
 * Rate limits, black-box through the local host (X1): a script meets them within seconds, a person at
 * human pace never does. Callers come from different loopback addresses (127.0.0.x), so per-address
 * limits are exercised the way two households on two networks would meet them.
 */
import http from 'node:http';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { linksOf } from '../../../cloudfunctions/shared/patients/patientRepository';
import { newRequestId, quickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import { bindThroughProof, PEOPLE } from '../../support/patients';
import type { Result } from '../../../cloudfunctions/shared/errors';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { callAs, dataOf } from '../../support/runtime';
import { main as userMain } from '../../../cloudfunctions/user';
import { DEV_APPID } from '../../../cloudfunctions/local/devIdentities';
import { findUserByIdentity } from '../../../cloudfunctions/shared/users/userRepository';

interface Answer {
  status: number;
  body: { ok: boolean; code?: string; message?: string; data?: Record<string, unknown> };
}

let host: TestHost;
let his: TestHis;

/** POST /api/<fn> as a dev identity from a chosen local address. */
function postFrom(address: string, openid: string, fn: string, body: Record<string, unknown>): Promise<Answer> {
  const url = new URL(`${host.url}/api/${fn}`);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', localAddress: address, headers: { 'content-type': 'application/json', 'x-dev-openid': openid, 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

function checkChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * weights[index], 0);
  return '10X98765432'[sum % 11];
}

/** A valid mainland ID of a woman (even sequence number), distinct for n < 500. */
function idFor(n: number): string {
  const body = `110105${1950 + (n % 50)}0612${String((n % 500) * 2).padStart(3, '0')}`;
  return body + checkChar(body);
}

function expectLimited(answer: Answer): void {
  expect(answer.status).toBe(429);
  expect(answer.body.code).toBe('RATE_LIMITED');
  expect(answer.body.message).toMatch(/^操作太频繁了，请 \d+ (秒|分钟)后再试。$/);
}

beforeAll(async () => {
  his = await startTestHis();
  host = await startTestHost({ adminOpenids: [ADMIN], his: his.client });
  await seedHospital(host.runtime);
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
});
afterAll(async () => {
  await host.close();
  await his.standIn.close();
});

describe('binding', () => {
  it('throttles a scripted loop of 1,000 bind attempts from one account, and binds nothing after the limit', async () => {
    await postFrom('127.0.0.2', 'script-1', 'user', { action: 'login' });
    const outcomes: Record<string, number> = {};
    let firstLimited = -1;
    for (let i = 0; i < 1000; i++) {
      const answer = await postFrom('127.0.0.2', 'script-1', 'patient', { action: 'bind', name: '张秀英', idType: 'mainland_id', idNumber: idFor(i), phone: '13812345678', relation: 'other' });
      const key = answer.body.ok ? 'ok' : answer.body.code!;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
      if (key === 'RATE_LIMITED' && firstLimited < 0) {
        firstLimited = i;
        expectLimited(answer);
      }
    }
    // Ten tries per ten minutes: everything after the tenth is refused before it reaches the HIS or the store.
    expect(firstLimited).toBe(10);
    expect(outcomes.RATE_LIMITED).toBe(990);
    const user = await findUserByIdentity(host.runtime.db, { openid: 'script-1', appid: DEV_APPID });
    const links = await linksOf(host.runtime.db).countDocuments({ userId: user!._id });
    expect(links).toBeLessThanOrEqual(10);
  });

  it('never throttles a person who binds three family cards, each with its SMS code, mistyping twice on the way and one code once', async () => {
    await postFrom('127.0.0.3', 'family-son', 'user', { action: 'login' });
    const send = async (event: Record<string, unknown>) => (await postFrom('127.0.0.3', 'family-son', 'patient', event)).body as Result<unknown>;
    const steps = [
      { ...PEOPLE.son, idNumber: '110105197803150017', relation: 'self' }, // wrong check digit
      { ...PEOPLE.son, relation: 'self' },
      { ...PEOPLE.grandmother, phone: '1381234567', relation: 'parent' }, // one digit short
      { ...PEOPLE.grandmother, relation: 'parent' },
      { ...PEOPLE.aunt, relation: 'other' },
    ];
    const codes: string[] = [];
    for (const step of steps) {
      const answer = await bindThroughProof(send, host.runtime.smsStandIn!, step);
      codes.push(answer.ok ? 'ok' : answer.code);
    }
    // A mistyped code on a fourth card, then the right one.
    const fourth = { name: '赵四', idType: 'hmt_residence_permit', idNumber: '810000199408230021', phone: '13600003333', relation: 'other' };
    expect(await send({ action: 'bind', ...fourth })).toMatchObject({ ok: false, code: 'PATIENT_NEEDS_PROOF' });
    const { proofId } = dataOf<{ proofId: string }>(await send({ action: 'sendProofCode', ...fourth }));
    const code = host.runtime.smsStandIn!.lastCodeFor(fourth.phone)!;
    const miss = await send({ action: 'verifyProofCode', proofId, code: code === '000000' ? '111111' : '000000' });
    codes.push(miss.ok ? 'ok' : miss.code);
    codes.push(dataOf<{ patient: { name: string } }>(await send({ action: 'verifyProofCode', proofId, code })).patient.name);
    expect(codes).toEqual(['INVALID_PARAMS', 'ok', 'INVALID_PARAMS', 'ok', 'ok', 'PROOF_CODE_INVALID', '赵四']);
  });

  it('limits one address across accounts, while another address is untouched', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 40; i++) {
      const openid = `shared-pc-${i % 8}`;
      if (i < 8) await postFrom('127.0.0.4', openid, 'user', { action: 'login' });
      answers.push(await postFrom('127.0.0.4', openid, 'patient', { action: 'bind', name: '李', idType: 'mainland_id', idNumber: 'not-an-id', phone: '1', relation: 'other' }));
    }
    expect(answers.slice(0, 30).every((answer) => answer.body.code === 'INVALID_PARAMS')).toBe(true);
    answers.slice(30).forEach(expectLimited);
    await postFrom('127.0.0.5', 'elsewhere', 'user', { action: 'login' });
    const elsewhere = await postFrom('127.0.0.5', 'elsewhere', 'patient', { action: 'bind', name: '李', idType: 'mainland_id', idNumber: 'not-an-id', phone: '1', relation: 'other' });
    expect(elsewhere.body.code).toBe('INVALID_PARAMS');
  });
});

it('throttles guessing invite codes', async () => {
  await postFrom('127.0.0.6', 'guesser', 'user', { action: 'login' });
  const codes: string[] = [];
  for (let i = 0; i < 50; i++) {
    const answer = await postFrom('127.0.0.6', 'guesser', 'patient', { action: 'accept', code: `AB${String(i).padStart(6, '0')}`.replace(/[01]/g, '2') });
    codes.push(answer.body.code!);
  }
  expect(codes.slice(0, 10).every((code) => code === 'INVITE_INVALID')).toBe(true);
  expect(codes.slice(10).every((code) => code === 'RATE_LIMITED')).toBe(true);
});

it('throttles logins from one address, not from another', async () => {
  const codes: string[] = [];
  for (let i = 0; i < 70; i++) codes.push((await postFrom('127.0.0.7', `crowd-${i}`, 'user', { action: 'login' })).body.ok ? 'ok' : 'limited');
  expect(codes.filter((code) => code === 'ok')).toHaveLength(60);
  expect(codes.slice(60).every((code) => code === 'limited')).toBe(true);
  expect((await postFrom('127.0.0.8', 'crowd-x', 'user', { action: 'login' })).body.ok).toBe(true);
});

it('throttles a hold loop on one card; the first answer stands and no place is taken twice', async () => {
  const clinic = await createClinic({ places: 5, feeFen: 0 });
  const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, ADMIN, { action: 'schedules', doctorId: clinic.doctorId }));
  const slotId = days.find((day) => day.date === dayFromToday(2))!.periods[0].slots[0].id;
  const who = await quickPatient(host.runtime, 'hold-script', { appid: DEV_APPID });
  const codes: string[] = [];
  for (let i = 0; i < 30; i++) {
    const answer = await postFrom('127.0.0.9', who.openid, 'booking', { action: 'hold', slotId, patientId: who.patientId, requestId: newRequestId() });
    codes.push(answer.body.ok ? String(answer.body.data?.outcome) : answer.body.code!);
    if (answer.body.code === 'RATE_LIMITED') expectLimited(answer);
  }
  expect(codes[0]).toBe('booked');
  expect(codes.slice(1, 10).every((code) => code === 'SAME_DOCTOR_SAME_DAY')).toBe(true);
  expect(codes.slice(10).every((code) => code === 'RATE_LIMITED')).toBe(true);
  expect(await appointmentsOf(host.runtime.db).countDocuments({ status: 'booked' })).toBe(1);
});
