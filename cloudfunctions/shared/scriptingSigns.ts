// Signs of scripting counted per account (X1): holds before the release instant, sub-second repeats,
// rate-limit refusals, and stranger cards on the account. The hot path only counts in memory; this
// process adds its counts to the store at most every FLUSH_MS (one write per account with a sign, none
// for an account that shows none), and staff read them with admin.scriptingSigns. Counts of a process
// that stops before its next flush are lost: these are signs for a person to look into, not a ledger.
// Stranger cards change only when the account's cards do: they are counted then (recountStrangerCards),
// never on a request.
import type { Db, ObjectId } from 'mongodb';
import type { IdentityContext } from './context';
import { namesMatter, SIGN_THRESHOLDS, SUB_SECOND_MS, strangerCards, suspicionScore, type SignCounts } from './domain/scriptingSigns';
import { identityKey } from './identity';
import type { Logger } from './log';
import { linksOf, patientsOf } from './patients/patientRepository';
import type { IdentityDoc } from './users/userRepository';

export interface ScriptingSignsDoc extends SignCounts {
  /** The account: `<appid>/<openid>`, as the rate limits count it. */
  _id: string;
  openid: string;
  userId?: ObjectId;
  /** Cards on the account when they last changed (or when its first sign was counted). */
  cards: number;
  score: number;
  firstAt: Date;
  /** When a sign was last counted, or the account's cards last changed. */
  lastAt: Date;
}

export const scriptingSignsOf = (db: Db) => db.collection<ScriptingSignsDoc>('scriptingSigns');

export async function ensureScriptingSignsIndexes(db: Db): Promise<void> {
  await scriptingSignsOf(db).createIndex({ lastAt: -1 });
}

/** Real time between flushes; the admin action flushes this process's counts before it reads. */
export const FLUSH_MS = 5000;
/**
 * Accounts each map keeps in memory. More accounts with a sign than this between two flushes start a flush
 * early instead of dropping counts; the map of last requests (every account seen, 200,000 in a busy release
 * minute) lets go of its oldest entries, those no longer needed first.
 */
export const MAX_ACCOUNTS = 20_000;

interface Pending {
  openid: string;
  userId?: ObjectId;
  early: number;
  subSecond: number;
  throttled: number;
  at: Date;
}

interface Tally {
  /** Accounts with a sign since the last flush. */
  pending: Map<string, Pending>;
  /** The account's previous request, business time (kept across flushes for the sub-second rule). */
  lastRequest: Map<string, number>;
  lastFlush: number;
  flushing: Promise<void> | null;
}

const tallies = new WeakMap<Db, Tally>();

function tallyOf(db: Db): Tally {
  let tally = tallies.get(db);
  if (!tally) tallies.set(db, (tally = { pending: new Map(), lastRequest: new Map(), lastFlush: Date.now(), flushing: null }));
  return tally;
}

type Caller = Pick<IdentityContext, 'db' | 'identity' | 'now' | 'log'> & { user?: { _id: ObjectId } };

const accountKey = (context: Caller) => identityKey(context.identity);

function pendingOf(tally: Tally, context: Caller, key = accountKey(context)): Pending {
  let entry = tally.pending.get(key);
  if (!entry) tally.pending.set(key, (entry = { openid: context.identity.openid, early: 0, subSecond: 0, throttled: 0, at: context.now }));
  if (context.user) entry.userId = context.user._id;
  entry.at = context.now;
  return entry;
}

/**
 * One request that a script repeats (a hold, a schedule read): counts a sub-second repeat, and an
 * early hold when `early`. Memory only, and only the request's time for an account showing no sign;
 * starts a flush in the background when one is due.
 */
export function noteRequest(context: Caller, sign: { early?: boolean } = {}): void {
  const tally = tallyOf(context.db);
  const key = accountKey(context);
  const previous = tally.lastRequest.get(key);
  const now = context.now.getTime();
  // Newest last, so the oldest go first when the map is full; only the last second matters to the rule.
  if (previous !== undefined) tally.lastRequest.delete(key);
  else if (tally.lastRequest.size >= MAX_ACCOUNTS) letGoOldest(tally.lastRequest, (at) => now - at >= 0 && now - at < SUB_SECOND_MS);
  tally.lastRequest.set(key, now);
  const subSecond = previous !== undefined && now - previous >= 0 && now - previous < SUB_SECOND_MS;
  if (subSecond || sign.early) {
    const entry = pendingOf(tally, context, key);
    if (subSecond) entry.subSecond += 1;
    if (sign.early) entry.early += 1;
  }
  flushWhenDue(context, tally);
}

/** A request refused by a rate limit (counted from the refusal, memory only). */
export function noteThrottled(context: Caller): void {
  const tally = tallyOf(context.db);
  pendingOf(tally, context).throttled += 1;
  flushWhenDue(context, tally);
}

function flushWhenDue(context: Caller, tally: Tally): void {
  if (tally.flushing || (Date.now() - tally.lastFlush < FLUSH_MS && tally.pending.size < MAX_ACCOUNTS)) return;
  flushScriptingSigns(context.db).catch((error: unknown) => context.log.warn('scripting signs not flushed', { error: String(error) }));
}

/** Adds this process's counts to the store (and finishes a flush under way first). */
export async function flushScriptingSigns(db: Db): Promise<void> {
  const tally = tallyOf(db);
  while (tally.flushing) await tally.flushing;
  tally.flushing = writePending(db, tally).finally(() => {
    tally.flushing = null;
    tally.lastFlush = Date.now();
  });
  await tally.flushing;
}

