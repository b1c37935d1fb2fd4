// Rate limits where a person never reaches them and a script always does (X1). Counted in the store
// (one counter per rule and subject, its window opened by the first attempt), so they hold across
// instances and processes. A hold may defer its first attempts' writes (`deferUpTo`): a tap and a retry cost none.
import { MongoServerError, type Db } from 'mongodb';
import type { Context, IdentityContext } from './context';
import { AppError } from './errors';
import { identityKey } from './identity';
import { noteThrottled } from './scriptingSigns';

export interface RateRule {
  /** Stable name, part of the counter's key (e.g. 'bind.openid'). */
  name: string;
  /** At most this many attempts per window... */
  limit: number;
  /** ...of this many milliseconds. */
  windowMs: number;
  /** What the person is told instead of the general sentence; `{wait}` becomes "30 秒" / "2 分钟". */
  sentence?: string;
}

/**
 * The numbers, chosen from what a person can do: an elder who mistypes an ID three times and tries
 * again slowly stays far below each; a script polling every 500 ms meets each within a minute.
 * README "Rate limits" lists them.
 */
export const RATE_RULES = {
  /** Binding a card (`bind`) per account. */
  bindPerUser: { name: 'bind.user', limit: 10, windowMs: 10 * 60_000 },
  /** The same from one client address (several accounts on one machine). */
  bindPerAddress: { name: 'bind.address', limit: 30, windowMs: 10 * 60_000 },
  /**
   * Proving the typed phone (SMS code requests and checks, WeChat phone check) per account and per address: every
   * card bound by ID takes a code request and a check, so a family binding three cards with a mistyped code or
   * two needs about ten (the codes themselves are limited per phone: 60 s apart, 5 a day, 5 tries each).
   */
  proofPerUser: { name: 'proof.user', limit: 20, windowMs: 10 * 60_000 },
  proofPerAddress: { name: 'proof.address', limit: 60, windowMs: 10 * 60_000 },
  /** Invite codes tried per account and per address (8 characters: guessing needs millions of tries). */
  acceptPerUser: { name: 'accept.user', limit: 10, windowMs: 10 * 60_000 },
  acceptPerAddress: { name: 'accept.address', limit: 30, windowMs: 10 * 60_000 },
  /** Holds per account and per card: a person books a few places a minute at most. */
  holdPerUser: { name: 'hold.user', limit: 20, windowMs: 60_000 },
  holdPerPatient: { name: 'hold.patient', limit: 10, windowMs: 60_000 },
  /**
   * The same hold sent again (its `requestId` already answered: a phone retrying after a lost answer, an
   * entrant asking for a draw's result) per account: not a new attempt, so not in the budgets above, but a
   * loop re-sending one request is still stopped.
   */
  holdResendPerUser: { name: 'holdResend.user', limit: 30, windowMs: 60_000 },
  /** Self check-ins per account (a family checks in a few people a day). */
  checkInPerUser: { name: 'checkin.user', limit: 10, windowMs: 60_000 },
  /** A card's 爽约 record read per account (opened with the card's detail page, a few times a minute at most). */
  noShowRecordPerUser: { name: 'noShowRecord.user', limit: 30, windowMs: 60_000 },
  /** Share links made per account, and shared slips opened per account (each share is opened a few times). */
  sharePerUser: { name: 'share.user', limit: 20, windowMs: 10 * 60_000 },
  sharedSlipPerUser: { name: 'sharedSlip.user', limit: 30, windowMs: 60_000 },
  /** The confirm sheet's "who can book this slot" check: one per sheet opened. */
  eligibilityPerUser: { name: 'eligibility.user', limit: 30, windowMs: 60_000 },
  /**
   * Schedule reads per account: an open doctor page asks every 2 s at most (around a release or with few places
   * left, src/utils/liveRefreshDelay.ts), 30 a minute, plus the pages a person opens; a script polling for the
   * release every 500 ms makes 120 a minute.
   */
  schedulePerCaller: { name: 'schedule.caller', limit: 60, windowMs: 60_000, sentence: '号源刷新得太快了，请 {wait}后再看。放号时间一到页面上就能约，不用一直刷新。' },
  /** Agreeing to the privacy notice per account: once per notice version, a few more for a double tap. */
  privacyPerUser: { name: 'privacy.user', limit: 10, windowMs: 10 * 60_000 },
  /** Logins from one client address (a family on one Wi-Fi logs in a handful of times). */
  loginPerAddress: { name: 'login.address', limit: 60, windowMs: 60_000 },
  /** Subscription prompts recorded per account: a tap asks for three templates at most, a few taps a minute. */
  consentPerUser: { name: 'consent.user', limit: 30, windowMs: 60_000 },
  /** Reading the message center, marking read and 消息设置 per account (a page polls it at most every few seconds). */
  messagesPerUser: { name: 'messages.user', limit: 60, windowMs: 60_000 },
  /** Staff reports (delivery figures, scripting signs) per account: each page asks once when opened or refreshed. */
  staffReportsPerUser: { name: 'staffReports.user', limit: 30, windowMs: 60_000 },
  /** Home search (departments and doctors) per account: typing asks once per 300 ms pause, a few dozen a minute at most. */
  catalogSearchPerCaller: { name: 'catalogSearch.caller', limit: 60, windowMs: 60_000, sentence: '搜索得太快了，请 {wait}后再试。' },
  /** 公告 read per account: once each time the home page is shown. */
  noticesPerCaller: { name: 'notices.caller', limit: 30, windowMs: 60_000 },
  /** Staff edits of the home page (公告 posted, changed or taken down; the hospital's phone and map point). */
  homeEditsPerUser: { name: 'homeEdits.user', limit: 30, windowMs: 10 * 60_000 },
  /** 加号 given at the desk to a named card, per staff account (a counter serves a few people a minute). */
  deskPlacePerStaff: { name: 'deskPlace.staff', limit: 20, windowMs: 60_000 },
} as const satisfies Record<string, RateRule>;

