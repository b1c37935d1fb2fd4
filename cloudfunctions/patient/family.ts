// Family proxies (P3): the owner invites, another account accepts and manages the card, the owner revokes.
import type { ObjectId } from 'mongodb';
import { MongoServerError } from 'mongodb';
import { recordAudit } from '../shared/audit';
import { withPatientLock } from '../shared/booking/patientLock';
import { assertUnbindable } from '../shared/booking/unbindGuard';
import type { UserContext } from '../shared/context';
import type { Relation } from '../shared/domain/patientSchemas';
import { AppError } from '../shared/errors';
import { releaseCardSlot, reserveCardSlot } from '../shared/patients/cardSlots';
import { claimNewCardLink } from '../shared/patients/newCardLinks';
import { INVITE_TTL_MS, inviteKey, invitesOf, newInviteCode } from '../shared/patients/invites';
import { handOverOwnership } from '../shared/patients/ownerHandOver';
import { findManagedPatient, linkId, linksOf, parseObjectId, patientsOf, type ManagedPatient } from '../shared/patients/patientRepository';
import { recountStrangerCards } from '../shared/scriptingSigns';
import type { UserDoc } from '../shared/users/userRepository';

export async function requireManaged(context: UserContext, patientId: string): Promise<ManagedPatient> {
  const managed = await findManagedPatient(context.db, context.user._id, patientId);
  if (!managed) throw new AppError('NOT_FOUND');
  return managed;
}

export function requireOwner(managed: ManagedPatient, what: string): void {
  if (managed.link.role !== 'owner') throw new AppError('FORBIDDEN', `只有最先绑定这张就诊卡的家人可以${what}，请联系他/她操作。`);
}

export async function invite(context: UserContext, patientId: string): Promise<{ code: string; expiresAt: string }> {
  const managed = await requireManaged(context, patientId);
  requireOwner(managed, '邀请其他家人');
  const code = newInviteCode();
  const expiresAt = new Date(context.now.getTime() + INVITE_TTL_MS);
  await invitesOf(context.db).insertOne({
    _id: inviteKey(code),
    patientId: managed.patient._id,
    invitedBy: context.user._id,
    createdAt: context.now,
    expiresAt,
  });
  await recordAudit(context.db, {
    at: context.now,
    actorUserId: context.user._id,
    action: 'patient.invite',
    patientId: managed.patient._id,
    requestId: context.requestId,
  });
  return { code, expiresAt: expiresAt.toISOString() };
}

export async function accept(context: UserContext, code: string, relation: Relation): Promise<ManagedPatient> {
  const { db, user, now } = context;
  const key = inviteKey(code);
  const pending = await invitesOf(db).findOne({ _id: key });
  if (!pending || pending.acceptedBy || pending.expiresAt <= now) throw new AppError('INVITE_INVALID');
  if (await linksOf(db).findOne({ _id: linkId(user._id, pending.patientId) })) throw new AppError('PATIENT_ALREADY_BOUND');
  if (!(await reserveCardSlot(db, user._id, context.config.patientCardLimit))) {
    throw new AppError('PATIENT_LIMIT_REACHED', `一个账号最多绑定 ${context.config.patientCardLimit} 位就诊人。如需添加，请先解除一位不再需要的就诊人。`);
  }
  const newLink = await claimNewCardLink(context, 'invite').catch(async (error: unknown) => {
    await releaseCardSlot(db, user._id);
    throw error;
  });
  try {
    // One use only: the claim is atomic, so two people racing with the same code cannot both join.
    const claimed = await invitesOf(db).findOneAndUpdate(
      { _id: key, acceptedBy: { $exists: false }, expiresAt: { $gt: now } },
      { $set: { acceptedBy: user._id, acceptedAt: now } },
    );
    if (!claimed) throw new AppError('INVITE_INVALID');
    const link = { _id: linkId(user._id, claimed.patientId), userId: user._id, patientId: claimed.patientId, role: 'manager' as const, relation, via: 'invite' as const, createdAt: now };
    await linksOf(db).insertOne(link);
    await recountStrangerCards(db, user._id, now, context.log);
    await db.collection<UserDoc>('users').updateOne({ _id: user._id, defaultPatientId: { $in: [null] } }, { $set: { defaultPatientId: claimed.patientId } });
    await recordAudit(db, { at: now, actorUserId: user._id, action: 'patient.invite.accept', patientId: claimed.patientId, targetUserId: claimed.invitedBy, requestId: context.requestId });
    const patient = await patientsOf(db).findOne({ _id: claimed.patientId });
    if (!patient) throw new AppError('INVITE_INVALID');
    return { patient, link };
  } catch (error) {
    await releaseCardSlot(db, user._id);
    await newLink.release();
    if (error instanceof MongoServerError && error.code === 11000) throw new AppError('PATIENT_ALREADY_BOUND');
    throw error;
  }
}

export async function revokeManager(context: UserContext, patientId: string, userId: string): Promise<ManagedPatient> {
  const managed = await requireManaged(context, patientId);
  requireOwner(managed, '移除家人');
  const target = parseObjectId(userId);
  if (!target) throw new AppError('NOT_FOUND');
  if (target.equals(context.user._id)) throw new AppError('FORBIDDEN', '不能移除您自己。如不再需要这张就诊卡，请使用“解除绑定”。');
  // Under the patient's lease, so the owner's own unbind cannot count this manager as staying.
  const removed = await withPatientLock(context.db, managed.patient._id, () => linksOf(context.db).findOneAndDelete({ _id: linkId(target, managed.patient._id) }));
  if (!removed) throw new AppError('NOT_FOUND');
  await releaseCardSlot(context.db, target);
  await recountStrangerCards(context.db, target, context.now, context.log);
  await clearDefault(context, target, managed.patient._id);
  await recordAudit(context.db, {
    at: context.now,
    actorUserId: context.user._id,
    action: 'patient.revokeManager',
    patientId: managed.patient._id,
    targetUserId: target,
    requestId: context.requestId,
  });
  return managed;
}

/** Removes the caller's own link; an owner who leaves hands the card to the longest-standing family member. */
export async function unbind(context: UserContext, patientId: string): Promise<void> {
  const { db, user } = context;
  const managed = await requireManaged(context, patientId);
  // Under the patient's lease: no hold can be written between the check and the removal.
  const removed = await withPatientLock(db, managed.patient._id, async () => {
    await assertUnbindable(context, managed);
    return linksOf(db).findOneAndDelete({ _id: managed.link._id });
  });
  if (!removed) throw new AppError('NOT_FOUND');
  await releaseCardSlot(db, user._id);
  await recountStrangerCards(db, user._id, context.now, context.log);
  // The role as deleted, not as read before: the caller may have been made owner in between.
  if (removed.role === 'owner') {
    await handOverOwnership(db, managed.patient._id, context.now);
    await invitesOf(db).deleteMany({ patientId: managed.patient._id, acceptedBy: { $exists: false } });
  }
  await clearDefault(context, user._id, managed.patient._id);
  await recordAudit(db, { at: context.now, actorUserId: user._id, action: 'patient.unbind', patientId: managed.patient._id, requestId: context.requestId });
}

async function clearDefault(context: UserContext, userId: ObjectId, patientId: ObjectId): Promise<void> {
  await context.db.collection<UserDoc>('users').updateOne({ _id: userId, defaultPatientId: patientId }, { $set: { defaultPatientId: null } });
}
