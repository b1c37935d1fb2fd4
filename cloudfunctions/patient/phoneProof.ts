// Proving control of the phone typed on the add-card form, the only way a card is bound (by ID document, or a
// child without one under the guardian's own card): a
// one-time SMS code, or WeChat's own phone-number check. For a person new here the code goes to the typed phone
// and the card is made once it comes back; for a known person it goes there only if that is the phone on record,
// and the caller joins as a manager. Every answer before that reads the same whether or not the ID is known
// (docs/API.md, "Joining a card someone else manages").
import { ObjectId } from 'mongodb';
import { recordAudit } from '../shared/audit';
import type { UserContext } from '../shared/context';
import { maskPhone } from '../shared/domain/mask';
import { codeState, PHONE_CODE_RULES, triesLeftAfterMiss } from '../shared/domain/phoneCode';
import type { BindPatient } from '../shared/domain/patientSchemas';
import { AppError } from '../shared/errors';
import { linkId, linksOf, parseObjectId, patientsOf, type PatientDoc } from '../shared/patients/patientRepository';
import { newPhoneCode, phoneCodeHash, phoneCodeMatches, proofsOf, reservePhoneSend, type PhoneProofDoc, type ProofPurpose } from '../shared/patients/phoneProofs';
import { SmsError } from '../shared/sms/sms';
import { WxPhoneError } from '../shared/wxPhone/wxPhone';
import { createOwnedCard, identifyPerson } from './bindPatient';
import { joinByProof } from './ownership';

type ProofPerson = BindPatient;
type ProofVia = 'sms' | 'wechat_phone';

/** The person's name as typed: the child's for the guardian path. */
const typedName = (person: ProofPerson) => (person.idType === 'guardian_child' ? person.childName : person.name);

export interface SentProof {
  proofId: string;
  /** The phone the caller typed, masked: the code went there for a new person, or if it is the phone on record. */
  phoneMasked: string;
  expiresAt: string;
  resendAfterSeconds: number;
}

/** Whether these details prove a right to this known card: same name, same phone, and the caller does not own it yet. */
async function provable(context: UserContext, patient: PatientDoc, person: ProofPerson): Promise<boolean> {
  if (patient.name !== typedName(person) || context.pii.decrypt(patient.phoneSealed) !== person.phone) return false;
  const link = await linksOf(context.db).findOne({ _id: linkId(context.user._id, patient._id) });
  return link?.role !== 'owner';
}

/** The form fields needed to make a new person's card later; sealed in the proof, never stored in the clear. */
function sealNewPerson(context: UserContext, person: ProofPerson): string {
  return context.pii.encrypt(JSON.stringify(person));
}

/**
 * The caller proved control of `person.phone`. A person new here gets a card owned by the caller; a known
 * person (or one another account created meanwhile) is joined only if that is the phone on record.
 */
async function bindProven(context: UserContext, person: ProofPerson, proof: { via: ProofVia; asOwner: boolean }): Promise<ObjectId> {
  // A child without an ID is never their own account holder ("我是就诊人本人" means nothing for them).
  const options = { ...proof, asOwner: proof.asOwner && person.idType !== 'guardian_child' };
  // The guardian's own card is looked up again: it must still be the caller's when the code comes back.
  const identified = await identifyPerson(context, person);
  let patient = await patientsOf(context.db).findOne({ personKey: identified.personKey });
  if (!patient) {
    const created = await createOwnedCard(context, identified, person.phone, options.asOwner ? 'self' : person.relation, options.via);
    if (created) return created._id;
    patient = await patientsOf(context.db).findOne({ personKey: identified.personKey });
  }
  if (!patient || !(await provable(context, patient, person))) throw new AppError('PROOF_NOT_MATCHED');
  await joinByProof(context, patient, { relation: person.relation, via: options.via, asOwner: options.asOwner });
  return patient._id;
}

/**
 * Sends a code to the phone the caller typed: always for a person new here, and for a known person only when it
 * is the phone on record of their card. The answer, the per-phone limits and the stored proof are the same
 * either way; when nothing is sent no code can ever match.
 */
