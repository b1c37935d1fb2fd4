/**
 * Changing a card's phone on record, the proof anchor for joining: only the owner, only with the code sent to the
 * NEW phone (same code rules and per-phone limits as joining), encrypted at rest, other managers told, no number
 * in the audit; after the change, joining by proof works with the new phone and no longer with the old one.
 */
import { ObjectId } from 'mongodb';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, PEOPLE, type Card } from '../../support/patients';
import { startTestSms, type TestSms } from '../../support/phoneProof';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const NEW_PHONE = '15912348888';
const GRANDMOTHER = { ...PEOPLE.grandmother, relation: 'parent' };
const call = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);

interface SentProof {
  proofId: string;
  phoneMasked: string;
  expiresAt: string;
}

describe('changing a card’s phone on record', () => {
  let his: TestHis;
  let sms: TestSms;
  let runtime: TestRuntime;
  let card: Card;

  beforeAll(async () => {
    [his, sms] = await Promise.all([startTestHis(), startTestSms()]);
  });
  afterAll(async () => {
    await Promise.all([his.standIn.close(), sms.standIn.close()]);
  });
  beforeEach(async () => {
    runtime = await openTestRuntime({ rateLimits: false }, { his: his.client, sms: sms.client, smsStandIn: sms.standIn });
    for (const openid of ['son', 'daughter', 'stranger']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    card = await bindAs('son', PEOPLE.grandmother, 'parent');
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: card.id }));
    dataOf(await call('daughter', { action: 'accept', code, relation: 'parent' }));
  });
  afterEach(() => runtime.dispose());

  const snapshot = async () => Promise.all(['patients', 'patientLinks', 'patientNotices'].map((name) => runtime.db.collection(name).find({}).sort({ _id: 1 }).toArray()));
  const sendChange = (openid: string, phone = NEW_PHONE, patientId = card.id) => call(openid, { action: 'sendPhoneChangeCode', patientId, phone });
  const newCode = () => sms.standIn.lastCodeFor(NEW_PHONE)!;
  const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');

  it('lets the owner change it with the code sent to the new phone: masked in answers, encrypted at rest, family told, audited without the number', async () => {
    const sent = dataOf<SentProof>(await sendChange('son', '159 1234 8888'));
    expect(sent.phoneMasked).toBe('159****8888');
    expect(sms.standIn.messages().pop()?.phone).toBe(NEW_PHONE);
    // Nothing changes until the code comes back.
    const listedBefore = dataOf<{ patients: Card[] }>(await call('son', { action: 'list' })).patients;
    expect(listedBefore[0].phoneMasked).toBe('138****5678');

    const changed = dataOf<{ patient: Card }>(await call('son', { action: 'verifyPhoneChange', proofId: sent.proofId, code: newCode() })).patient;
    expect(changed.phoneMasked).toBe('159****8888');
    const listed = dataOf<{ patients: Card[] }>(await call('son', { action: 'list' })).patients;
    expect(listed.find((one) => one.id === card.id)?.phoneMasked).toBe('159****8888');

    const stored = await runtime.db.collection('patients').findOne({ _id: new ObjectId(card.id) });
    expect(JSON.stringify(stored)).not.toContain(NEW_PHONE);
    expect(runtime.pii.decrypt(stored!.phoneSealed)).toBe(NEW_PHONE);

    const family = dataOf<{ patient: Card & { notices?: { message: string }[] } }>(await call('daughter', { action: 'get', patientId: card.id })).patient;
    expect(family.phoneMasked).toBe('159****8888');
    expect(family.notices?.[0].message).toContain('修改了登记手机号');
    const owner = dataOf<{ patient: Card & { notices?: unknown[]; activity?: { who: string; what: string }[] } }>(await call('son', { action: 'get', patientId: card.id })).patient;
    expect(owner.notices ?? []).toHaveLength(0);
    expect(owner.activity?.[0]).toMatchObject({ who: '您', what: '修改了登记手机号' });

    const audit = await runtime.db.collection('audit').find({ action: /^patient\.phone\./ }).sort({ at: 1 }).toArray();
    expect(audit.map((entry) => entry.action)).toEqual(['patient.phone.sendCode', 'patient.phone.change']);
    expect(audit.every((entry) => entry.patientId?.toHexString() === card.id)).toBe(true);
    expect(JSON.stringify(await runtime.db.collection('audit').find({}).toArray())).not.toMatch(/15912348888|13812345678|8888/);
    // One use.
    expect(await call('son', { action: 'verifyPhoneChange', proofId: sent.proofId, code: newCode() })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
  });

  it('moves the proof anchor: joining by proof now reaches the new phone, and the old phone gets nothing', async () => {
    const { proofId } = dataOf<SentProof>(await sendChange('son'));
    dataOf(await call('son', { action: 'verifyPhoneChange', proofId, code: newCode() }));
    await runtime.db.collection('phoneCodeSends').deleteMany({});

    const before = sms.standIn.messages().length;
    const old = dataOf<SentProof>(await call('stranger', { action: 'sendProofCode', ...GRANDMOTHER }));
    expect(sms.standIn.messages().slice(before)).toEqual([]);
    expect(await call('stranger', { action: 'verifyProofCode', proofId: old.proofId, code: '123456' })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });

    const fresh = dataOf<SentProof>(await call('stranger', { action: 'sendProofCode', ...GRANDMOTHER, phone: NEW_PHONE }));
    const joined = dataOf<{ patient: Card }>(await call('stranger', { action: 'verifyProofCode', proofId: fresh.proofId, code: newCode() })).patient;
    expect(joined).toMatchObject({ id: card.id, role: 'manager' });
  });

  it('voids a joining code already sent to the old phone', async () => {
    const pending = dataOf<SentProof>(await call('stranger', { action: 'sendProofCode', ...GRANDMOTHER }));
    const oldCode = sms.standIn.lastCodeFor(PEOPLE.grandmother.phone)!;
    const { proofId } = dataOf<SentProof>(await sendChange('son'));
    dataOf(await call('son', { action: 'verifyPhoneChange', proofId, code: newCode() }));
    expect(await call('stranger', { action: 'verifyProofCode', proofId: pending.proofId, code: oldCode })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    expect(await call('stranger', { action: 'get', patientId: card.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('changes nothing on a wrong, expired or locked code', async () => {
    const before = await snapshot();
    const { proofId } = dataOf<SentProof>(await sendChange('son'));
    const code = newCode();
    const wrong = await call('son', { action: 'verifyPhoneChange', proofId, code: wrongOf(code) });
    expect(wrong).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    expect(!wrong.ok && wrong.message).toContain('还可以再试 4 次');
    for (let i = 0; i < 3; i++) await call('son', { action: 'verifyPhoneChange', proofId, code: wrongOf(code) });
    expect(await call('son', { action: 'verifyPhoneChange', proofId, code: wrongOf(code) })).toMatchObject({ ok: false, code: 'PROOF_CODE_LOCKED' });
    expect(await call('son', { action: 'verifyPhoneChange', proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_LOCKED' });
    expect(await snapshot()).toEqual(before);

    await runtime.db.collection('phoneCodeSends').deleteMany({});
    const late = dataOf<SentProof>(await sendChange('son'));
    runtime.clock.set(new Date(new Date(late.expiresAt).getTime() + 1000));
    expect(await call('son', { action: 'verifyPhoneChange', proofId: late.proofId, code: newCode() })).toMatchObject({ ok: false, code: 'PROOF_CODE_EXPIRED' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a family manager (FORBIDDEN) and a stranger (NOT_FOUND), sending nothing and changing nothing', async () => {
    const before = await snapshot();
    const sent = sms.standIn.messages().length;
    const manager = await sendChange('daughter');
    expect(manager).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(!manager.ok && manager.message).toContain('只有最先绑定这张就诊卡的家人可以修改就诊人的手机号');
    expect(await sendChange('stranger')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await sendChange('stranger', NEW_PHONE, '0123456789abcdef01234567')).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(sms.standIn.messages().length).toBe(sent);
    expect(await runtime.db.collection('phoneProofs').countDocuments({ purpose: 'phone_change' })).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('accepts the code only from the account that asked, and never a joining code for a phone change or the reverse', async () => {
    const before = await snapshot();
    const { proofId } = dataOf<SentProof>(await sendChange('son'));
    const code = newCode();
    for (const openid of ['daughter', 'stranger']) {
      expect(await call(openid, { action: 'verifyPhoneChange', proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    }
    // The phone-change proof is no key for joining, either.
    expect(await call('son', { action: 'verifyProofCode', proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    expect((await runtime.db.collection('phoneProofs').findOne({ _id: new ObjectId(proofId) }))?.tries).toBe(0);
    expect(await snapshot()).toEqual(before);

    await runtime.db.collection('phoneCodeSends').deleteMany({});
    const join = dataOf<SentProof>(await call('stranger', { action: 'sendProofCode', ...GRANDMOTHER }));
    expect(await call('stranger', { action: 'verifyPhoneChange', proofId: join.proofId, code: sms.standIn.lastCodeFor(PEOPLE.grandmother.phone)! })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    expect(await snapshot()).toEqual(before);
  });

  it('sends at most one code a minute to the new phone, whoever asks for it', async () => {
    dataOf(await sendChange('son'));
    await runtime.db.collection('phoneCodeSends').deleteMany({ _id: { $ne: runtime.pii.blindIndex('phone', NEW_PHONE) } as never });
    const again = await sendChange('son');
    expect(again).toMatchObject({ ok: false, code: 'PROOF_CODE_TOO_SOON' });
    // The same phone through the joining path shares the allowance.
    expect(await call('stranger', { action: 'sendProofCode', ...PEOPLE.aunt, phone: NEW_PHONE, relation: 'other' })).toMatchObject({ ok: false, code: 'PROOF_CODE_TOO_SOON' });
  });

  it.each<[string, Record<string, unknown>]>([
    ['no phone', { patientId: 'CARD' }],
    ['empty phone', { patientId: 'CARD', phone: '' }],
    ['a landline', { patientId: 'CARD', phone: '01012345678' }],
    ['letters', { patientId: 'CARD', phone: '1381234abcd' }],
    ['too long', { patientId: 'CARD', phone: '1'.repeat(5000) }],
    ['a number, not text', { patientId: 'CARD', phone: 13912345678 }],
    ['an object', { patientId: 'CARD', phone: { $ne: null } }],
    ['the phone already on record', { patientId: 'CARD', phone: '138-1234-5678' }],
    ['no card', { phone: NEW_PHONE }],
    ['a card id object', { patientId: { $gt: '' }, phone: NEW_PHONE }],
  ])('refuses %s with a coded error, no stack trace, nothing sent', async (_label, payload) => {
    const before = await snapshot();
    const sent = sms.standIn.messages().length;
    const withCard = Object.fromEntries(Object.entries(payload).map(([key, value]) => [key, value === 'CARD' ? card.id : value]));
    const result = await call('son', { action: 'sendPhoneChangeCode', ...withCard });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(JSON.stringify(result)).not.toMatch(/\bat \S+ \(|Error:|\.ts:\d+/);
    expect(sms.standIn.messages().length).toBe(sent);
    expect(await snapshot()).toEqual(before);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no proof id', { code: '123456' }],
    ['five digits', { proofId: '0123456789abcdef01234567', code: '12345' }],
    ['letters', { proofId: '0123456789abcdef01234567', code: 'abcdef' }],
    ['an object code', { proofId: '0123456789abcdef01234567', code: { $ne: '' } }],
    ['a huge proof id', { proofId: 'f'.repeat(10_000), code: '123456' }],
  ])('refuses a verify with %s and changes nothing', async (_label, payload) => {
    const before = await snapshot();
    const result = await call('son', { action: 'verifyPhoneChange', ...payload });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(JSON.stringify(result)).not.toMatch(/\bat \S+ \(|Error:|\.ts:\d+/);
    expect(await snapshot()).toEqual(before);
  });
});

describe('rate limits on phone changes', () => {
  it('throttles a script hammering sendPhoneChangeCode and verifyPhoneChange, per account, sharing the proof budget', async () => {
    const [his, sms] = await Promise.all([startTestHis(), startTestSms()]);
    const runtime = await openTestRuntime({}, { his: his.client, sms: sms.client, smsStandIn: sms.standIn });
    try {
      dataOf(await callAs(userMain, 'script', { action: 'login' }));
      const card = await bindAs('script', PEOPLE.son);
      const outcomes: string[] = [];
      for (let i = 0; i < 22; i++) {
        const result = await call(
          'script',
          i % 2 ? { action: 'sendPhoneChangeCode', patientId: card.id, phone: NEW_PHONE } : { action: 'verifyPhoneChange', proofId: '0123456789abcdef01234567', code: '123456' },
        );
        outcomes.push(result.ok ? 'ok' : result.code);
      }
      // bindAs spent 2 of the 20 proof calls (sendProofCode, verifyProofCode).
      expect(outcomes.slice(0, 18)).not.toContain('RATE_LIMITED');
      expect(outcomes.slice(18)).toEqual(Array(4).fill('RATE_LIMITED'));
      expect(runtime.pii.decrypt((await runtime.db.collection('patients').findOne({}))!.phoneSealed)).toBe(PEOPLE.son.phone);
    } finally {
      await runtime.dispose();
      await Promise.all([his.standIn.close(), sms.standIn.close()]);
    }
  });
});
