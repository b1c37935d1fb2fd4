// When a card's owner leaves, the longest-standing family member becomes its owner. The next owner
// is chosen from a read, and that member may leave at the same moment: each write is conditional on
// what was read, and a member who left in between is passed over for the next one.
import type { Db, ObjectId } from 'mongodb';
import { linkId, linksOf, patientsOf, type PatientLinkDoc } from './patientRepository';

const ATTEMPTS = 5;

/** The member next in line (the earliest link left), or null when nobody manages the card any more. */
export async function nextOwner(db: Db, patientId: ObjectId): Promise<PatientLinkDoc | null> {
  const [next] = await linksOf(db).find({ patientId }).sort({ createdAt: 1, _id: 1 }).limit(1).toArray();
  return next ?? null;
}

/**
 * Makes `next` the owner in place of `from`: the card first, only while `from` still owns it, then the
 * member's link, only while it still exists. Returns false when `from` no longer owns the card, or when
 * `next` left in between (the card then names `next`, and handOverOwnership hands it on from there).
 */
export async function transferOwnership(db: Db, patientId: ObjectId, from: ObjectId | null, next: PatientLinkDoc | null, now: Date): Promise<boolean> {
  const moved = await patientsOf(db).updateOne({ _id: patientId, ownerUserId: from }, { $set: { ownerUserId: next?.userId ?? null, updatedAt: now } });
  if (moved.matchedCount === 0 || !next) return moved.matchedCount === 1;
  const promoted = await linksOf(db).updateOne({ _id: next._id }, { $set: { role: 'owner' } });
  return promoted.matchedCount === 1;
}

/**
 * Until the card's owner is a member who still manages it: hands it from the owner as read to the
 * member next in line. Called after an owner left; also heals a hand-over whose chosen member left
 * at the same moment (the card then names someone without a link).
 */
export async function handOverOwnership(db: Db, patientId: ObjectId, now: Date): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const card = await patientsOf(db).findOne({ _id: patientId }, { projection: { ownerUserId: 1 } });
    if (!card) return;
    const owner = card.ownerUserId;
    if (owner && (await linksOf(db).countDocuments({ _id: linkId(owner, patientId) }, { limit: 1 })) === 1) return;
    const next = await nextOwner(db, patientId);
    if (!next && owner === null) return;
    if (await transferOwnership(db, patientId, owner, next, now)) return;
  }
}