export async function sendProofCode(context: UserContext, person: ProofPerson): Promise<SentProof> {
  const { db, now } = context;
  const { personKey } = await identifyPerson(context, person);
  const known = await patientsOf(db).findOne({ personKey });
  const target = known && (await provable(context, known, person)) ? known : null;
  const sending = Boolean(target) || !known;
  await reservePhoneSend(db, context.pii.blindIndex('phone', person.phone), now);
  const proofId = new ObjectId();
  const code = newPhoneCode();
  const expiresAt = new Date(now.getTime() + PHONE_CODE_RULES.ttlMs);
  // A new code replaces the caller's earlier ones.
  await proofsOf(db).updateMany({ userId: context.user._id, usedAt: { $exists: false } }, { $set: { usedAt: now } });
  await proofsOf(db).insertOne({
    _id: proofId,
    userId: context.user._id,
    patientId: target?._id ?? null,
    ...(!known && { newPersonSealed: sealNewPerson(context, person) }),
    phoneKey: context.pii.blindIndex('phone', person.phone),
    relation: person.relation,
    codeHash: phoneCodeHash(context.phoneCodeKey, proofId, code),
    tries: 0,
    createdAt: now,
    expiresAt,
  });
  if (sending) await sendCodeSms(context, person.phone, code, 'proof');
  await recordAudit(db, {
    at: now,
    actorUserId: context.user._id,
    action: 'patient.proof.sendCode',
    ...(target && { patientId: target._id }),
    requestId: context.requestId,
    details: { proofId: proofId.toHexString(), sent: sending, newPerson: !known },
  });
  return { proofId: proofId.toHexString(), phoneMasked: maskPhone(person.phone), expiresAt: expiresAt.toISOString(), resendAfterSeconds: PHONE_CODE_RULES.resendGapMs / 1000 };
}

/**
 * Checks and spends a code: one use, five tries, five minutes; another account's proof id, or a proof made for
 * the other purpose (joining a card vs changing its phone), answers exactly like a wrong code.
 */
export async function spendProofCode(context: UserContext, input: { proofId: string; code: string }, purpose: ProofPurpose): Promise<PhoneProofDoc> {
  const { db, now } = context;
  const id = parseObjectId(input.proofId);
  const proof = id && (await proofsOf(db).findOne({ _id: id, userId: context.user._id, purpose: purpose === 'bind' ? { $exists: false } : purpose }));
  if (!proof) throw new AppError('PROOF_CODE_INVALID');
  const state = codeState(proof, now);
  if (state === 'expired') throw new AppError('PROOF_CODE_EXPIRED');
  if (state !== 'usable') throw new AppError(state === 'locked' ? 'PROOF_CODE_LOCKED' : 'PROOF_CODE_INVALID');
  // The try is counted before the comparison, atomically, so parallel guesses cannot exceed five.
  const counted = await proofsOf(db).findOneAndUpdate(
    { _id: proof._id, usedAt: { $exists: false }, tries: { $lt: PHONE_CODE_RULES.maxTries } },
    { $inc: { tries: 1 } },
  );
  if (!counted) throw new AppError('PROOF_CODE_LOCKED');
  if ((!counted.patientId && !counted.newPersonSealed) || !phoneCodeMatches(context.phoneCodeKey, counted, input.code)) {
    await recordAudit(db, { at: now, actorUserId: context.user._id, action: 'patient.proof.codeRefused', requestId: context.requestId, details: { proofId: proof._id.toHexString() } });
    const left = triesLeftAfterMiss(counted);
    if (left === 0) throw new AppError('PROOF_CODE_LOCKED');
    throw new AppError('PROOF_CODE_INVALID', `验证码不对，请核对短信里的 6 位数字后再输入（还可以再试 ${left} 次）。`);
  }
  const spent = await proofsOf(db).findOneAndUpdate({ _id: proof._id, usedAt: { $exists: false } }, { $set: { usedAt: now } });
  if (!spent) throw new AppError('PROOF_CODE_INVALID');
  return counted;
}

