// What each person chose in the subscription prompt, per template, and the quota that follows: a one-time
// template allows one message per accepted prompt; a long-term one every message until turned off. The outbox
// spends quota before it sends, so a person never gets more WeChat notices than they agreed to.
import type { Db, ObjectId } from 'mongodb';
import type { ConsentResult } from './messageSender';
import type { TemplateKind } from './templates';

export interface ConsentDoc {
  /** `${userId}:${templateId}`. */
  _id: string;
  userId: ObjectId;
  /** The mini program openid the person consented from: the one WeChat delivers to. */
  openid: string;
  templateId: string;
  kind: TemplateKind;
  last: ConsentResult;
  /** One-time messages still allowed (one-time templates). */
  quota: number;
  /** Long-term: on until the person rejects, bans or turns it off. */
  longTerm: boolean;
  updatedAt: Date;
}

export const consentsOf = (db: Db) => db.collection<ConsentDoc>('messageConsents');

export async function ensureConsentIndexes(db: Db): Promise<void> {
  await consentsOf(db).createIndex({ userId: 1 });
}

const consentId = (userId: ObjectId, templateId: string) => `${userId.toHexString()}:${templateId}`;

/** Records one prompt's result: accept adds a one-time message or turns a long-term template on; reject and ban turn it off. */
export async function recordConsent(db: Db, input: { userId: ObjectId; openid: string; templateId: string; kind: TemplateKind; result: ConsentResult; now: Date }): Promise<ConsentDoc> {
  const accepted = input.result === 'accept';
  const refused = input.result === 'reject' || input.result === 'ban';
  const update =
    input.kind === 'once'
      ? { $inc: { quota: accepted ? 1 : 0 }, $set: { longTerm: false } }
      : { $set: { quota: 0, ...(accepted ? { longTerm: true } : refused ? { longTerm: false } : {}) } };
  const doc = await consentsOf(db).findOneAndUpdate(
    { _id: consentId(input.userId, input.templateId) },
    {
      ...update,
      $set: { ...update.$set, userId: input.userId, openid: input.openid, templateId: input.templateId, kind: input.kind, last: input.result, updatedAt: input.now },
      ...(input.kind === 'long' && !accepted && !refused ? { $setOnInsert: { longTerm: false } } : {}),
    },
    { upsert: true, returnDocument: 'after' },
  );
  return doc!;
}

/**
 * Takes the right to send one message with this template: a long-term consent that is on, or one unit of a
 * one-time quota (spent here, atomically). The openid to send to, or null: no consent, no WeChat notice.
 */
export async function takeQuota(db: Db, userId: ObjectId, templateId: string): Promise<string | null> {
  const id = consentId(userId, templateId);
  const longTerm = await consentsOf(db).findOne({ _id: id, longTerm: true });
  if (longTerm) return longTerm.openid;
  const spent = await consentsOf(db).findOneAndUpdate({ _id: id, quota: { $gt: 0 } }, { $inc: { quota: -1 } }, { returnDocument: 'after' });
  return spent?.openid ?? null;
}

/** WeChat answered 43101: whatever we thought, the person has no quota left for this template. */
export async function forgetQuota(db: Db, userId: ObjectId, templateId: string): Promise<void> {
  await consentsOf(db).updateOne({ _id: consentId(userId, templateId) }, { $set: { quota: 0, longTerm: false } });
}

/** The caller's consents, for 消息设置. */
export async function consentsFor(db: Db, userId: ObjectId): Promise<ConsentDoc[]> {
  return consentsOf(db).find({ userId }).toArray();
}
