/**
 * WeChat's phone check as proof, the real person taking back their card ("我是本人"), and staff's counter transfer:
 * who ends up owner, who is demoted and told, and what the audit says.
 */
import { ObjectId } from 'mongodb';
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { startTestHis, type TestHis } from '../../support/his';
import { bindAs, PEOPLE, type Card } from '../../support/patients';
import { startTestSms, startTestWxPhone, type TestSms, type TestWxPhone } from '../../support/phoneProof';
import { setRuntime } from '../../../cloudfunctions/shared/runtime';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

type CardWithNotices = Card & { notices?: { message: string }[] };
const GRANDMOTHER = { ...PEOPLE.grandmother, relation: 'parent' };
const call = (openid: string, event: Record<string, unknown>) => callAs(patientMain, openid, event);

describe('WeChat phone proof, recovery by the real person, and the counter transfer', () => {
  let his: TestHis;
  let sms: TestSms;
  let wx: TestWxPhone;
  let runtime: TestRuntime;
  let card: Card;
  const userIds: Record<string, string> = {};

  beforeAll(async () => {
    [his, sms, wx] = await Promise.all([startTestHis(), startTestSms(), startTestWxPhone()]);
  });
  afterAll(async () => {
    await Promise.all([his.standIn.close(), sms.standIn.close(), wx.standIn.close()]);
  });
  beforeEach(async () => {
    runtime = await openTestRuntime({ adminOpenids: ['nurse'], rateLimits: false }, { his: his.client, sms: sms.client, smsStandIn: sms.standIn, wxPhone: wx.client });
    for (const openid of ['son', 'daughter', 'stranger', 'grandma', 'nurse']) {
      userIds[openid] = dataOf<{ user: { id: string } }>(await callAs(userMain, openid, { action: 'login' })).user.id;
    }
    card = await bindAs('son', PEOPLE.grandmother, 'parent');
  });
  afterEach(() => runtime.dispose());

  const get = async (openid: string) => dataOf<{ patient: CardWithNotices }>(await call(openid, { action: 'get', patientId: card.id })).patient;
  const audit = async () => (await runtime.db.collection('audit').find({}).sort({ at: 1 }).toArray()).map((entry) => entry.action);

  it('joins through WeChat’s phone check when the caller’s WeChat phone is the phone on record', async () => {
    const phoneCode = wx.standIn.issueCode(PEOPLE.grandmother.phone);
    const joined = dataOf<{ patient: Card }>(await call('daughter', { action: 'proveWithWechatPhone', ...GRANDMOTHER, phoneCode })).patient;
    expect(joined).toMatchObject({ id: card.id, role: 'manager' });
    expect((await runtime.db.collection('patientLinks').findOne({ role: 'manager' }))?.via).toBe('wechat_phone');
    expect((await get('son')).notices?.[0].message).toContain('微信手机号');
    // The button code is one use.
    expect(await call('stranger', { action: 'proveWithWechatPhone', ...GRANDMOTHER, phoneCode })).toMatchObject({ ok: false, code: 'WX_PHONE_CODE_INVALID' });
  });

  it('refuses, neutrally, a WeChat phone that is not the phone typed, or a typed phone that is not the one on record', async () => {
    const other = await call('stranger', { action: 'proveWithWechatPhone', ...GRANDMOTHER, phoneCode: wx.standIn.issueCode('13700009999') });
    const notOnRecord = await call('stranger', { action: 'proveWithWechatPhone', ...GRANDMOTHER, phone: '13700009999', phoneCode: wx.standIn.issueCode('13700009999') });
    const newPersonOtherPhone = await call('stranger', { action: 'proveWithWechatPhone', ...PEOPLE.aunt, relation: 'other', phoneCode: wx.standIn.issueCode('13700009999') });
    expect(other).toMatchObject({ ok: false, code: 'PROOF_NOT_MATCHED' });
    expect({ ...notOnRecord, requestId: undefined }).toEqual({ ...other, requestId: undefined });
    expect({ ...newPersonOtherPhone, requestId: undefined }).toEqual({ ...other, requestId: undefined });
    expect(await runtime.db.collection('patientLinks').countDocuments()).toBe(1);
    expect(await runtime.db.collection('patients').countDocuments()).toBe(1);
  });

  it('makes a new person’s card, owned by the caller, when WeChat’s phone is the phone typed', async () => {
    const before = his.standIn.patientsCount();
    const made = dataOf<{ patient: Card }>(await call('stranger', { action: 'proveWithWechatPhone', ...PEOPLE.aunt, relation: 'other', phoneCode: wx.standIn.issueCode(PEOPLE.aunt.phone) })).patient;
    expect(made).toMatchObject({ name: PEOPLE.aunt.name, role: 'owner', relation: 'other', phoneMasked: '137****2222' });
    expect(his.standIn.patientsCount()).toBe(before + 1);
    expect((await runtime.db.collection('patientLinks').findOne({ patientId: new ObjectId(made.id) }))?.via).toBe('wechat_phone');
  });

  it('says so when SMS or the WeChat phone check is not configured, and joins nobody', async () => {
    const offline = await openTestRuntime({ rateLimits: false }, { his: his.client, sms: null });
    try {
      for (const openid of ['son', 'daughter']) dataOf(await callAs(userMain, openid, { action: 'login' }));
      // Without SMS no card can be bound by ID at all: a new person needs a code as much as a known one.
      expect(await call('son', { action: 'bind', ...GRANDMOTHER })).toMatchObject({ ok: false, code: 'PATIENT_NEEDS_PROOF' });
      expect(await call('daughter', { action: 'sendProofCode', ...GRANDMOTHER })).toMatchObject({ ok: false, code: 'SMS_UNAVAILABLE' });
      expect(await call('daughter', { action: 'proveWithWechatPhone', ...GRANDMOTHER, phoneCode: 'abc' })).toMatchObject({ ok: false, code: 'WX_PHONE_UNAVAILABLE' });
      expect(await offline.db.collection('patientLinks').countDocuments()).toBe(0);
      expect(await offline.db.collection('patients').countDocuments()).toBe(0);
    } finally {
      await offline.dispose();
      // openTestRuntime installed the offline runtime; the suite's own goes back for afterEach.
      setRuntime(runtime);
    }
  });

  it('lets the real person prove the phone and become the owner; the previous owner is demoted and told', async () => {
    const { code: inviteCode } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: card.id }));
    const { proofId } = dataOf<{ proofId: string }>(await call('grandma', { action: 'sendProofCode', ...PEOPLE.grandmother, relation: 'self' }));
    const code = sms.standIn.lastCodeFor(PEOPLE.grandmother.phone)!;
    const mine = dataOf<{ patient: CardWithNotices }>(await call('grandma', { action: 'verifyProofCode', proofId, code, asOwner: true })).patient;
    expect(mine).toMatchObject({ id: card.id, role: 'owner', relation: 'self' });
    expect(mine.managers?.map((manager) => [manager.userId, manager.role])).toEqual([
      [userIds.son, 'manager'],
      [userIds.grandma, 'owner'],
    ]);

    const son = await get('son');
    expect(son.role).toBe('manager');
    expect(son.notices?.[0].message).toContain('就诊人本人通过就诊人登记手机号收到的验证码，成为了这张就诊卡的主要管理人');
    // The previous owner's pending invitation is withdrawn; the new owner can remove the previous one.
    expect(await call('daughter', { action: 'accept', code: inviteCode })).toMatchObject({ ok: false, code: 'INVITE_INVALID' });
    dataOf(await call('grandma', { action: 'revokeManager', patientId: card.id, userId: userIds.son }));
    expect(await call('son', { action: 'get', patientId: card.id })).toMatchObject({ ok: false, code: 'NOT_FOUND' });

    const transfer = await runtime.db.collection('audit').findOne({ action: 'patient.owner.transfer' });
    expect(transfer?.targetUserId.toHexString()).toBe(userIds.grandma);
    expect(transfer?.details).toEqual({ via: 'sms', previousOwnerUserId: userIds.son });
    expect(await audit()).toEqual(['patient.proof.sendCode', 'patient.bind', 'patient.invite', 'patient.proof.sendCode', 'patient.owner.transfer', 'patient.revokeManager']);
  });

  it('lets a family member who already manages the card become owner as 我是本人 through WeChat', async () => {
    const { code } = dataOf<{ code: string }>(await call('son', { action: 'invite', patientId: card.id }));
    dataOf(await call('grandma', { action: 'accept', code, relation: 'self' }));
    const phoneCode = wx.standIn.issueCode(PEOPLE.grandmother.phone);
    const mine = dataOf<{ patient: Card }>(await call('grandma', { action: 'proveWithWechatPhone', ...PEOPLE.grandmother, relation: 'self', phoneCode, asOwner: true })).patient;
    expect(mine.role).toBe('owner');
    expect((await get('son')).role).toBe('manager');
    expect(await runtime.db.collection('patientLinks').countDocuments()).toBe(2);
  });

  it('refuses the counter transfer to a non-admin with FORBIDDEN before looking at the payload', async () => {
    for (const payload of [{}, { idNumber: 42 }, { idType: 'mainland_id', idNumber: PEOPLE.grandmother.idNumber, userId: userIds.stranger }]) {
      const result = await call('stranger', { action: 'adminTransferOwner', ...payload });
      expect(result).toMatchObject({ ok: false, code: 'FORBIDDEN' });
      expect(result).not.toHaveProperty('fields');
    }
    expect((await get('son')).role).toBe('owner');
  });

  it('lets staff who checked the ID card make the person’s account the owner', async () => {
    expect(await call('nurse', { action: 'adminTransferOwner', idType: 'mainland_id', idNumber: '110105194912310021', userId: userIds.grandma })).toMatchObject({
      ok: false,
      code: 'INVALID_PARAMS',
      fields: [{ path: 'idNumber', code: 'ID_NUMBER_CHECKSUM' }],
    });
    expect(await call('nurse', { action: 'adminTransferOwner', idType: 'mainland_id', idNumber: PEOPLE.aunt.idNumber, userId: userIds.grandma })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    const done = dataOf<{ patientId: string; ownerUserId: string }>(
      await call('nurse', { action: 'adminTransferOwner', idType: 'mainland_id', idNumber: PEOPLE.grandmother.idNumber.toLowerCase(), userId: userIds.grandma }),
    );
    expect(done).toEqual({ patientId: card.id, ownerUserId: userIds.grandma });
    expect((await get('grandma')).role).toBe('owner');
    const son = await get('son');
    expect(son.role).toBe('manager');
    expect(son.notices?.[0].message).toContain('在医院服务台核验身份证件后');
    const transfer = await runtime.db.collection('audit').findOne({ action: 'patient.owner.transfer' });
    expect(transfer).toMatchObject({ details: { via: 'counter', previousOwnerUserId: userIds.son } });
    expect(transfer?.actorUserId.toHexString()).toBe(userIds.nurse);
  });
});

describe('rate limits on proof attempts', () => {
  it('throttles a script hammering sendProofCode and verifyProofCode, per account', async () => {
    const [his, sms, wx] = await Promise.all([startTestHis(), startTestSms(), startTestWxPhone()]);
    const runtime = await openTestRuntime({}, { his: his.client, sms: sms.client, smsStandIn: sms.standIn, wxPhone: wx.client });
    try {
      dataOf(await callAs(userMain, 'script', { action: 'login' }));
      const outcomes: string[] = [];
      for (let i = 0; i < 22; i++) {
        const result = await call('script', i % 2 ? { action: 'sendProofCode', ...GRANDMOTHER } : { action: 'verifyProofCode', proofId: '0123456789abcdef01234567', code: '123456' });
        outcomes.push(result.ok ? 'ok' : result.code);
      }
      expect(outcomes.slice(0, 20)).not.toContain('RATE_LIMITED');
      expect(outcomes.slice(20)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    } finally {
      await runtime.dispose();
      await Promise.all([his.standIn.close(), sms.standIn.close(), wx.standIn.close()]);
    }
  });
});
