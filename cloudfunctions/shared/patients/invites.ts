// Family invitations: an 8-character one-time code, valid 24 hours, stored only as a hash.
import { createHash, randomInt } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';

export const INVITE_TTL_MS = 24 * 60 * 60 * 1000;
// No 0/O, 1/I/L: the code is read aloud and typed by older people.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const INVITE_CODE_PATTERN = /^[2-9A-HJKMNP-Z]{8}$/;
export const INVITE_CODE_CHARACTERS_MESSAGE = '邀请码里不会有数字 0、1 和字母 O、I、L，请再核对一下是不是看成了相近的字。';

export interface InviteDoc {
  /** SHA-256 of the code: a leaked database does not hand out working invitations. */
  _id: string;
  patientId: ObjectId;
  invitedBy: ObjectId;
  createdAt: Date;
  expiresAt: Date;
  acceptedBy?: ObjectId;
  acceptedAt?: Date;
}

export const invitesOf = (db: Db) => db.collection<InviteDoc>('invites');

export function newInviteCode(): string {
  return Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** What people type: spaces, dashes and lower case are forgiven. */
export function normaliseInviteCode(raw: string): string {
  return raw.replace(/[\s-]/g, '').toUpperCase();
}

export function inviteKey(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export async function ensureInviteIndexes(db: Db): Promise<void> {
  await invitesOf(db).createIndex({ patientId: 1 });
}