/** Checks a code sent for joining a card and joins it (or makes the new person's card). */
export async function verifyProofCode(context: UserContext, input: { proofId: string; code: string; asOwner: boolean }): Promise<ObjectId> {
  const { db } = context;
  const counted = await spendProofCode(context, input, 'bind');
  if (counted.newPersonSealed) return finishNewPerson(context, counted, input.asOwner);
  const patient = await patientsOf(db).findOne({ _id: counted.patientId! });
  if (!patient) throw new AppError('PROOF_CODE_INVALID');
  // A child without an ID is never "本人": the guardian joins as family.
  await joinByProof(context, patient, { relation: counted.relation, via: 'sms', asOwner: input.asOwner && patient.idType !== 'guardian_child' });
  return patient._id;
}

/** Errors after which the same code may be used again: the HIS was down, or the account must first make room. */
const RETRYABLE = new Set<string>(['HIS_UNAVAILABLE', 'CONFLICT', 'PATIENT_LIMIT_REACHED', 'NEW_CARD_LIMIT']);

async function finishNewPerson(context: UserContext, proof: PhoneProofDoc, asOwner: boolean): Promise<ObjectId> {
  const person = JSON.parse(context.pii.decrypt(proof.newPersonSealed!)) as ProofPerson;
  try {
    return await bindProven(context, person, { via: 'sms', asOwner });
  } catch (error) {
    if (error instanceof AppError && RETRYABLE.has(error.code)) await proofsOf(context.db).updateOne({ _id: proof._id }, { $unset: { usedAt: '' } });
    if (error instanceof AppError && error.code === 'PROOF_NOT_MATCHED') {
      await recordAudit(context.db, { at: context.now, actorUserId: context.user._id, action: 'patient.proof.codeRefused', requestId: context.requestId, details: { proofId: proof._id.toHexString(), reason: 'created_meanwhile' } });
      // The SMS path: no word about another way to receive a code.
      throw new AppError('PROOF_NOT_MATCHED', '没能完成验证。请核对姓名、证件号码和手机号是否和就诊人在医院登记的一致；也可以请家人在“就诊人详情”里邀请您。');
    }
    throw error;
  }
}

/** WeChat's phone check: the caller's WeChat-verified phone must be the phone typed (and, for a known person, the phone on record). */
export async function proveWithWechatPhone(context: UserContext, person: ProofPerson, input: { phoneCode: string; asOwner: boolean }): Promise<ObjectId> {
  let phone: string;
  try {
    const number = await context.wxPhone.getPhoneNumber(input.phoneCode);
    phone = number.countryCode === '86' ? number.purePhoneNumber : '';
  } catch (error) {
    if (!(error instanceof WxPhoneError)) throw error;
    context.log.warn('wechat phone check failed', { requestId: context.requestId, kind: error.kind, errcode: error.errcode });
    throw new AppError(error.kind === 'refused' ? 'WX_PHONE_CODE_INVALID' : 'WX_PHONE_UNAVAILABLE');
  }
  try {
    if (phone !== person.phone) throw new AppError('PROOF_NOT_MATCHED');
    return await bindProven(context, person, { via: 'wechat_phone', asOwner: input.asOwner });
  } catch (error) {
    if (error instanceof AppError && error.code === 'PROOF_NOT_MATCHED') {
      await recordAudit(context.db, { at: context.now, actorUserId: context.user._id, action: 'patient.proof.wechatPhoneRefused', requestId: context.requestId });
    }
    throw error;
  }
}

/** Sends a proof code by SMS; a provider failure is logged (never the phone) and answered SMS_UNAVAILABLE. */
export async function sendCodeSms(context: UserContext, phone: string, code: string, purpose: 'proof' | 'phone change'): Promise<void> {
  try {
    await context.sms.sendCode({ phone, code, minutes: PHONE_CODE_RULES.ttlMs / 60_000 });
  } catch (error) {
    if (!(error instanceof SmsError)) throw error;
    context.log.warn('sms code not sent', { requestId: context.requestId, purpose, kind: error.kind, providerCode: error.providerCode });
    throw new AppError('SMS_UNAVAILABLE');
  }
}
