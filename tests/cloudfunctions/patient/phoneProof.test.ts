/**
 * Joining a card someone else manages: `bind` no longer joins on matching details and answers the same whether
 * or not the details fit; the SMS path joins only with the code sent to the phone on record, under the code
 * rules (6 digits, 5 minutes, one use, 5 tries, 60 s apart, 5 a day), with codes hashed at rest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ObjectId } from 'mongodb';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import type { Result } from '../../../cloudfunctions/shared/errors';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, PEOPLE, type Card } from '../../support/patients';
import { startTestSms, startTestWxPhone, type TestSms, type TestWxPhone } from '../../support/phoneProof';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const GRANDMOTHER = { ...PEOPLE.grandmother, relation: 'parent' };
const call = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);
const neutral = (result: Result<unknown>) => ({ ...result, requestId: undefined });

interface SentProof {
  proofId: string;
  phoneMasked: string;
  expiresAt: string;
  resendAfterSeconds: number;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

describe('proof of the phone on record (SMS)', () => {
  let his: TestHis;
  let sms: TestSms;
  let wx: TestWxPhone;
  let runtime: TestRuntime;
  let card: Card;

  beforeAll(async () => {
    [his, sms, wx] = await Promise.all([startTestHis(), startTestSms(), startTestWxPhone()]);
  });
  afterAll(async () => {
    await Promise.all([his.standIn.close(), sms.standIn.close(), wx.standIn.close()]);
  });
  beforeEach(async () => {
    // Rate limits have their own test below; here one account tries more often than a person would.
    runtime = await openTestRuntime({ rateLimits: false, patientCardLimit: 3 }, { his: his.client, sms: sms.client, smsStandIn: sms.standIn, wxPhone: wx.client });
    for (const openid of ['son', 'daughter', 'stranger']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    card = await bindAs('son', PEOPLE.grandmother, 'parent');
  });
  afterEach(() => runtime.dispose());

  const snapshot = async () =>
    Promise.all(['patients', 'patientLinks', 'invites', 'users'].map((name) => runtime.db.collection(name).find({}).sort({ _id: 1 }).toArray()));
  const sendCode = async (openid: string, details: Record<string, unknown> = GRANDMOTHER) => call(openid, { action: 'sendProofCode', ...details });
  const lastCode = () => sms.standIn.lastCodeFor(PEOPLE.grandmother.phone)!;

  it('never joins on matching details: bind answers a known ID (right or wrong details) and a new ID byte for byte alike, and changes nothing', async () => {
    const before = await snapshot();
    const hisBefore = his.standIn.patientsCount();
    const matching = await call('stranger', { action: 'bind', ...GRANDMOTHER });
    const wrongPhone = await call('stranger', { action: 'bind', ...GRANDMOTHER, phone: '13700009999' });
    const wrongName = await call('stranger', { action: 'bind', ...GRANDMOTHER, name: '张秀兰' });
    const newId = await call('stranger', { action: 'bind', ...PEOPLE.aunt, relation: 'other' });
    expect(matching).toMatchObject({ ok: false, code: 'PATIENT_NEEDS_PROOF' });
    expect(JSON.stringify(neutral(wrongPhone))).toBe(JSON.stringify(neutral(matching)));
    expect(JSON.stringify(neutral(wrongName))).toBe(JSON.stringify(neutral(matching)));
    expect(JSON.stringify(neutral(newId))).toBe(JSON.stringify(neutral(matching)));
    // Nothing for the new person before their phone is proven: no record, no HIS registration.
    expect(his.standIn.patientsCount()).toBe(hisBefore);
    expect(!matching.ok && matching.message).not.toMatch(/已由|其他家人绑定|不一致|\d{3}\*{4}\d{4}/);
    expect(await snapshot()).toEqual(before);
    expect(await call('stranger', { action: 'get', patientId: card.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('joins as a manager with the code sent to the phone on record, tells the owner, and audits each step', async () => {
    const sent = dataOf<SentProof>(await sendCode('daughter'));
    expect(sent).toMatchObject({ phoneMasked: '138****5678', resendAfterSeconds: 60 });
    const code = lastCode();
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    const miss = await call('daughter', { action: 'verifyProofCode', proofId: sent.proofId, code: wrong });
    expect(miss).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    expect(!miss.ok && miss.message).toContain('还可以再试 4 次');

    const joined = dataOf<{ patient: Card }>(await call('daughter', { action: 'verifyProofCode', proofId: sent.proofId, code: ` ${code.slice(0, 3)} ${code.slice(3)}` })).patient;
    expect(joined).toMatchObject({ id: card.id, role: 'manager', relation: 'parent', phoneMasked: '138****5678' });
    const link = await runtime.db.collection('patientLinks').findOne({ role: 'manager' });
    expect(link?.via).toBe('sms');

    const owner = dataOf<{ patient: Card & { notices?: { message: string }[] } }>(await call('son', { action: 'get', patientId: card.id })).patient;
    expect(owner.role).toBe('owner');
    expect(owner.notices?.[0].message).toContain('验证码，加入了管理这张就诊卡');
    const actions = (await runtime.db.collection('audit').find({}).sort({ at: 1 }).toArray()).map((entry) => entry.action);
    // The son's own bind first (its code and the card), then the daughter's proof.
    expect(actions).toEqual(['patient.proof.sendCode', 'patient.bind', 'patient.proof.sendCode', 'patient.proof.codeRefused', 'patient.proof.join']);
    // One use: the same code again is refused.
    expect(await call('daughter', { action: 'verifyProofCode', proofId: sent.proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
  });

  it('answers a stranger’s code request the same when the phone is not the one on record, and sends nothing to it', async () => {
    const real = dataOf<SentProof>(await sendCode('daughter'));
    const before = sms.standIn.messages().length;
    const decoy = dataOf<SentProof>(await sendCode('stranger', { ...GRANDMOTHER, phone: '13700009999' }));
    const unknownId = dataOf<SentProof>(await sendCode('stranger', { ...PEOPLE.aunt, relation: 'other' }));
    for (const answer of [decoy, unknownId]) {
      expect(Object.keys(answer).sort()).toEqual(Object.keys(real).sort());
      expect(answer.resendAfterSeconds).toBe(real.resendAfterSeconds);
    }
    // A person new here gets the code on the phone typed for them; the decoy phone gets nothing.
    expect(sms.standIn.messages().slice(before).map((message) => message.phone)).toEqual([PEOPLE.aunt.phone]);
    for (const guess of ['000000', '123456']) {
      expect(await call('stranger', { action: 'verifyProofCode', proofId: decoy.proofId, code: guess })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    }
    expect(await runtime.db.collection('patientLinks').countDocuments()).toBe(1);
  });

  it('makes a new person’s card, owned by the caller, only when the code sent to the typed phone comes back', async () => {
    const aunt = { ...PEOPLE.aunt, relation: 'other' };
    const hisBefore = his.standIn.patientsCount();
    const { proofId } = dataOf<SentProof>(await sendCode('stranger', aunt));
    const code = sms.standIn.lastCodeFor(PEOPLE.aunt.phone)!;
    // Still nothing written: the form waits in the proof, sealed.
    expect(await runtime.db.collection('patients').countDocuments()).toBe(1);
    expect(his.standIn.patientsCount()).toBe(hisBefore);
    const proofs = JSON.stringify(await runtime.db.collection('phoneProofs').find({}).toArray());
    expect(proofs).not.toContain(PEOPLE.aunt.idNumber);
    expect(proofs).not.toContain(PEOPLE.aunt.phone);
    expect(proofs).not.toContain(PEOPLE.aunt.name);

    const made = dataOf<{ patient: Card }>(await call('stranger', { action: 'verifyProofCode', proofId, code })).patient;
    expect(made).toMatchObject({ name: PEOPLE.aunt.name, role: 'owner', relation: 'other', isDefault: true, phoneMasked: '137****2222' });
    expect(his.standIn.patientsCount()).toBe(hisBefore + 1);
    expect((await runtime.db.collection('patientLinks').findOne({ patientId: new ObjectId(made.id) }))?.via).toBe('sms');
    expect(await call('stranger', { action: 'verifyProofCode', proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
  });

  it('joins a person another account made meanwhile only if the typed phone is theirs on record', async () => {
    const aunt = { ...PEOPLE.aunt, relation: 'other' };
    const samePhone = dataOf<SentProof>(await sendCode('daughter', aunt));
    const sameCode = sms.standIn.lastCodeFor(PEOPLE.aunt.phone)!;
    const otherPhone = dataOf<SentProof>(await sendCode('stranger', { ...aunt, phone: '13700009999' }));
    const otherCode = sms.standIn.lastCodeFor('13700009999')!;
    // The son makes the card first (his own code, to the aunt's phone, "earlier").
    await runtime.db.collection('phoneCodeSends').deleteMany({});
    const made = await bindAs('son', PEOPLE.aunt, 'other');
    const joined = dataOf<{ patient: Card }>(await call('daughter', { action: 'verifyProofCode', proofId: samePhone.proofId, code: sameCode })).patient;
    expect(joined).toMatchObject({ id: made.id, role: 'manager' });
    expect(await call('stranger', { action: 'verifyProofCode', proofId: otherPhone.proofId, code: otherCode })).toMatchObject({ ok: false, code: 'PROOF_NOT_MATCHED' });
    expect(await call('stranger', { action: 'get', patientId: made.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(await runtime.db.collection('patients').countDocuments()).toBe(2);
  });

  it('spends a code after 5 wrong tries, even for the right code afterwards', async () => {
    const { proofId } = dataOf<SentProof>(await sendCode('daughter'));
    const code = lastCode();
    const wrong = code === '999999' ? '888888' : '999999';
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await call('daughter', { action: 'verifyProofCode', proofId, code: wrong }));
    expect(answers.map((answer) => (answer.ok ? 'ok' : answer.code))).toEqual([...Array(4).fill('PROOF_CODE_INVALID'), 'PROOF_CODE_LOCKED']);
    expect(await call('daughter', { action: 'verifyProofCode', proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_LOCKED' });
    expect(await runtime.db.collection('patientLinks').countDocuments()).toBe(1);
  });

  it('refuses a code after 5 minutes', async () => {
    const { proofId, expiresAt } = dataOf<SentProof>(await sendCode('daughter'));
    const expiresIn = new Date(expiresAt).getTime() - runtime.clock.now().getTime();
    expect(expiresIn).toBeGreaterThan(4.9 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);
    runtime.clock.set(new Date(new Date(expiresAt).getTime() + 1000));
    expect(await call('daughter', { action: 'verifyProofCode', proofId, code: lastCode() })).toMatchObject({ ok: false, code: 'PROOF_CODE_EXPIRED' });
  });

  it('sends at most one code a minute and five a day to one phone, whoever asks', async () => {
    dataOf(await sendCode('daughter'));
    const again = await sendCode('stranger');
    expect(again).toMatchObject({ ok: false, code: 'PROOF_CODE_TOO_SOON' });
    expect(!again.ok && again.message).toMatch(/请 \d+ 秒后再重新获取/);
    const history = await runtime.db.collection('phoneCodeSends').findOne({});
    const hoursAgo = (hours: number) => new Date(runtime.clock.now().getTime() - hours * 3600_000);
    await runtime.db.collection('phoneCodeSends').updateOne({ _id: history!._id }, { $set: { sentAt: [hoursAgo(5), hoursAgo(4), hoursAgo(3), hoursAgo(2)] } });
    dataOf(await sendCode('daughter'));
    await runtime.db.collection('phoneCodeSends').updateOne({ _id: history!._id }, { $set: { sentAt: [hoursAgo(5), hoursAgo(4), hoursAgo(3), hoursAgo(2), hoursAgo(1)] } });
    expect(await sendCode('daughter')).toMatchObject({ ok: false, code: 'PROOF_CODE_DAILY_LIMIT' });
  });

  it('supersedes an earlier code when a new one is sent', async () => {
    const first = dataOf<SentProof>(await sendCode('daughter'));
    const firstCode = lastCode();
    await runtime.db.collection('phoneCodeSends').deleteMany({});
    dataOf(await sendCode('daughter'));
    expect(await call('daughter', { action: 'verifyProofCode', proofId: first.proofId, code: firstCode })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
  });

  it('lets nobody else use a pending proof: another account’s attempt is a wrong code and costs the owner no try', async () => {
    const { proofId } = dataOf<SentProof>(await sendCode('daughter'));
    const code = lastCode();
    expect(await call('stranger', { action: 'verifyProofCode', proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    expect(await call('stranger', { action: 'get', patientId: card.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect((await runtime.db.collection('phoneProofs').findOne({ _id: new ObjectId(proofId) }))?.tries).toBe(0);
    expect(dataOf<{ patient: Card }>(await call('daughter', { action: 'verifyProofCode', proofId, code })).patient.role).toBe('manager');
  });

  it('stores codes only as keyed hashes, and phones only sealed or blind-indexed', async () => {
    dataOf(await sendCode('daughter'));
    const code = lastCode();
    const stored = JSON.stringify(await Promise.all(['phoneProofs', 'phoneCodeSends', 'audit'].map((name) => runtime.db.collection(name).find({}).toArray())));
    expect(stored).not.toContain(code);
    expect(stored).not.toContain(PEOPLE.grandmother.phone);
    for (const file of filesUnder(runtime.dataDir)) {
      const text = readFileSync(file, 'utf8');
      expect({ file, code: text.includes(`"${code}"`), phone: text.includes(PEOPLE.grandmother.phone) }).toEqual({ file, code: false, phone: false });
    }
  });

  it('counts a proof join against the 30-day new-card limit, like a bind or an invite', async () => {
    runtime.config.patientBindsPer30Days = 1;
    await bindAs('daughter', PEOPLE.aunt, 'other');
    const { proofId } = dataOf<SentProof>(await sendCode('daughter'));
    expect(await call('daughter', { action: 'verifyProofCode', proofId, code: lastCode() })).toMatchObject({ ok: false, code: 'NEW_CARD_LIMIT' });
    expect(await runtime.db.collection('patientLinks').countDocuments({ patientId: { $ne: null } })).toBe(2);
  });

  it('says so when SMS cannot be sent, and joins nobody', async () => {
    sms.standIn.setMode('fail');
    try {
      expect(await sendCode('daughter')).toMatchObject({ ok: false, code: 'SMS_UNAVAILABLE' });
    } finally {
      sms.standIn.setMode('normal');
    }
    expect(await runtime.db.collection('patientLinks').countDocuments()).toBe(1);
  });

  it.each<[string, Record<string, unknown>]>([
    ['no proof id', { code: '123456' }],
    ['a proof id that is an object', { proofId: { $gt: '' }, code: '123456' }],
    ['five digits', { proofId: '0123456789abcdef01234567', code: '12345' }],
    ['letters', { proofId: '0123456789abcdef01234567', code: 'abcdef' }],
    ['a huge code', { proofId: '0123456789abcdef01234567', code: '1'.repeat(5000) }],
    ['a number', { proofId: '0123456789abcdef01234567', code: 123456 }],
    ['asOwner as text', { proofId: '0123456789abcdef01234567', code: '123456', asOwner: 'yes' }],
  ])('refuses %s with a coded error and changes nothing', async (_label, payload) => {
    const before = await snapshot();
    const result = await call('daughter', { action: 'verifyProofCode', ...payload });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses proof requests with bad details, and a child without an ID when the caller has no own card', async () => {
    const before = sms.standIn.messages().length;
    const child = { idType: 'guardian_child', childName: '王小宝', childSex: 'male', childBirthDate: '2024-05-01', phone: '13900001111', relation: 'child' };
    expect(await sendCode('daughter', child)).toMatchObject({ ok: false, code: 'GUARDIAN_NEEDS_OWN_CARD' });
    for (const payload of [
      { ...GRANDMOTHER, idNumber: '110105194912310021' },
      { ...GRANDMOTHER, phone: '12345' },
      {},
    ]) {
      expect(await sendCode('daughter', payload)).toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    }
    expect(sms.standIn.messages().length).toBe(before);
  });
});
