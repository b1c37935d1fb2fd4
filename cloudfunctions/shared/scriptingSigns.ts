// Signs of scripting counted per account (X1): holds before the release instant, sub-second repeats,
// rate-limit refusals, and stranger cards on the account. The hot path only counts in memory; this
// process adds its counts to the store at most every FLUSH_MS (one write per account with a sign, none
// for an account that shows none), and staff read them with admin.scriptingSigns. Counts of a process
// that stops before its next flush are lost: these are signs for a person to look into, not a ledger.
import type { Db, ObjectId } from 'mongodb';
import type { IdentityContext } from './context';
import { namesMatter, SIGN_THRESHOLDS, SUB_SECOND_MS, strangerCards, suspicionScore, type SignCounts } from './domain/scriptingSigns';
import { linksOf, patientsOf } from './patients/patientRepository';

export interface ScriptingSignsDoc extends SignCounts {
  /** The account: `<appid>/<openid>`, as the rate limits count it. */
  _id: string;
  openid: string;
  userId?: ObjectId;
  /** Cards on the account when last looked at. */
  cards: number;
  score: number;
  firstAt: Date;
  lastAt: Date;
}

export const scriptingSignsOf = (db: Db) => db.collection<ScriptingSignsDoc>('scriptingSigns');

export async function ensureScriptingSignsIndexes(db: Db): Promise<void> {
  await scriptingSignsOf(db).createIndex({ lastAt: -1 });
}

/** Real time between flushes; the admin action flushes this process's counts before it reads. */
export const FLUSH_MS = 5000;
/**
 * Accounts each map keeps in memory. More accounts than this showing up between two flushes (a release
 * minute of 200,000 visitors) start a flush early instead of dropping counts; the other maps let go of
 * their oldest entries, those no longer needed first.
 */
export const MAX_ACCOUNTS = 20_000;
/** An account's cards are looked at again after this long (real time): cards change rarely. */
const CARDS_LOOKED_AT_MS = 10 * 60_000;

interface Pending {
  openid: string;
  userId?: ObjectId;
  early: number;
  subSecond: number;
  throttled: number;
  at: Date;
}

interface Tally {
  pending: Map<string, Pending>;
  /** The account's previous request, business time (kept across flushes for the sub-second rule). */
  lastRequest: Map<string, number>;
  /** When each account's cards were last counted (real time), and how many were strangers'. */
  cardsSeen: Map<string, { at: number; cards: number; strangers: number }>;
  lastFlush: number;
  flushing: Promise<void> | null;
}

const tallies = new WeakMap<Db, Tally>();

function tallyOf(db: Db): Tally {
  let tally = tallies.get(db);
  if (!tally) tallies.set(db, (tally = { pending: new Map(), lastRequest: new Map(), cardsSeen: new Map(), lastFlush: Date.now(), flushing: null }));
  return tally;
}

type Caller = Pick<IdentityContext, 'db' | 'identity' | 'now' | 'log'> & { user?: { _id: ObjectId } };

function pendingOf(tally: Tally, context: Caller): Pending {
  const key = `${context.identity.appid}/${context.identity.openid}`;
  let entry = tally.pending.get(key);
  if (!entry) tally.pending.set(key, (entry = { openid: context.identity.openid, early: 0, subSecond: 0, throttled: 0, at: context.now }));
  if (context.user) entry.userId = context.user._id;
  entry.at = context.now;
  return entry;
}

/**
 * One request that a script repeats (a hold, a schedule read): counts a sub-second repeat, and an
 * early hold when `early`. Memory only; starts a flush in the background when one is due.
 */
