// Pending proofs of the phone on record: a one-time SMS code per proof, stored only as a keyed hash, and
// per-phone send history (blind-indexed) for the 60-second gap and the daily allowance (domain/phoneCode.ts).
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { MongoServerError, type Db, type ObjectId } from 'mongodb';
import { decideSend, PHONE_CODE_RULES, recentSends } from '../domain/phoneCode';
import type { Relation } from '../domain/patientSchemas';
import { AppError } from '../errors';

/** What a code proves: the phone for joining a card (stored without `purpose`), or the owner's new phone for a card. */
export type ProofPurpose = 'bind' | 'phone_change';

export interface PhoneProofDoc {
  _id: ObjectId;
  purpose?: 'phone_change';
  /** The account that asked for the code; nobody else can use it. */
  userId: ObjectId;
  /** The card whose phone on record received the code; null for a person new here, or when the details matched no card (nothing was sent). */
  patientId: ObjectId | null;
  /**
   * A person new here: the add-card form (ID number and phone included), sealed with context.pii, so the card
   * can be made once the code comes back. Absent for a known person.
   */
  newPersonSealed?: string;
  /** A phone change: the new phone, sealed with context.pii, written to the card (`patientId`) once the code comes back. */
  newPhoneSealed?: string;
  /** Blind index of the phone the caller typed. */
  phoneKey: string;
  relation: Relation;
  /** HMAC(phoneCodeKey, proof id + code): a copied database hands out no working codes. */
  codeHash: string;
  tries: number;
  createdAt: Date;
  expiresAt: Date;
  usedAt?: Date;
}

interface PhoneSendsDoc {
  /** Blind index of the phone. */
  _id: string;
  sentAt: Date[];
  version: number;
  expiresAt: Date;
}

export const proofsOf = (db: Db) => db.collection<PhoneProofDoc>('phoneProofs');
const sendsOf = (db: Db) => db.collection<PhoneSendsDoc>('phoneCodeSends');

export async function ensurePhoneProofIndexes(db: Db): Promise<void> {
  await proofsOf(db).createIndex({ userId: 1 });
  await proofsOf(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 24 * 60 * 60 });
  await sendsOf(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
}

export function newPhoneCode(): string {
  return String(randomInt(0, 10 ** PHONE_CODE_RULES.length)).padStart(PHONE_CODE_RULES.length, '0');
}

export function phoneCodeHash(key: Buffer, proofId: ObjectId, code: string): string {
  return createHmac('sha256', key).update(`phone-code|v1|${proofId.toHexString()}|${code}`).digest('hex');
}

export function phoneCodeMatches(key: Buffer, proof: PhoneProofDoc, code: string): boolean {
  const expected = Buffer.from(proof.codeHash, 'hex');
  const given = Buffer.from(phoneCodeHash(key, proof._id, code), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Counts one code to this phone, or refuses with the wait. Optimistic: the history is replaced only if
 * nobody changed it meanwhile, so two parallel requests cannot both slip under the 60-second gap.
 */
export async function reservePhoneSend(db: Db, phoneKey: string, now: Date): Promise<void> {
  const history = await sendsOf(db).findOne({ _id: phoneKey });
  const decision = decideSend(history?.sentAt ?? [], now);
  if (!decision.ok) {
    if (decision.reason === 'daily_limit') throw new AppError('PROOF_CODE_DAILY_LIMIT');
    throw new AppError('PROOF_CODE_TOO_SOON', `验证码刚刚发出，请 ${decision.waitSeconds} 秒后再重新获取。`);
  }
  const sentAt = [...recentSends(history?.sentAt ?? [], now), now];
  const expiresAt = new Date(now.getTime() + PHONE_CODE_RULES.dayMs);
  if (history) {
    const { modifiedCount } = await sendsOf(db).updateOne({ _id: phoneKey, version: history.version }, { $set: { sentAt, expiresAt }, $inc: { version: 1 } });
    if (modifiedCount === 1) return;
  } else {
    try {
      await sendsOf(db).insertOne({ _id: phoneKey, sentAt, version: 1, expiresAt });
      return;
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
  }
  throw new AppError('PROOF_CODE_TOO_SOON');
}