interface RateCounterDoc {
  /** `<rule>:<subject>`. */
  _id: string;
  count: number;
  /**
   * The window starts at the subject's first attempt and ends here, so a script gets exactly `limit`
   * tries per window whenever it starts. A TTL index removes spent counters on MongoDB, the sweep on
   * the embedded store.
   */
  expiresAt: Date;
}

const countersOf = (db: Db) => db.collection<RateCounterDoc>('rateLimits');

export async function ensureRateLimitIndexes(db: Db): Promise<void> {
  await countersOf(db).createIndex({ expiresAt: 1 }, { expireAfterSeconds: 0 });
}

/**
 * Subjects this process has seen over their limit, until their window ends (business time). Within a
 * window a counter only grows, so the store would refuse them too: a script hammering after its refusal
 * is refused from memory, without a write per attempt. Per store, so two test runtimes never share it.
 */
const refusedUntil = new WeakMap<Db, Map<string, Date>>();
const MAX_REFUSED = 10_000;

function knownRefusal(db: Db, _id: string, now: Date, rule: RateRule): AppError | null {
  const until = refusedUntil.get(db)?.get(_id);
  if (!until || until <= now) return null;
  return rateLimited(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000)), rule.sentence);
}

function rememberRefusal(db: Db, _id: string, until: Date): void {
  let refused = refusedUntil.get(db);
  if (!refused) refusedUntil.set(db, (refused = new Map()));
  if (refused.size >= MAX_REFUSED) refused.clear();
  refused.set(_id, until);
}

/**
 * Subjects whose first attempts in a window this process let through without a write (`deferUpTo`): the
 * end of that window (business time), how many attempts are still unwritten, and whether attempts are still
 * being deferred (not once one was written). Most people tap 确认预约 once, and try once more after a "full":
 * on release morning 20,000 such people cost no write at all; their next attempt in this process writes all
 * of them, and every later one writes itself. Per store, like the refusals; on overflow the oldest entries are
 * forgotten (at worst a few uncounted attempts per subject).
 */
const deferredAttempts = new WeakMap<Db, Map<string, { until: Date; unwritten: number; deferring: boolean }>>();
const MAX_DEFERRED = 50_000;

/** True when this attempt is among the subject's first `upTo` in this process's window: remembered, not written. */
function defer(db: Db, _id: string, now: Date, rule: RateRule, upTo: number): boolean {
  let deferred = deferredAttempts.get(db);
  if (!deferred) deferredAttempts.set(db, (deferred = new Map()));
  const entry = deferred.get(_id);
  if (entry && entry.until > now) {
    // Never past the limit: the attempt that would exceed it is written, and refused by the store's count.
    if (!entry.deferring || entry.unwritten >= Math.min(upTo, rule.limit)) return false;
    entry.unwritten += 1;
    return true;
  }
  if (entry) deferred.delete(_id);
  else if (deferred.size >= MAX_DEFERRED) deferred.delete(deferred.keys().next().value!);
  deferred.set(_id, { until: new Date(now.getTime() + rule.windowMs), unwritten: 1, deferring: true });
  return true;
}