export function noteRequest(context: Caller, sign: { early?: boolean } = {}): void {
  const tally = tallyOf(context.db);
  const key = `${context.identity.appid}/${context.identity.openid}`;
  const previous = tally.lastRequest.get(key);
  const now = context.now.getTime();
  // Newest last, so the oldest go first when the map is full; only the last second matters to the rule.
  if (previous !== undefined) tally.lastRequest.delete(key);
  else if (tally.lastRequest.size >= MAX_ACCOUNTS) letGoOldest(tally.lastRequest, (at) => now - at >= 0 && now - at < SUB_SECOND_MS);
  tally.lastRequest.set(key, now);
  const entry = pendingOf(tally, context);
  if (previous !== undefined && now - previous >= 0 && now - previous < SUB_SECOND_MS) entry.subSecond += 1;
  if (sign.early) entry.early += 1;
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
  const cards = await countCards(db, tally, batch.map(([, entry]) => entry.userId).filter((id): id is ObjectId => Boolean(id)));
  const writes = [];
  for (const [key, entry] of batch) {
    const seen = entry.userId ? cards.get(entry.userId.toHexString()) : undefined;
    const strangers = seen?.strangers ?? 0;
    if (entry.early + entry.subSecond + entry.throttled === 0 && strangers < SIGN_THRESHOLDS.strangerCards) continue;
    writes.push({ key, entry, seen, strangers });
  }
  if (writes.length === 0) return;
  // The score needs the totals: read the accounts' records once, then write each with its new totals.
  const known = new Map((await scriptingSignsOf(db).find({ _id: { $in: writes.map((write) => write.key) } }).toArray()).map((doc) => [doc._id, doc]));
  await scriptingSignsOf(db).bulkWrite(
    writes.map(({ key, entry, seen, strangers }) => {
      const before = known.get(key);
      const totals = {
        early: (before?.early ?? 0) + entry.early,
        subSecond: (before?.subSecond ?? 0) + entry.subSecond,
        throttled: (before?.throttled ?? 0) + entry.throttled,
        strangerCards: seen ? strangers : (before?.strangerCards ?? 0),
      };
      return {
        updateOne: {
          filter: { _id: key },
          update: {
            $inc: { early: entry.early, subSecond: entry.subSecond, throttled: entry.throttled },
            $set: { strangerCards: totals.strangerCards, cards: seen?.cards ?? before?.cards ?? 0, score: suspicionScore(totals), lastAt: entry.at, openid: entry.openid, ...(entry.userId ? { userId: entry.userId } : {}) },
            $setOnInsert: { firstAt: entry.at },
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

/** Cards and stranger cards of these accounts, from memory when counted lately, else in one or two reads for all. */
async function countCards(db: Db, tally: Tally, userIds: ObjectId[]): Promise<Map<string, { cards: number; strangers: number }>> {
  const now = Date.now();
  const counted = new Map<string, { cards: number; strangers: number }>();
  const stale: ObjectId[] = [];
  for (const id of userIds) {
    const seen = tally.cardsSeen.get(id.toHexString());
    if (seen && now - seen.at <= CARDS_LOOKED_AT_MS) counted.set(id.toHexString(), seen);
    else stale.push(id);
  }
  if (stale.length === 0) return counted;
  const links = await linksOf(db).find({ userId: { $in: stale } }, { projection: { _id: 0, userId: 1, patientId: 1, relation: 1 } }).toArray();
  const heldBy = new Map<string, typeof links>();
  for (const link of links) {
    const key = link.userId.toHexString();
    if (!heldBy.has(key)) heldBy.set(key, []);
    heldBy.get(key)!.push(link);
  }
  // Names only where they can change the count: a crowd of one-card accounts costs one read, not two.
  const named = [...heldBy.values()].filter((held) => namesMatter(held.map((link) => link.relation))).flat();
  const names = new Map<string, string>();
  if (named.length > 0) {
    for (const patient of await patientsOf(db).find({ _id: { $in: named.map((link) => link.patientId) } }, { projection: { name: 1 } }).toArray()) names.set(patient._id.toHexString(), patient.name);
  }
  for (const userId of stale) {
    const key = userId.toHexString();
    const held = (heldBy.get(key) ?? []).map((link) => ({ name: names.get(link.patientId.toHexString()) ?? '', relation: link.relation }));
    const seen = { at: now, cards: held.length, strangers: strangerCards(held) };
    counted.set(key, seen);
    tally.cardsSeen.delete(key);
    if (tally.cardsSeen.size >= MAX_ACCOUNTS) letGoOldest(tally.cardsSeen, (older) => now - older.at <= CARDS_LOOKED_AT_MS);
    tally.cardsSeen.set(key, seen);
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
