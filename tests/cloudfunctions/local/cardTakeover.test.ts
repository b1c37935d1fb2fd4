/**
 * The card-takeover attack, black-box through the local host as it was found: a stranger who knows a patient's
 * name, ID number and the masked phone tries to join her card by guessing the hidden digits. Every try gets the
 * same neutral answer, the script is throttled, and the family's card is untouched; the honest way in (a code
 * sent to the phone on record, read by the developer on /dev/sms) still works.
 */
import { startTestHis, type TestHis } from '../../support/his';
import { startTestHost, type TestHost } from '../../support/host';
import type { Result } from '../../../cloudfunctions/shared/errors';
import { bindThroughProof, PEOPLE } from '../../support/patients';
import { startTestSms, startTestWxPhone, type TestSms, type TestWxPhone } from '../../support/phoneProof';

const GRANDMOTHER = { ...PEOPLE.grandmother, relation: 'parent' };
const as = (openid: string) => ({ 'x-dev-openid': openid });

describe('card takeover through the local host', () => {
  let his: TestHis;
  let sms: TestSms;
  let wx: TestWxPhone;
  let host: TestHost;
  let cardId: string;

  beforeAll(async () => {
    [his, sms, wx] = await Promise.all([startTestHis(), startTestSms(), startTestWxPhone()]);
    host = await startTestHost({ his: his.client, sms: sms.client, smsStandIn: sms.standIn, wxPhone: wx.client });
    for (const openid of ['owner', 'attacker', 'daughter']) await host.post('user', { action: 'login' }, as(openid));
    const bound = await bindThroughProof(async (event) => (await host.post('patient', event, as('owner'))).body as unknown as Result<unknown>, sms.standIn, GRANDMOTHER);
    cardId = (bound.ok && (bound.data as { patient: { id: string } }).patient.id) || '';
    // The card was bound "earlier": the owner's code does not hold back the family's below (60 s per phone).
    await host.runtime.db.collection('phoneCodeSends').deleteMany({});
  });
  afterAll(async () => {
    await host.close();
    await Promise.all([his.standIn.close(), sms.standIn.close(), wx.standIn.close()]);
  });

  const snapshot = () => Promise.all(['patients', 'patientLinks', 'invites'].map((name) => host.runtime.db.collection(name).find({}).sort({ _id: 1 }).toArray()));

  it('gives every guess of the hidden phone digits the same neutral answer, then throttles the script', async () => {
    const before = await snapshot();
    const answers: { status: number; code: unknown; message: unknown }[] = [];
    // 138****5678 is what the attacker saw; the real number is among the guesses.
    for (const middle of ['0000', '1111', '1234', '2222', '3333', '4444', '5555', '6666', '7777', '8888', '9999', '1235']) {
      const { status, body } = await host.post('patient', { action: 'bind', ...GRANDMOTHER, phone: `138${middle}5678` }, as('attacker'));
      answers.push({ status, code: body.code, message: body.message });
    }
    const distinct = new Set(answers.slice(0, 10).map((answer) => JSON.stringify(answer)));
    expect([...distinct].map((text) => JSON.parse(text) as unknown)).toEqual([{ status: 409, code: 'PATIENT_NEEDS_PROOF', message: expect.any(String) }]);
    expect(answers.slice(10).map((answer) => [answer.status, answer.code])).toEqual([
      [429, 'RATE_LIMITED'],
      [429, 'RATE_LIMITED'],
    ]);
    expect(await snapshot()).toEqual(before);

    const list = await host.post('patient', { action: 'list' }, as('attacker'));
    expect((list.body.data as { patients: unknown[] }).patients).toEqual([]);
    expect((await host.post('patient', { action: 'get', patientId: cardId }, as('attacker'))).status).toBe(404);
    expect((await host.post('booking', { action: 'list' }, as('attacker'))).body).toMatchObject({ ok: true, data: { appointments: [] } });
  });

  it('answers a registered ID and an unregistered one byte for byte alike, and writes nothing for the unregistered one', async () => {
    const hisBefore = his.standIn.patientsCount();
    const before = await snapshot();
    const probe = async (form: Record<string, unknown>) => {
      const { status, body } = await host.post('patient', { action: 'bind', ...form }, as('prober'));
      return JSON.stringify({ status, body: { ...body, requestId: undefined } });
    };
    await host.post('user', { action: 'login' }, as('prober'));
    const registered = await probe(GRANDMOTHER);
    const registeredWrongPhone = await probe({ ...GRANDMOTHER, phone: '13700009999' });
    const registeredWrongName = await probe({ ...GRANDMOTHER, name: '张秀兰' });
    const unregistered = await probe({ ...PEOPLE.aunt, relation: 'other' });
    expect(JSON.parse(registered)).toMatchObject({ status: 409, body: { ok: false, code: 'PATIENT_NEEDS_PROOF' } });
    expect([registeredWrongPhone, registeredWrongName, unregistered]).toEqual([registered, registered, registered]);
    expect(await snapshot()).toEqual(before);
    expect(his.standIn.patientsCount()).toBe(hisBefore);
  });

  it('still lets the family in with the code sent to the phone on record (read on /dev/sms)', async () => {
    const sent = await host.post('patient', { action: 'sendProofCode', ...GRANDMOTHER }, as('daughter'));
    expect(sent.body).toMatchObject({ ok: true, data: { phoneMasked: '138****5678' } });
    const outbox = (await (await fetch(`${host.url}/dev/sms`)).json()) as { data: { phone: string; code: string; minutes: number }[] };
    expect(outbox.data[0]).toMatchObject({ phone: '138****5678', minutes: 5, code: expect.stringMatching(/^\d{6}$/) });
    expect(JSON.stringify(outbox)).not.toContain(PEOPLE.grandmother.phone);
    const joined = await host.post('patient', { action: 'verifyProofCode', proofId: (sent.body.data as { proofId: string }).proofId, code: outbox.data[0].code }, as('daughter'));
    expect(joined.body).toMatchObject({ ok: true, data: { patient: { id: cardId, role: 'manager' } } });
  });

  it('keeps /dev/sms from web pages and out of a production host', async () => {
    expect((await fetch(`${host.url}/dev/sms`, { headers: { origin: 'http://evil.example' } })).status).toBe(404);
    const production = await startTestHost({ production: true, smsStandIn: sms.standIn });
    try {
      expect((await fetch(`${production.url}/dev/sms`)).status).toBe(404);
    } finally {
      await production.close();
    }
  });
});
