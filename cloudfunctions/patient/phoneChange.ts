// The owner changes a card's phone on record. That phone is the proof anchor for joining and taking over the card
// (phoneProof.ts), so the change takes the same SMS proof, sent to the NEW phone, under the same per-phone
// limits and code rules; only the owner may ask, the other managers are told, and the audit holds no number.
import { ObjectId } from 'mongodb';
import { recordAudit } from '../shared/audit';
import type { UserContext } from '../shared/context';
import { maskPhone } from '../shared/domain/mask';
import { PHONE_CODE_RULES } from '../shared/domain/phoneCode';
import { AppError } from '../shared/errors';
import { addNotice } from '../shared/patients/notices';
import { linksOf, patientsOf } from '../shared/patients/patientRepository';
import { newPhoneCode, phoneCodeHash, proofsOf, reservePhoneSend } from '../shared/patients/phoneProofs';
import { requireManaged, requireOwner } from './family';
import { sendCodeSms, spendProofCode, type SentProof } from './phoneProof';

const OWNER_ONLY = '修改就诊人的手机号';

/** Sends a code to the new phone; nothing on the card changes until it comes back. */
export async function sendPhoneChangeCode(context: UserContext, input: { patientId: string; phone: string }): Promise<SentProof> {
  const { db, now } = context;
  const managed = await requireManaged(context, input.patientId);
  requireOwner(managed, OWNER_ONLY);
  if (context.pii.decrypt(managed.patient.phoneSealed) === input.phone) {
    throw new AppError('INVALID_PARAMS', undefined, [{ path: 'phone', message: '这就是现在登记的手机号，不用修改。如要换号，请填写新的手机号码。', code: 'PHONE_UNCHANGED' }]);
  }
  const phoneKey = context.pii.blindIndex('phone', input.phone);
  await reservePhoneSend(db, phoneKey, now);
  const proofId = new ObjectId();
  const code = newPhoneCode();
  const expiresAt = new Date(now.getTime() + PHONE_CODE_RULES.ttlMs);
  // As for joining: a new code replaces the caller's earlier ones.
  await proofsOf(db).updateMany({ userId: context.user._id, usedAt: { $exists: false } }, { $set: { usedAt: now } });
  await proofsOf(db).insertOne({
    _id: proofId,
    purpose: 'phone_change',
    userId: context.user._id,
    patientId: managed.patient._id,
    newPhoneSealed: context.pii.encrypt(input.phone),
    phoneKey,
    relation: managed.link.relation,
    codeHash: phoneCodeHash(context.phoneCodeKey, proofId, code),
    tries: 0,
    createdAt: now,
    expiresAt,
  });
  await sendCodeSms(context, input.phone, code, 'phone change');
  await recordAudit(db, {
    at: now,
    actorUserId: context.user._id,
    action: 'patient.phone.sendCode',
    patientId: managed.patient._id,
    requestId: context.requestId,
    details: { proofId: proofId.toHexString() },
  });
  return { proofId: proofId.toHexString(), phoneMasked: maskPhone(input.phone), expiresAt: expiresAt.toISOString(), resendAfterSeconds: PHONE_CODE_RULES.resendGapMs / 1000 };
}

/** Writes the proven new phone, if the caller still owns the card; the other managers get a notice. */
export async function verifyPhoneChange(context: UserContext, input: { proofId: string; code: string }): Promise<ObjectId> {
  const { db, now } = context;
  const proof = await spendProofCode(context, input, 'phone_change');
  const managed = await requireManaged(context, proof.patientId!.toHexString());
  requireOwner(managed, OWNER_ONLY);
  const phone = context.pii.decrypt(proof.newPhoneSealed!);
  // Only while the caller is still the owner: a hand-over between the two steps wins.
  const changed = await patientsOf(db).updateOne(
    { _id: managed.patient._id, ownerUserId: context.user._id },
    { $set: { phoneSealed: context.pii.encrypt(phone), updatedAt: now } },
  );
  if (changed.modifiedCount !== 1) throw new AppError('CONFLICT');
  // Codes already sent to the old phone for joining this card stop working: the old phone proves nothing now.
  await proofsOf(db).updateMany({ patientId: managed.patient._id, purpose: { $exists: false }, usedAt: { $exists: false } }, { $set: { usedAt: now } });
  await recordAudit(db, { at: now, actorUserId: context.user._id, action: 'patient.phone.change', patientId: managed.patient._id, requestId: context.requestId, details: { via: 'sms' } });
  const others = await linksOf(db).find({ patientId: managed.patient._id, userId: { $ne: context.user._id } }).toArray();
  for (const link of others) await addNotice(db, { userId: link.userId, patientId: managed.patient._id, kind: 'phone_changed', via: 'sms', at: now });
  return managed.patient._id;
}
