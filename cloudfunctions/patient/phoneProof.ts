// Proving control of the phone on record, the honest way into a card someone else already manages:
// a one-time SMS code, or WeChat's own phone-number check. Every answer reads the same whether or not
// the details matched a card here, so a stranger learns nothing from it (docs/API.md, "Proof").
import { ObjectId } from 'mongodb';
import { recordAudit } from '../shared/audit';
import type { UserContext } from '../shared/context';
import { maskPhone } from '../shared/domain/mask';
import { codeState, PHONE_CODE_RULES, triesLeftAfterMiss } from '../shared/domain/phoneCode';
import type { BindPatient } from '../shared/domain/patientSchemas';
import { AppError } from '../shared/errors';
import { linkId, linksOf, parseObjectId, patientsOf, type PatientDoc } from '../shared/patients/patientRepository';
import { newPhoneCode, phoneCodeHash, phoneCodeMatches, proofsOf, reservePhoneSend } from '../shared/patients/phoneProofs';
import { SmsError } from '../shared/sms/sms';
import { WxPhoneError } from '../shared/wxPhone/wxPhone';
import { identifyPerson } from './bindPatient';
import { joinByProof } from './ownership';

type ProofPerson = Exclude<BindPatient, { idType: 'guardian_child' }>;

export interface SentProof {
  proofId: string;
  /** The phone the caller typed, masked: the code went there if it is the phone on record. */
  phoneMasked: string;
  expiresAt: string;
  resendAfterSeconds: number;
}

/** The card these details prove a right to, or null: unknown ID, another name, another phone, or the caller already owns it. */
async function provableCard(context: UserContext, person: ProofPerson, phone: string): Promise<PatientDoc | null> {
  const { personKey } = await identifyPerson(context, person);
  const patient = await patientsOf(context.db).findOne({ personKey });
  if (!patient || patient.name !== person.name || context.pii.decrypt(patient.phoneSealed) !== phone) return null;
  const link = await linksOf(context.db).findOne({ _id: linkId(context.user._id, patient._id) });
  return link?.role === 'owner' ? null : patient;
}

/**
 * Sends a code to the phone the caller typed, but only when it is the phone on record of that person's card.
 * The answer, the per-phone limits and the stored proof are the same either way; without a card nothing is
 * sent and no code can ever match.
 */
export async function sendProofCode(context: UserContext, person: ProofPerson): Promise<SentProof> {
  const { db, now } = context;
  const target = await provableCard(context, person, person.phone);
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
    phoneKey: context.pii.blindIndex('phone', person.phone),
    relation: person.relation,
    codeHash: phoneCodeHash(context.phoneCodeKey, proofId, code),
    tries: 0,
    createdAt: now,
    expiresAt,
  });
  if (target) {
    try {
      await context.sms.sendCode({ phone: person.phone, code, minutes: PHONE_CODE_RULES.ttlMs / 60_000 });
    } catch (error) {
      if (!(error instanceof SmsError)) throw error;
      context.log.warn('proof code not sent', { requestId: context.requestId, kind: error.kind, providerCode: error.providerCode });
      throw new AppError('SMS_UNAVAILABLE');
    }
  }
  await recordAudit(db, {
    at: now,
    actorUserId: context.user._id,
    action: 'patient.proof.sendCode',
    ...(target && { patientId: target._id }),
    requestId: context.requestId,
    details: { proofId: proofId.toHexString(), sent: Boolean(target) },
  });
  return { proofId: proofId.toHexString(), phoneMasked: maskPhone(person.phone), expiresAt: expiresAt.toISOString(), resendAfterSeconds: PHONE_CODE_RULES.resendGapMs / 1000 };
}

/** Checks a code: one use, five tries, five minutes; another account's proof id answers exactly like a wrong code. */
export async function verifyProofCode(context: UserContext, input: { proofId: string; code: string; asOwner: boolean }): Promise<ObjectId> {
  const { db, now } = context;
  const id = parseObjectId(input.proofId);
  const proof = id && (await proofsOf(db).findOne({ _id: id, userId: context.user._id }));
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
  if (!counted.patientId || !phoneCodeMatches(context.phoneCodeKey, counted, input.code)) {
    await recordAudit(db, { at: now, actorUserId: context.user._id, action: 'patient.proof.codeRefused', requestId: context.requestId, details: { proofId: proof._id.toHexString() } });
    const left = triesLeftAfterMiss(counted);
    if (left === 0) throw new AppError('PROOF_CODE_LOCKED');
    throw new AppError('PROOF_CODE_INVALID', `验证码不对，请核对短信里的 6 位数字后再输入（还可以再试 ${left} 次）。`);
  }
  const spent = await proofsOf(db).findOneAndUpdate({ _id: proof._id, usedAt: { $exists: false } }, { $set: { usedAt: now } });
  if (!spent) throw new AppError('PROOF_CODE_INVALID');
  const patient = await patientsOf(db).findOne({ _id: counted.patientId });
  if (!patient) throw new AppError('PROOF_CODE_INVALID');
  await joinByProof(context, patient, { relation: counted.relation, via: 'sms', asOwner: input.asOwner });
  return patient._id;
}

/** WeChat's phone check: the caller's WeChat-verified phone must be the phone on record. */
export async function proveWithWechatPhone(context: UserContext, person: Omit<ProofPerson, 'phone'>, input: { phoneCode: string; asOwner: boolean }): Promise<ObjectId> {
  let phone: string;
  try {
    const number = await context.wxPhone.getPhoneNumber(input.phoneCode);
    phone = number.countryCode === '86' ? number.purePhoneNumber : '';
  } catch (error) {
    if (!(error instanceof WxPhoneError)) throw error;
    context.log.warn('wechat phone check failed', { requestId: context.requestId, kind: error.kind, errcode: error.errcode });
    throw new AppError(error.kind === 'refused' ? 'WX_PHONE_CODE_INVALID' : 'WX_PHONE_UNAVAILABLE');
  }
  const patient = phone ? await provableCard(context, { ...person, phone } as ProofPerson, phone) : null;
  if (!patient) {
    await recordAudit(context.db, { at: context.now, actorUserId: context.user._id, action: 'patient.proof.wechatPhoneRefused', requestId: context.requestId });
    throw new AppError('PROOF_NOT_MATCHED');
  }
  await joinByProof(context, patient, { relation: person.relation, via: 'wechat_phone', asOwner: input.asOwner });
  return patient._id;
}
