// Hospital users and the WeChat identities (openid per app, unionid across apps) that lead to them.
import { MongoServerError, ObjectId, type Db } from 'mongodb';
import { identityKey, type WxIdentity } from '../identity';

export type Role = 'admin';

export interface UserDoc {
  _id: ObjectId;
  unionid?: string;
  roles: Role[];
  preferences: { elderMode: boolean | null };
  /** Patient cards linked to this account; reserved before a link is made so the limit holds under concurrency. */
  patientCount?: number;
  /** Bumped by every change of patientCount, so a recount can tell its read went stale (cardSlots.ts). */
  patientCountVersion?: number;
  defaultPatientId?: ObjectId | null;
  /** The privacy notice this person agreed to before adding cards (domain/privacyNotice.ts); absent: never. */
  privacy?: { version: string; agreedAt: Date };
  createdAt: Date;
  updatedAt: Date;
  lastLoginAt: Date;
}

/** One WeChat app's openid for one user; `_id` is `<appid>/<openid>`. */
export interface IdentityDoc {
  _id: string;
  userId: ObjectId;
  appid: string;
  openid: string;
  createdAt: Date;
}

export interface UserProfile {
  id: string;
  roles: Role[];
  preferences: { elderMode: boolean | null };
  /** The privacy notice version agreed to, and when; nulls until the person agrees. */
  privacy: { agreedVersion: string | null; agreedAt: string | null };
  createdAt: string;
}

export function toProfile(user: UserDoc): UserProfile {
  return {
    id: user._id.toHexString(),
    roles: user.roles,
    preferences: { elderMode: user.preferences.elderMode },
    privacy: { agreedVersion: user.privacy?.version ?? null, agreedAt: user.privacy?.agreedAt.toISOString() ?? null },
    createdAt: user.createdAt.toISOString(),
  };
}

export async function ensureUserIndexes(db: Db): Promise<void> {
  await db.collection<UserDoc>('users').createIndex(
    { unionid: 1 },
    { unique: true, partialFilterExpression: { unionid: { $type: 'string' } }, name: 'unionid_unique' },
  );
  await db.collection<IdentityDoc>('identities').createIndex({ userId: 1 });
}

/**
 * An identity's link to its user never changes once made (claimed with $setOnInsert below, never updated
 * or removed), so this process remembers it: a call then reads only the user document, one round trip
 * instead of two, or nothing when the account's id is all it needs (findAccountId). Per store, so two test
 * runtimes never share it.
 */
const knownLinks = new WeakMap<Db, Map<string, ObjectId>>();
const MAX_KNOWN_LINKS = 100_000;

export async function findUserByIdentity(db: Db, identity: WxIdentity): Promise<UserDoc | null> {
  const userId = await findAccountId(db, identity);
  return userId && db.collection<UserDoc>('users').findOne({ _id: userId });
}

/** The account an identity is linked to: read once, then remembered (a link never changes its account). */
export async function findAccountId(db: Db, identity: WxIdentity): Promise<ObjectId | null> {
  const key = identityKey(identity);
  let links = knownLinks.get(db);
  if (!links) knownLinks.set(db, (links = new Map()));
  let userId = links.get(key);
  if (!userId) {
    const link = await db.collection<IdentityDoc>('identities').findOne({ _id: key });
    if (!link) return null;
    if (links.size >= MAX_KNOWN_LINKS) links.clear();
    links.set(key, (userId = link.userId));
  }
  return userId;
}

/**
 * Finds or creates the hospital user for an identity. Safe to run concurrently for the same person
 * and safe to re-run after a crash between its steps: the identity link is claimed first with an
 * atomic upsert, and the user document is (re)created from the link if it is missing.
 */
export async function loginUser(db: Db, identity: WxIdentity, options: { now: Date; grantAdmin: boolean }): Promise<UserDoc> {
  const users = db.collection<UserDoc>('users');
  const identities = db.collection<IdentityDoc>('identities');
  const key = identityKey(identity);

  let link = await identities.findOne({ _id: key });
  if (!link) {
    const sibling = identity.unionid ? await users.findOne({ unionid: identity.unionid }, { projection: { _id: 1 } }) : null;
    link = await identities.findOneAndUpdate(
      { _id: key },
      { $setOnInsert: { userId: sibling?._id ?? new ObjectId(), appid: identity.appid, openid: identity.openid, createdAt: options.now } },
      { upsert: true, returnDocument: 'after' },
    );
  }
  if (!link) throw new Error('identity upsert returned no document');

  const user = await upsertUser(db, link.userId, options);
  if (identity.unionid && !user.unionid) return linkUnionid(db, user, identity.unionid);
  return user;
}

async function upsertUser(db: Db, userId: ObjectId, options: { now: Date; grantAdmin: boolean }): Promise<UserDoc> {
  const users = db.collection<UserDoc>('users');
  const run = () =>
    users.findOneAndUpdate(
      { _id: userId },
      {
        $setOnInsert: { preferences: { elderMode: null }, createdAt: options.now },
        $set: { lastLoginAt: options.now, updatedAt: options.now },
        $addToSet: { roles: { $each: options.grantAdmin ? (['admin'] as Role[]) : [] } },
      },
      { upsert: true, returnDocument: 'after' },
    );
  // Two first logins racing on a real MongoDB may both try the insert; the loser simply reads.
  const user = await run().catch((error: unknown) => {
    if (error instanceof MongoServerError && error.code === 11000) return run();
    throw error;
  });
  if (!user) throw new Error('user upsert returned no document');
  // The role follows ADMIN_OPENIDS: staff taken off the list lose it at their next login.
  if (!options.grantAdmin && user.roles.includes('admin')) {
    return (await users.findOneAndUpdate({ _id: userId }, { $pull: { roles: 'admin' } }, { returnDocument: 'after' })) ?? user;
  }
  return user;
}

async function linkUnionid(db: Db, user: UserDoc, unionid: string): Promise<UserDoc> {
  try {
    const linked = await db
      .collection<UserDoc>('users')
      .findOneAndUpdate({ _id: user._id, unionid: { $exists: false } }, { $set: { unionid } }, { returnDocument: 'after' });
    return linked ?? user;
  } catch (error) {
    // The unionid already belongs to another user (both accounts predate unionid): keep them apart.
    if (error instanceof MongoServerError && error.code === 11000) return user;
    throw error;
  }
}

export async function setElderMode(db: Db, userId: ObjectId, elderMode: boolean | null, now: Date): Promise<UserDoc | null> {
  return db
    .collection<UserDoc>('users')
    .findOneAndUpdate({ _id: userId }, { $set: { 'preferences.elderMode': elderMode, updatedAt: now } }, { returnDocument: 'after' });
}

/** Records that the person agreed to this version of the privacy notice (the latest agreement counts). */
export async function agreePrivacy(db: Db, userId: ObjectId, version: string, now: Date): Promise<UserDoc | null> {
  return db
    .collection<UserDoc>('users')
    .findOneAndUpdate({ _id: userId }, { $set: { privacy: { version, agreedAt: now }, updatedAt: now } }, { returnDocument: 'after' });
}