async function writePending(db: Db, tally: Tally): Promise<void> {
  const batch = [...tally.pending.entries()];
  tally.pending.clear();
  if (batch.length === 0) return;
  // The score needs the totals: read the accounts' records once, then write each with its new totals.
  const known = new Map((await scriptingSignsOf(db).find({ _id: { $in: batch.map(([key]) => key) } }).toArray()).map((doc) => [doc._id, doc]));
  // An account's first record carries its cards, counted now; later ones keep what its card changes counted.
  const counted = await countCards(db, batch.filter(([key, entry]) => !known.has(key) && entry.userId).map(([, entry]) => entry.userId!));
  await scriptingSignsOf(db).bulkWrite(
    batch.map(([key, entry]) => {
      const before = known.get(key);
      const cards = entry.userId && !before ? counted.get(entry.userId.toHexString()) : undefined;
      const totals = {
        early: (before?.early ?? 0) + entry.early,
        subSecond: (before?.subSecond ?? 0) + entry.subSecond,
        throttled: (before?.throttled ?? 0) + entry.throttled,
        strangerCards: before?.strangerCards ?? cards?.strangers ?? 0,
      };
      return {
        updateOne: {
          filter: { _id: key },
          update: {
            $inc: { early: entry.early, subSecond: entry.subSecond, throttled: entry.throttled },
            $set: { score: suspicionScore(totals), lastAt: entry.at, openid: entry.openid, ...(entry.userId ? { userId: entry.userId } : {}) },
            $setOnInsert: { firstAt: entry.at, strangerCards: cards?.strangers ?? 0, cards: cards?.cards ?? 0 },
          },
          upsert: true,
        },
      };
    }),
    // Staff's diagnostics, not records: answered once applied, journaled a moment later (MongoDB's `j: false`),
    // so a flush of thousands of accounts does not make the requests behind it wait for a disk sync.
    { ordered: false, writeConcern: { w: 1, j: false } },
  );
}

/**
 * After an account's cards changed (a card bound, joined, left or taken away, ownership moved): counts its
 * stranger cards again and keeps the count on the record of each of its identities, creating the record when
 * the count reaches its threshold. Never fails the change itself: a count not written waits for the next change.
 */
export async function recountStrangerCards(db: Db, userId: ObjectId, now: Date, log: Logger): Promise<void> {
  try {
    const seen = (await countCards(db, [userId])).get(userId.toHexString()) ?? { cards: 0, strangers: 0 };
    const identities = await db.collection<IdentityDoc>('identities').find({ userId }, { projection: { openid: 1 } }).toArray();
    const records = await scriptingSignsOf(db).find({ _id: { $in: identities.map((identity) => identity._id) } }).toArray();
    for (const identity of identities) {
      const before = records.find((record) => record._id === identity._id);
      if (!before && seen.strangers < SIGN_THRESHOLDS.strangerCards) continue;
      const totals = { early: before?.early ?? 0, subSecond: before?.subSecond ?? 0, throttled: before?.throttled ?? 0, strangerCards: seen.strangers };
      await scriptingSignsOf(db).updateOne(
        { _id: identity._id },
        {
          $set: { strangerCards: seen.strangers, cards: seen.cards, score: suspicionScore(totals), lastAt: now, openid: identity.openid, userId },
          $setOnInsert: { firstAt: now, early: 0, subSecond: 0, throttled: 0 },
        },
        { upsert: true },
      );
    }
  } catch (error) {
    log.warn('stranger cards not counted', { userId: userId.toHexString(), error: String(error) });
  }
}

/** Cards and stranger cards of these accounts, in one read of their links (and one of names, where names matter). */
async function countCards(db: Db, userIds: ObjectId[]): Promise<Map<string, { cards: number; strangers: number }>> {
  const counted = new Map<string, { cards: number; strangers: number }>();
  if (userIds.length === 0) return counted;
  const links = await linksOf(db).find({ userId: { $in: userIds } }, { projection: { _id: 0, userId: 1, patientId: 1, relation: 1 } }).toArray();
  const heldBy = new Map<string, typeof links>();
  for (const link of links) {
    const key = link.userId.toHexString();
    if (!heldBy.has(key)) heldBy.set(key, []);
    heldBy.get(key)!.push(link);
  }
  // Names only where they can change the count (most accounts hold a card or two).
  const named = [...heldBy.values()].filter((held) => namesMatter(held.map((link) => link.relation))).flat();
  const names = new Map<string, string>();
  if (named.length > 0) {
    for (const patient of await patientsOf(db).find({ _id: { $in: named.map((link) => link.patientId) } }, { projection: { name: 1 } }).toArray()) names.set(patient._id.toHexString(), patient.name);
  }
  for (const userId of userIds) {
    const key = userId.toHexString();
    const held = (heldBy.get(key) ?? []).map((link) => ({ name: names.get(link.patientId.toHexString()) ?? '', relation: link.relation }));
    counted.set(key, { cards: held.length, strangers: strangerCards(held) });
  }
  return counted;
}

/** Makes room in a full map (oldest first in its order): lets go of the oldest entries no longer needed, or of the oldest one. */
function letGoOldest<V>(map: Map<string, V>, stillNeeded: (value: V) => boolean): void {
  for (const [key, value] of map) {
    if (stillNeeded(value)) break;
    map.delete(key);
  }
  if (map.size >= MAX_ACCOUNTS) map.delete(map.keys().next().value as string);
}

/** Accounts with a sign over its threshold seen since `since`, most suspicious first. */
export function suspiciousAccounts(db: Db, since: Date, limit: number): Promise<ScriptingSignsDoc[]> {
  return scriptingSignsOf(db).find({ lastAt: { $gte: since }, score: { $gt: 0 } }).sort({ score: -1, lastAt: -1 }).limit(limit).toArray();
}