/** The subject's unwritten attempts in a window still open, and that window's end (they are now counted: no more are deferred). */
function takeDeferred(db: Db, _id: string, now: Date): { count: number; until: Date } | null {
  const entry = deferredAttempts.get(db)?.get(_id);
  if (!entry || entry.until <= now) return null;
  entry.deferring = false;
  if (entry.unwritten === 0) return null;
  const taken = { count: entry.unwritten, until: entry.until };
  entry.unwritten = 0;
  return taken;
}

export interface RateLimitOptions {
  /**
   * The subject's first attempts in this process's window, up to this many, are remembered instead of
   * written, and written with the next one (for answers given from memory, which should cost no write: a
   * hold on a slot read full a moment ago). The limit stays exact within a process; across N instances a
   * subject gains at most N times this many attempts.
   */
  deferUpTo?: number;
}

/**
 * Counters are answered once applied, not once journaled (MongoDB's `j: false`): a count lost with a crash in
 * the few milliseconds before the journal has it lets one more attempt through, and a crowd's counters no
 * longer make every read behind them wait for a disk sync.
 */
const COUNTER_WRITES = { w: 1, j: false } as const;

/** Counts one attempt; over the limit it throws RATE_LIMITED with how long to wait. Changes nothing else. */
export async function enforceRateLimit(context: Pick<Context, 'db' | 'config' | 'now'>, rule: RateRule, subject: string, options: RateLimitOptions = {}): Promise<void> {
  const { db, now } = context;
  if (!context.config.rateLimits) return;
  const _id = `${rule.name}:${subject}`;
  const known = knownRefusal(db, _id, now, rule);
  if (known) throw known;
  if (options.deferUpTo && defer(db, _id, now, rule, options.deferUpTo)) return;
  // This attempt, and those let through without a write before it (their window opened with the first).
  const deferred = takeDeferred(db, _id, now);
  const attempts = 1 + (deferred?.count ?? 0);
  const opensUntil = deferred?.until ?? new Date(now.getTime() + rule.windowMs);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      // A person's usual case, one round trip: no window yet (or a spent one), so this attempt opens one.
      // With a window open the upsert meets its document (duplicate key) and the attempt counts into it.
      // Two callers opening at once: one inserts, the other meets the duplicate key and counts.
      await countersOf(db).findOneAndUpdate(
        { _id, expiresAt: { $lte: now } },
        { $set: { count: attempts, expiresAt: opensUntil } },
        { upsert: true, writeConcern: COUNTER_WRITES },
      );
      if (attempts <= rule.limit) return;
      rememberRefusal(db, _id, opensUntil);
      throw rateLimited(Math.max(1, Math.ceil((opensUntil.getTime() - now.getTime()) / 1000)), rule.sentence);
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
    const open = await countersOf(db).findOneAndUpdate({ _id, expiresAt: { $gt: now } }, { $inc: { count: attempts } }, { returnDocument: 'after', writeConcern: COUNTER_WRITES });
    if (open) {
      if (open.count <= rule.limit) return;
      rememberRefusal(db, _id, open.expiresAt);
      throw rateLimited(Math.max(1, Math.ceil((open.expiresAt.getTime() - now.getTime()) / 1000)), rule.sentence);
    }
    // The window ended between the two steps: open the next one.
  }
  throw new AppError('CONFLICT');
}

export function rateLimited(waitSeconds: number, sentence = '操作太频繁了，请 {wait}后再试。'): AppError {
  const wait = waitSeconds >= 120 ? `${Math.ceil(waitSeconds / 60)} 分钟` : `${waitSeconds} 秒`;
  return new AppError('RATE_LIMITED', sentence.replace('{wait}', wait));
}

/** Removes counters whose window has ended (the embedded store has no TTL index). */
export async function sweepRateLimits(db: Db, now: Date): Promise<number> {
  const { deletedCount } = await countersOf(db).deleteMany({ expiresAt: { $lte: now } });
  return deletedCount;
}

/** The subject of a per-account rule: the openid within its app (stable before login too). */
export const accountSubject = identityKey;

/**
 * Counts one attempt by the caller against a per-account rule and, when the platform gave an address,
 * a per-address rule. The account is the openid (stable before login too).
 */
export async function limitCaller(context: IdentityContext, perAccount: RateRule, perAddress?: RateRule): Promise<void> {
  const { identity } = context;
  try {
    await enforceRateLimit(context, perAccount, accountSubject(identity));
    if (perAddress && identity.clientIp) await enforceRateLimit(context, perAddress, identity.clientIp);
  } catch (error) {
    // A refusal is a sign of scripting for staff (counted in memory, scriptingSigns.ts).
    if (error instanceof AppError && error.code === 'RATE_LIMITED') noteThrottled(context);
    throw error;
  }
}
