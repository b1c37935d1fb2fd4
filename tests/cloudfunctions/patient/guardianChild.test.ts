/**
 * A child without an ID number, added by a guardian: under the guardian's own proven card, under the age bound,
 * and only after the same proof of the typed phone every card by ID needs (never a weaker path). Scenarios on the
 * embedded store with the HIS and SMS stand-ins.
 */
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { createControlledClock } from '../../../cloudfunctions/shared/clock';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, bindThroughProof, PEOPLE, type Card } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const call = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);
/** 2026-12-01 10:00 in Beijing: the 14th birthday of a child born 2012-12-01. */
const TODAY = new Date('2026-12-01T10:00:00+08:00');
const CHILD = { idType: 'guardian_child', childName: '王小宝', childSex: 'male', childBirthDate: '2024-05-01', phone: '13900001111', relation: 'child' };

describe('a child without an ID, added by a guardian', () => {
  let his: TestHis;
  let runtime: TestRuntime;
  beforeAll(async () => {
    his = await startTestHis();
  });
  afterAll(() => his.standIn.close());
  beforeEach(async () => {
    his.standIn.setMode('normal');
    runtime = await openTestRuntime({ guardianPathAllowed: true }, { his: his.client, clock: createControlledClock({ at: TODAY, running: false }) });
    for (const openid of ['son', 'daughter', 'stranger']) dataOf(await callAs(userMain, openid, { action: 'login' }));
  });
  afterEach(() => runtime.dispose());

  const count = (collection: string) => runtime.db.collection(collection).countDocuments();
  const codes = () => runtime.smsStandIn!.messages();
  const addChild = (openid: string, form: Record<string, unknown> = CHILD) => bindThroughProof((event) => call(openid, event), runtime.smsStandIn!, form);

  it('asks for the code to the typed phone, and only then makes the child’s card under the guardian', async () => {
    await bindAs('son', PEOPLE.son);
    const patientsBefore = await count('patients');
    expect(await call('son', { action: 'bind', ...CHILD })).toMatchObject({ ok: false, code: 'PATIENT_NEEDS_PROOF' });
    // Nothing is written and nothing is filed with the HIS until the phone is proven.
    expect(await count('patients')).toBe(patientsBefore);

    const sent = dataOf<{ proofId: string; phoneMasked: string }>(await call('son', { action: 'sendProofCode', ...CHILD }));
    expect(sent.phoneMasked).toBe('139****1111');
    const code = codes().at(-1)!;
    expect(code.phone).toBe('13900001111');
    expect(await call('son', { action: 'verifyProofCode', proofId: sent.proofId, code: code.code === '000000' ? '111111' : '000000' })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    expect(await count('patients')).toBe(patientsBefore);

    // "我是就诊人本人" means nothing for a child: the card stays the child's, owned by the guardian.
    const child = dataOf<{ patient: Card }>(await call('son', { action: 'verifyProofCode', proofId: sent.proofId, code: code.code, asOwner: true })).patient;
    expect(child).toMatchObject({ name: '王小宝', idType: 'guardian_child', idNumberMasked: null, sex: 'male', birthDate: '2024-05-01', relation: 'child', role: 'owner' });
    const stored = await runtime.db.collection('patients').findOne({ name: '王小宝' });
    const guardian = await runtime.db.collection('patients').findOne({ name: '王磊' });
    expect(stored?.guardianPatientId).toEqual(guardian?._id);
    expect(stored?.hisPatientId).toMatch(/^HIS\d{8}$/);
    const audit = await runtime.db.collection('audit').findOne({ action: 'patient.bind', patientId: stored?._id });
    expect(audit?.details).toEqual({ via: 'sms' });
  });

  it.each([
    ['the day before the 14th birthday', '2012-12-02', true],
    ['on the 14th birthday', '2012-12-01', false],
    ['born today', '2026-12-01', true],
    ['born tomorrow', '2026-12-02', false],
  ])('age bound: a child %s', async (_label, childBirthDate, allowed) => {
    await bindAs('son', PEOPLE.son);
    const answer = await call('son', { action: 'sendProofCode', ...CHILD, childBirthDate });
    if (allowed) expect(answer.ok).toBe(true);
    else expect(answer).toMatchObject({ ok: false, code: 'INVALID_PARAMS', fields: [{ path: 'childBirthDate' }] });
  });

  it('needs the guardian’s own card, owned and proven: not a card the caller only helps manage', async () => {
    expect(await call('daughter', { action: 'sendProofCode', ...CHILD })).toMatchObject({ ok: false, code: 'GUARDIAN_NEEDS_OWN_CARD' });
    // A card joined by invite, even with 本人 picked as the relation, is someone else's: no guardian.
    const mother = await bindAs('son', PEOPLE.son);
    const before = codes().length;
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: mother.id }));
    dataOf(await call('daughter', { action: 'accept', code, relation: 'self' }));
    expect(await call('daughter', { action: 'bind', ...CHILD })).toMatchObject({ ok: false, code: 'GUARDIAN_NEEDS_OWN_CARD' });
    expect(await call('daughter', { action: 'sendProofCode', ...CHILD })).toMatchObject({ ok: false, code: 'GUARDIAN_NEEDS_OWN_CARD' });
    // A card bound by typing details under the old rules (no proof) does not count either.
    await runtime.db.collection('patientLinks').updateMany({ role: 'owner' }, { $set: { via: 'bind' } });
    expect(await call('son', { action: 'sendProofCode', ...CHILD })).toMatchObject({ ok: false, code: 'GUARDIAN_NEEDS_OWN_CARD' });
    expect(codes().length).toBe(before);
  });

  it('checks the guardian again when the code comes back: a card given up meanwhile makes no child', async () => {
    const own = await bindAs('son', PEOPLE.son);
    const sent = dataOf<{ proofId: string }>(await call('son', { action: 'sendProofCode', ...CHILD }));
    dataOf(await call('son', { action: 'unbind', patientId: own.id }));
    const answer = await call('son', { action: 'verifyProofCode', proofId: sent.proofId, code: codes().at(-1)!.code });
    expect(answer).toMatchObject({ ok: false, code: 'GUARDIAN_NEEDS_OWN_CARD' });
    expect(await runtime.db.collection('patients').findOne({ name: '王小宝' })).toBeNull();
  });

  it('refuses the same child twice on one account, by bind and by a second proof', async () => {
    await bindAs('son', PEOPLE.son);
    dataOf(await addChild('son'));
    expect(await call('son', { action: 'bind', ...CHILD })).toMatchObject({ ok: false, code: 'PATIENT_ALREADY_BOUND' });
    await runtime.clock.advance(61_000);
    expect(await addChild('son')).toMatchObject({ ok: false, code: 'PATIENT_ALREADY_BOUND' });
    expect(await runtime.db.collection('patients').countDocuments({ name: '王小宝' })).toBe(1);
    // Another name or birth date is another child.
    await runtime.clock.advance(61_000);
    expect(dataOf<{ patient: Card }>(await addChild('son', { ...CHILD, childName: '王小贝', childSex: 'female' })).patient.name).toBe('王小贝');
  });

  it('keeps one account’s child from another: the proof, the card and the guardian are the caller’s own', async () => {
    await bindAs('son', PEOPLE.son);
    const sent = dataOf<{ proofId: string }>(await call('son', { action: 'sendProofCode', ...CHILD }));
    const code = codes().at(-1)!.code;
    await bindAs('stranger', PEOPLE.aunt);
    // Another account's proof id answers like a wrong code and spends nothing of the son's.
    expect(await call('stranger', { action: 'verifyProofCode', proofId: sent.proofId, code })).toMatchObject({ ok: false, code: 'PROOF_CODE_INVALID' });
    const child = dataOf<{ patient: Card }>(await call('son', { action: 'verifyProofCode', proofId: sent.proofId, code })).patient;
    expect(await call('stranger', { action: 'get', patientId: child.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(dataOf<{ patients: Card[] }>(await call('stranger', { action: 'list' })).patients.map((card) => card.name)).toEqual(['李桂芳']);
    // The same details typed by the stranger file the child under the stranger's own card: a separate record.
    await runtime.clock.advance(61_000);
    const theirs = dataOf<{ patient: Card }>(await addChild('stranger', { ...CHILD, phone: '13700002222' })).patient;
    expect(theirs.id).not.toBe(child.id);
    expect(await call('son', { action: 'get', patientId: theirs.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });

  it('says the path is closed when the hospital does not offer it, and the list tells the app', async () => {
    await runtime.dispose();
    runtime = await openTestRuntime({ guardianPathAllowed: false }, { his: his.client, clock: createControlledClock({ at: TODAY, running: false }) });
    dataOf(await callAs(userMain, 'son', { action: 'login' }));
    expect(dataOf<{ guardianPath: unknown }>(await call('son', { action: 'list' })).guardianPath).toEqual({ allowed: false, maxAgeYears: 14 });
    await bindAs('son', PEOPLE.son);
    expect(await call('son', { action: 'sendProofCode', ...CHILD })).toMatchObject({ ok: false, code: 'INVALID_PARAMS', fields: [{ path: 'idType', code: 'GUARDIAN_PATH_DISABLED' }] });
  });
});
