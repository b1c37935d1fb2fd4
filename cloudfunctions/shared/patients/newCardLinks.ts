// At most PATIENT_BINDS_PER_30_DAYS new card links per account in any 30 days (P2, X1): binds, invite
// accepts and proof joins alike. Counted from a durable record, not from the account's current links,
// which an unbind would erase. The record is one "slot" document per allowed link
// (`<userId>:<n>`, n < limit) holding when it was last used; a new link claims a slot used more than
// 30 days ago (or never) in one atomic update, so parallel binds from one account cannot pass together.
import { MongoServerError, ObjectId, type Db } from 'mongodb';
import type { UserContext } from '../context';
import { checkNewCardLink, NEW_CARD_WINDOW_MS } from '../domain/accountLimits';
import { AppError } from '../errors';

export type NewCardVia = 'bind' | 'invite' | 'proof';

interface NewCardSlotDoc {
  _id: string;
  userId: ObjectId;
  /** When this slot was last used for a new link. */
  at: Date;
  via: NewCardVia;
  /** Which claim wrote it, so only that claim can give it back. */
  claim: ObjectId;
}

export interface NewCardLink {
  /** Gives the slot back when the link was not made after all (HIS refusal, card limit, a race). */
  release(): Promise<void>;
}

const slotsOf = (db: Db) => db.collection<NewCardSlotDoc>('newCardLinks');
const slotIds = (userId: ObjectId, limit: number) => Array.from({ length: limit }, (_, n) => `${userId.toHexString()}:${n}`);

/** Claims one new card link for the caller, or throws NEW_CARD_LIMIT saying when the next one is possible. */
export async function claimNewCardLink(context: UserContext, via: NewCardVia): Promise<NewCardLink> {
  const { db, now, user } = context;
  const limit = context.config.patientBindsPer30Days;
  const since = new Date(now.getTime() - NEW_CARD_WINDOW_MS);
  const claim = new ObjectId();
  for (const _id of slotIds(user._id, limit)) {
    try {
      const before = await slotsOf(db).findOneAndUpdate({ _id, at: { $lte: since } }, { $set: { userId: user._id, at: now, via, claim } }, { upsert: true, returnDocument: 'before' });
      return { release: () => giveBack(db, _id, claim, before) };
    } catch (error) {
      // The slot exists and was used within 30 days: the upsert's insert met it.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
  }
  const used = await slotsOf(db).find({ _id: { $in: slotIds(user._id, limit) } }).toArray();
  const verdict = checkNewCardLink({ recent: used.map((slot) => slot.at), limit, now, timeZone: context.config.timeZone });
  // A slot given back by a failed bind a moment ago: the person simply tries again.
  if (verdict.ok) throw new AppError('CONFLICT');
  throw new AppError(verdict.code, verdict.message);
}

async function giveBack(db: Db, _id: string, claim: ObjectId, before: NewCardSlotDoc | null): Promise<void> {
  if (!before) {
    await slotsOf(db).deleteOne({ _id, claim });
    return;
  }
  await slotsOf(db).updateOne({ _id, claim }, { $set: { at: before.at, via: before.via, claim: before.claim } });
}
