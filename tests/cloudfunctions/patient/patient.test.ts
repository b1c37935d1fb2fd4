import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, bindThroughProof, PEOPLE, person, type Card } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

const call = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);
const list = async (openid: string) => dataOf<{ patients: Card[]; limit: number }>(await call(openid, { action: 'list' }));

describe('patient function', () => {
  let his: TestHis;
  let runtime: TestRuntime;
  beforeAll(async () => {
    his = await startTestHis();
  });
  afterAll(() => his.standIn.close());
  beforeEach(async () => {
    his.standIn.setMode('normal');
    runtime = await openTestRuntime({ adminOpenids: ['nurse'], patientCardLimit: 3 }, { his: his.client });
    for (const openid of ['son', 'daughter', 'stranger', 'nurse']) dataOf(await callAs(userMain, openid, { action: 'login' }));
  });
  afterEach(() => runtime.dispose());

  const count = (collection: string) => runtime.db.collection(collection).countDocuments();

  it('binds a card with the HIS id, masked numbers and derived facts, and makes it the default', async () => {
    const card = await bindAs('son', PEOPLE.son);
    expect(card).toMatchObject({
      name: '王磊',
      idNumberMasked: '1101**********0016',
      phoneMasked: '139****1111',
      sex: 'male',
      birthDate: '1978-03-15',
      relation: 'self',
      role: 'owner',
      isDefault: true,
    });
    const stored = await runtime.db.collection('patients').findOne({});
    expect(stored?.hisPatientId).toMatch(/^HIS\d{8}$/);
    expect(JSON.stringify(stored)).not.toMatch(/110105197803150016|13900001111/);
  });

  it('lists the default card first and lets the user change the default', async () => {
    await bindAs('son', PEOPLE.son);
    const mother = await bindAs('son', PEOPLE.grandmother, 'parent');
    expect((await list('son')).patients.map((card) => card.name)).toEqual(['王磊', '张秀英']);
    dataOf(await call('son', { action: 'setDefault', patientId: mother.id }));
    expect((await list('son')).patients.map((card) => [card.name, card.isDefault])).toEqual([
      ['张秀英', true],
      ['王磊', false],
    ]);
  });

  it('refuses the same person twice on one account, and a card beyond the limit', async () => {
    await bindAs('son', PEOPLE.son);
    expect(await call('son', { action: 'bind', ...PEOPLE.son, relation: 'self' })).toMatchObject({ ok: false, code: 'PATIENT_ALREADY_BOUND' });
    await bindAs('son', PEOPLE.grandmother, 'parent');
    await bindAs('son', PEOPLE.aunt, 'other');
    const fourth = await call('son', {
      action: 'bind',
      name: '赵四',
      idType: 'hmt_residence_permit',
      idNumber: '810000199408230021',
      phone: '13600003333',
      relation: 'other',
    });
    expect(fourth).toMatchObject({ ok: false, code: 'PATIENT_LIMIT_REACHED' });
    expect(!fourth.ok && fourth.message).toContain('3 位就诊人');
    expect(await count('patientLinks')).toBe(3);
  });

  it('keeps one record per person: a second account with the same details is asked for proof, not joined', async () => {
    const own = await bindAs('son', PEOPLE.grandmother, 'parent');
    const other = await call('daughter', { action: 'bind', ...PEOPLE.grandmother, relation: 'parent' });
    expect(other).toMatchObject({ ok: false, code: 'PATIENT_NEEDS_PROOF' });
    expect(await count('patients')).toBe(1);
    expect(await count('patientLinks')).toBe(1);
    expect((await list('son')).patients.map((card) => [card.id, card.role])).toEqual([[own.id, 'owner']]);
    expect(his.standIn.patientsCount()).toBeGreaterThanOrEqual(1);
  });

  it('answers a wrong name or phone exactly like the right ones, so nothing is learnt about the record', async () => {
    await bindAs('son', PEOPLE.grandmother, 'parent');
    const right = await call('daughter', { action: 'bind', ...PEOPLE.grandmother, relation: 'parent' });
    const wrongPhone = await call('daughter', { action: 'bind', ...PEOPLE.grandmother, phone: '13800000000', relation: 'parent' });
    expect({ ...wrongPhone, requestId: '' }).toEqual({ ...right, requestId: '' });
    expect(await count('patientLinks')).toBe(1);
  });

  it('tells a full account about its limit before anything about an existing card', async () => {
    await bindAs('son', PEOPLE.grandmother, 'parent');
    await bindAs('daughter', PEOPLE.son);
    await bindAs('daughter', PEOPLE.aunt, 'other');
    await bindAs('daughter', { name: '赵四', idType: 'hmt_residence_permit', idNumber: '810000199408230021', phone: '13600003333' }, 'other');
    expect(await call('daughter', { action: 'bind', ...PEOPLE.grandmother, relation: 'parent' })).toMatchObject({ ok: false, code: 'PATIENT_LIMIT_REACHED' });
  });

  it.each([
    ['fail', 'HIS_UNAVAILABLE', 'ok'],
    ['refuse', 'HIS_REFUSED', 'PROOF_CODE_INVALID'],
  ] as const)('leaves nothing half-bound when the HIS is in %s mode (and the same code works again only after an outage)', async (mode, code, retried) => {
    expect(await call('son', { action: 'bind', ...PEOPLE.son, relation: 'self' })).toMatchObject({ ok: false, code: 'PATIENT_NEEDS_PROOF' });
    const { proofId } = dataOf<{ proofId: string }>(await call('son', { action: 'sendProofCode', ...PEOPLE.son, relation: 'self' }));
    const smsCode = runtime.smsStandIn!.lastCodeFor(PEOPLE.son.phone)!;
    his.standIn.setMode(mode);
    expect(await call('son', { action: 'verifyProofCode', proofId, code: smsCode })).toMatchObject({ ok: false, code });
    expect(await count('patients')).toBe(0);
    expect(await count('patientLinks')).toBe(0);
    expect(await count('newCardLinks')).toBe(0);
    expect((await runtime.db.collection('users').findOne({ patientCount: { $gt: 0 } }))).toBeNull();
    his.standIn.setMode('normal');
    const again = await call('son', { action: 'verifyProofCode', proofId, code: smsCode });
    expect(again.ok ? 'ok' : again.code).toBe(retried);
    if (again.ok) expect((again.data as { patient: Card }).patient.name).toBe('王磊');
  });

  it('binds only people the HIS already knows when it files new patients at its counter only', async () => {
    const [filedAtCounter, stranger] = [person(901), person(902)];
    const birth = filedAtCounter.idNumber.slice(6, 14);
    const sex = Number(filedAtCounter.idNumber[16]) % 2 === 1 ? 'male' : 'female';
    await his.client.registerPatient({ ...filedAtCounter, sex, birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}` });
    his.standIn.setMode('refuse_unknown');
    expect(await bindThroughProof((event) => call('son', event), runtime.smsStandIn!, { ...stranger, relation: 'other' })).toMatchObject({ ok: false, code: 'HIS_REFUSED' });
    expect(await count('patients')).toBe(0);
    expect((await bindAs('son', filedAtCounter, 'other')).name).toBe(filedAtCounter.name);
  });

  it('reports invalid fields with the rule code and a Chinese sentence', async () => {
    const result = await call('son', { action: 'bind', ...PEOPLE.son, idNumber: '110105197803150017', relation: 'self' });
    expect(result).toMatchObject({ ok: false, code: 'INVALID_PARAMS', fields: [{ path: 'idNumber', code: 'ID_NUMBER_CHECKSUM' }] });
  });

  it('binds a child without an ID through the guardian’s own card, after the same phone proof', async () => {
    const child = { idType: 'guardian_child', childName: '王小宝', childSex: 'male', childBirthDate: '2024-05-01', phone: '13900001111', relation: 'child' };
    expect(await call('son', { action: 'bind', ...child })).toMatchObject({ ok: false, code: 'GUARDIAN_NEEDS_OWN_CARD' });
    await bindAs('son', PEOPLE.son);
    expect(await call('son', { action: 'bind', ...child })).toMatchObject({ ok: false, code: 'PATIENT_NEEDS_PROOF' });
    const card = dataOf<{ patient: Card }>(await bindThroughProof((event) => call('son', event), runtime.smsStandIn!, child)).patient;
    expect(card).toMatchObject({ name: '王小宝', idNumberMasked: null, sex: 'male', relation: 'child' });
  });

  it('runs the family flow: invite, accept once, see the masked card, revoke', async () => {
    const card = await bindAs('son', PEOPLE.grandmother, 'parent');
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: card.id }));
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{8}$/);

    const accepted = dataOf<{ patient: Card }>(await call('daughter', { action: 'accept', code: code.toLowerCase(), relation: 'parent' })).patient;
    expect(accepted).toMatchObject({ id: card.id, role: 'manager', idNumberMasked: '1101**********002X' });
    expect(await call('stranger', { action: 'accept', code })).toMatchObject({ ok: false, code: 'INVITE_INVALID' });

    const owned = dataOf<{ patient: Card }>(await call('son', { action: 'get', patientId: card.id })).patient;
    expect(owned.managers?.map((manager) => manager.role)).toEqual(['owner', 'manager']);
    expect(await call('daughter', { action: 'invite', patientId: card.id })).toMatchObject({ ok: false, code: 'FORBIDDEN' });

    const daughterId = owned.managers![1].userId;
    dataOf(await call('son', { action: 'revokeManager', patientId: card.id, userId: daughterId }));
    expect(await call('daughter', { action: 'get', patientId: card.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const actions = (await runtime.db.collection('audit').find({}).toArray()).map((entry) => entry.action);
    expect(actions).toEqual(['patient.proof.sendCode', 'patient.bind', 'patient.invite', 'patient.invite.accept', 'patient.revokeManager']);
  });

  it('refuses an expired invitation', async () => {
    const card = await bindAs('son', PEOPLE.grandmother, 'parent');
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: card.id }));
    const { expiresAt } = (await runtime.db.collection('invites').findOne({}))!;
    runtime.clock.set(new Date((expiresAt as Date).getTime() + 60_000));
    expect(await call('daughter', { action: 'accept', code })).toMatchObject({ ok: false, code: 'INVITE_INVALID' });
    expect(await count('patientLinks')).toBe(1);
  });

  it('hands the card to the family member when the owner unbinds', async () => {
    const card = await bindAs('son', PEOPLE.grandmother, 'parent');
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: card.id }));
    dataOf(await call('daughter', { action: 'accept', code, relation: 'parent' }));
    dataOf(await call('son', { action: 'unbind', patientId: card.id }));
    expect((await list('son')).patients).toEqual([]);
    expect(dataOf<{ patient: Card }>(await call('daughter', { action: 'get', patientId: card.id })).patient.role).toBe('owner');
    expect((await runtime.db.collection('users').findOne({ _id: (await runtime.db.collection('patientLinks').findOne({}))!.userId }))?.patientCount).toBe(1);
  });

  it('verifies a visit code for staff only, and refuses forged and expired codes', async () => {
    const card = await bindAs('son', PEOPLE.grandmother, 'parent');
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'visitCode', patientId: card.id }));
    expect(await call('stranger', { action: 'verifyVisitCode', code })).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    const verified = dataOf<{ patient: Record<string, unknown> }>(await call('nurse', { action: 'verifyVisitCode', code }));
    expect(verified.patient).toMatchObject({ id: card.id, nameMasked: '张*英', idNumberMasked: '1101**********002X', hisPatientId: expect.stringMatching(/^HIS/) });

    const forged = code.slice(0, -2) + (code.endsWith('AA') ? 'BB' : 'AA');
    expect(await call('nurse', { action: 'verifyVisitCode', code: forged })).toMatchObject({ ok: false, code: 'VISIT_CODE_INVALID' });
    // A code lives 5 minutes: still good at 4, expired just after 5.
    const issued = runtime.clock.now().getTime();
    runtime.clock.set(new Date(issued + 4 * 60_000));
    expect(await call('nurse', { action: 'verifyVisitCode', code })).toMatchObject({ ok: true });
    runtime.clock.set(new Date(issued + 5 * 60_000 + 2000));
    expect(await call('nurse', { action: 'verifyVisitCode', code })).toMatchObject({ ok: false, code: 'VISIT_CODE_EXPIRED' });
  });
});
