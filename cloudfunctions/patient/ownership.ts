// Joining a card by proof of the phone on record, and handing a card's ownership to the real person
// (proof with "我是本人", or staff at the counter after checking the ID card). The owner is always told.
import { MongoServerError, type ObjectId } from 'mongodb';
import { recordAudit } from '../shared/audit';
import type { UserContext } from '../shared/context';
import type { Relation } from '../shared/domain/patientSchemas';
import { AppError } from '../shared/errors';
import { releaseCardSlot, reserveCardSlot } from '../shared/patients/cardSlots';
import { invitesOf } from '../shared/patients/invites';
import { claimNewCardLink } from '../shared/patients/newCardLinks';
import { addNotice, type NoticeVia } from '../shared/patients/notices';
import { linkId, linksOf, patientsOf, type PatientDoc, type PatientLinkDoc } from '../shared/patients/patientRepository';
import { recountStrangerCards } from '../shared/scriptingSigns';
import type { UserDoc } from '../shared/users/userRepository';
import { cardLimitReached } from './bindPatient';

/**
 * Links `userId` to the card as a manager (subject to the card limit and, when the caller links themself, the
 * 30-day new-card limit; staff at the counter are not counted against the person); an existing link is returned as is.
 */
async function ensureLink(context: UserContext, userId: ObjectId, patient: PatientDoc, relation: Relation, via: NoticeVia): Promise<PatientLinkDoc> {
  const { db, now } = context;
  const existing = await linksOf(db).findOne({ _id: linkId(userId, patient._id) });
  if (existing) return existing;
  if (!(await reserveCardSlot(db, userId, context.config.patientCardLimit))) throw cardLimitReached(context);
  const newLink =
    via === 'counter'
      ? undefined
      : await claimNewCardLink(context, 'proof').catch(async (error: unknown) => {
          await releaseCardSlot(db, userId);
          throw error;
        });
  const link: PatientLinkDoc = { _id: linkId(userId, patient._id), userId, patientId: patient._id, role: 'manager', relation, via, createdAt: now };
  try {
    await linksOf(db).insertOne(link);
  } catch (error) {
    await releaseCardSlot(db, userId);
    await newLink?.release();
    if (error instanceof MongoServerError && error.code === 11000) throw new AppError('PATIENT_ALREADY_BOUND');
    throw error;
  }
  await db.collection<UserDoc>('users').updateOne({ _id: userId, defaultPatientId: { $in: [null] } }, { $set: { defaultPatientId: patient._id } });
  return link;
}

/** The caller proved the phone on record: joins as a manager, or with `asOwner` ("我是本人") becomes the owner. */
export async function joinByProof(context: UserContext, patient: PatientDoc, options: { relation: Relation; via: 'sms' | 'wechat_phone'; asOwner: boolean }): Promise<void> {
  const { db, user, now } = context;
  const before = await linksOf(db).findOne({ _id: linkId(user._id, patient._id) });
  if (before && (before.role === 'owner' || !options.asOwner)) throw new AppError('PATIENT_ALREADY_BOUND');
  await ensureLink(context, user._id, patient, options.asOwner ? 'self' : options.relation, options.via);
  if (options.asOwner) {
    await makeOwner(context, patient, user._id, options.via);
  } else {
    await recordAudit(db, {
      at: now,
      actorUserId: user._id,
      action: 'patient.proof.join',
      patientId: patient._id,
      ...(patient.ownerUserId && { targetUserId: patient.ownerUserId }),
      requestId: context.requestId,
      details: { via: options.via },
    });
    if (patient.ownerUserId) await addNotice(db, { userId: patient.ownerUserId, patientId: patient._id, kind: 'manager_joined', via: options.via, at: now });
  }
  await recountStrangerCards(db, user._id, now, context.log);
}

/**
 * Makes `newOwner` (already linked) the card's owner. The previous owner stays on as a manager, so
 * nothing they booked is lost, and is told; the real person can remove them from the family list.
 * Pending invitations of the previous owner are withdrawn.
 */
export async function makeOwner(context: UserContext, patient: PatientDoc, newOwner: ObjectId, via: NoticeVia): Promise<void> {
  const { db, now } = context;
  const previous = patient.ownerUserId;
  if (previous?.equals(newOwner)) return;
  const moved = await patientsOf(db).updateOne({ _id: patient._id, ownerUserId: previous }, { $set: { ownerUserId: newOwner, updatedAt: now } });
  if (moved.modifiedCount !== 1) throw new AppError('CONFLICT');
  if (previous) await linksOf(db).updateOne({ _id: linkId(previous, patient._id) }, { $set: { role: 'manager' } });
  await linksOf(db).updateOne({ _id: linkId(newOwner, patient._id) }, { $set: { role: 'owner', relation: 'self' } });
  await invitesOf(db).deleteMany({ patientId: patient._id, acceptedBy: { $exists: false } });
  await recordAudit(db, {
    at: now,
    actorUserId: context.user._id,
    action: 'patient.owner.transfer',
    patientId: patient._id,
    targetUserId: newOwner,
    requestId: context.requestId,
    details: { via, ...(previous && { previousOwnerUserId: previous.toHexString() }) },
  });
  if (previous) await addNotice(db, { userId: previous, patientId: patient._id, kind: 'owner_changed', via, at: now });
}

/** Staff at the counter checked the ID card: `userId` becomes the owner (linked first if needed). */
export async function transferOwnerAtCounter(context: UserContext, patient: PatientDoc, userId: ObjectId): Promise<void> {
  await ensureLink(context, userId, patient, 'self', 'counter');
  await makeOwner(context, patient, userId, 'counter');
  await recountStrangerCards(context.db, userId, context.now, context.log);
}
