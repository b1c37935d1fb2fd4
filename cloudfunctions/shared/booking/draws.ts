// Release by draw (抽签放号, X1), the store side. During the window a hold records one entry per
// person (the card, which is one per ID blind index, whatever the number of accounts holding it).
// After the window one resolver at a time (a lease on the draw document) fixes a random order of the
// entrants once, books them in that order (a few at a time, never past the places left) through the
// normal booked path until the places are gone, and marks the rest "not drawn". Every step is
// recorded, so a resolver killed half-way is resumed by the next one (the first poll after the
// window, or the booking tick) and changes nothing twice.
import { randomUUID } from 'node:crypto';
import type { Db, ObjectId } from 'mongodb';
import { slotsOf } from '../catalog/collections';
import type { AccountContext, Context, UserContext } from '../context';
import { cryptoRandom, shuffled, type DrawWindow } from '../domain/releaseDraw';
import { AppError } from '../errors';
import { findManagedPatient } from '../patients/patientRepository';
import { appointmentsOf, type AppointmentDoc } from './appointments';
import { decideUnderLeases } from './bookPlace';
import { completeHold, loadSlot, type SlotContext } from './holds';

/** How long a resolver may hold a draw without renewing (real time: an elapsed-time budget). */
export const DRAW_LEASE_MS = 10_000;
/** How long a poll waits for another resolver before answering "still drawing" (real time). */
export const DRAW_WAIT_MS = 3_000;
/** How many drawn entrants are booked at once (the answer is due 1 s after the window; one by one is too slow). */
const DRAW_BATCH = 50;

export interface DrawDoc {
  _id: ObjectId; // the slot
  closesAt: Date;
  resultAt: Date;
  status: 'collecting' | 'resolved';
  /** Entrants' patient ids in drawn order, fixed once by the first resolver. */
  order?: string[];
  leaseUntil?: Date;
  leaseHolder?: string;
  resolvedAt?: Date;
}

export type DrawResult =
  | { outcome: 'drawn'; appointmentId: ObjectId }
  | { outcome: 'not_drawn' }
  | { outcome: 'refused'; code: string; message: string };

export interface DrawEntryDoc {
  _id: string; // slotId:patientId, so a person has one entry per slot without an extra index
  slotId: ObjectId;
  patientId: ObjectId;
  /** The account whose request entered first: the appointment is booked as its own. */
  userId: ObjectId;
  requestId: string;
  /** Every request (from any account holding the card) that asked during the window: re-sending one polls. */
  requestIds: string[];
  enteredAt: Date;
  result?: DrawResult;
}

export const drawsOf = (db: Db) => db.collection<DrawDoc>('slotDraws');
export const drawEntriesOf = (db: Db) => db.collection<DrawEntryDoc>('slotDrawEntries');
const usersOf = (db: Db) => db.collection<UserContext['user']>('users');
const entryId = (slotId: ObjectId, patientId: ObjectId) => `${slotId.toHexString()}:${patientId.toHexString()}`;

/** Records the person's entry (a second one for the same person returns the first) and the request. */
export async function enterDraw(context: AccountContext, input: { slotId: ObjectId; patientId: ObjectId; requestId: string; window: DrawWindow }): Promise<DrawEntryDoc> {
  const { slotId, patientId, requestId, window } = input;
  await drawsOf(context.db).updateOne(
    { _id: slotId },
    { $setOnInsert: { closesAt: window.closesAt, resultAt: window.resultAt, status: 'collecting' } },
    { upsert: true },
  );
  const enter = () =>
    drawEntriesOf(context.db).findOneAndUpdate(
      { _id: entryId(slotId, patientId) },
      {
        $setOnInsert: { slotId, patientId, userId: context.user._id, requestId, enteredAt: context.now },
        $addToSet: { requestIds: requestId },
      },
      { upsert: true, returnDocument: 'after' },
    );
  // Two accounts of one card at the same instant: one upsert inserts, the other may lose the race; it then joins.
  const entry = await enter().catch((error: unknown) => {
    if ((error as { code?: number }).code === 11000) return enter();
    throw error;
  });
  return entry!;
}

export function drawEntryOf(db: Db, slotId: ObjectId, patientId: ObjectId): Promise<DrawEntryDoc | null> {
  return drawEntriesOf(db).findOne({ _id: entryId(slotId, patientId) });
}

export type DrawState = 'resolved' | 'pending' | 'none';

/** Resolutions a poll in this process started, per store and slot, until they end; then 'resolved' stays. */
const underWay = new WeakMap<Db, Map<string, Promise<DrawState>>>();
const RESOLVED: Promise<DrawState> = Promise.resolve('resolved');
const MAX_REMEMBERED_DRAWS = 10_000;

/**
 * `resolveDraw` for an entrant's poll. At the window's end every entrant asks at once; each asking the
 * store every 50 ms would slow the very resolver they wait for, so a poll joins the resolution this
 * process already runs or waits for, and a draw seen resolved is not asked about again (it stays so).
 * 'none' is not shared: it depends on the caller's clock.
 */
export async function awaitDraw(context: Context, slotId: ObjectId): Promise<DrawState> {
  let running = underWay.get(context.db);
  if (!running) underWay.set(context.db, (running = new Map()));
  const key = slotId.toHexString();
  const joined = running.get(key);
  if (joined) {
    const state = await joined;
    if (state !== 'none') return state;
  }
  const settle = (state: DrawState | null) => {
    if (running.get(key) !== started) return;
    if (state === 'resolved') running.set(key, RESOLVED);
    else running.delete(key);
  };
  const started: Promise<DrawState> = resolveDraw(context, slotId).then(
    (state) => (settle(state), state),
    (error: unknown) => {
      settle(null);
      throw error;
    },
  );
  if (running.size >= MAX_REMEMBERED_DRAWS) running.clear();
  running.set(key, started);
  return started;
}

/**
 * Resolves the slot's draw if its window has closed; returns once it is resolved, or after
 * DRAW_WAIT_MS if another resolver is still at it ('pending'). Safe to call from any number of places at once.
 */
export async function resolveDraw(context: Context, slotId: ObjectId, random: () => number = cryptoRandom): Promise<DrawState> {
  const holder = randomUUID();
  const deadline = Date.now() + DRAW_WAIT_MS;
  for (;;) {
    const draw = await drawsOf(context.db).findOne({ _id: slotId });
    if (!draw || draw.closesAt > context.now) return 'none';
    if (draw.status === 'resolved') return 'resolved';
    const leased = await drawsOf(context.db).findOneAndUpdate(
      { _id: slotId, status: 'collecting', $or: [{ leaseUntil: { $exists: false } }, { leaseUntil: { $lte: new Date() } }] },
      { $set: { leaseUntil: new Date(Date.now() + DRAW_LEASE_MS), leaseHolder: holder } },
      { returnDocument: 'after' },
    );
    if (leased) {
      await runDraw(context, leased, holder, random);
      return 'resolved';
    }
    if (Date.now() >= deadline) return 'pending';
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function runDraw(context: Context, draw: DrawDoc, holder: string, random: () => number): Promise<void> {
  const { db } = context;
  const mine = { _id: draw._id, leaseHolder: holder };
  const renew = () => drawsOf(db).updateOne(mine, { $set: { leaseUntil: new Date(Date.now() + DRAW_LEASE_MS) } });
  let order = draw.order;
  if (!order) {
    // Sorted first, so the order depends on the random numbers only, not on how the store lists entries.
    const entrants = (await drawEntriesOf(db).find({ slotId: draw._id }, { projection: { patientId: 1 } }).toArray()).map((entry) => entry.patientId.toHexString()).sort();
    order = shuffled(entrants, random);
    // Fixed once: a resumed resolver finds this order and goes on with it.
    const fixed = await drawsOf(db).findOneAndUpdate({ ...mine, order: { $exists: false } }, { $set: { order } }, { returnDocument: 'after' });
    order = fixed?.order ?? (await drawsOf(db).findOne({ _id: draw._id }))?.order ?? order;
  }
  for (let next = 0; next < order.length; ) {
    const slot = await slotsOf(db).findOne({ _id: draw._id }, { projection: { remaining: 1 } });
    if (!slot) break;
    const slice = order.slice(next, next + Math.max(1, Math.min(DRAW_BATCH, slot.remaining)));
    const byId = new Map((await drawEntriesOf(db).find({ _id: { $in: slice.map((patientHex) => `${draw._id.toHexString()}:${patientHex}`) } }).toArray()).map((entry) => [entry.patientId.toHexString(), entry]));
    // The batch is a prefix of the order with one entrant per account (an account books one at a time), and no
    // longer than the places left: everyone in it gets a place unless refused for their own reasons.
    const batch: DrawEntryDoc[] = [];
    const accounts = new Set<string>();
    for (const patientHex of slice) {
      const entry = byId.get(patientHex);
      if (entry && accounts.has(entry.userId.toHexString())) break;
      next += 1;
      if (!entry || entry.result) continue;
      accounts.add(entry.userId.toHexString());
      batch.push(entry);
    }
    // No place left: done, unless a resolver killed after booking this entrant left the result unwritten.
    if (slot.remaining === 0 && batch.length > 0 && !(await appointmentsOf(db).findOne({ createdBy: batch[0].userId, requestId: batch[0].requestId }))) break;
    await Promise.all(
      batch.map(async (entry) => {
        const result = await bookEntrant(context, entry);
        await drawEntriesOf(db).updateOne({ _id: entry._id, result: { $exists: false } }, { $set: { result } });
      }),
    );
    await renew();
  }
  await drawEntriesOf(db).updateMany({ slotId: draw._id, result: { $exists: false } }, { $set: { result: { outcome: 'not_drawn' } } });
  await drawsOf(db).updateOne(mine, { $set: { status: 'resolved', resolvedAt: context.now }, $unset: { leaseUntil: '', leaseHolder: '' } });
}

/** Books one drawn entrant as their own account would: the same checks, quotas and payment rules as a hold. */
async function bookEntrant(context: Context, entry: DrawEntryDoc): Promise<DrawResult> {
  const user = await usersOf(context.db).findOne({ _id: entry.userId });
  const managed = user ? await findManagedPatient(context.db, user._id, entry.patientId.toHexString()) : null;
  if (!user || !managed) return { outcome: 'refused', code: 'NOT_FOUND', message: '这张就诊卡已经不在您的账号下了，所以这次没有为您预约。' };
  const asEntrant = { ...context, identity: context.identity ?? { openid: '', appid: '' }, user } as UserContext;
  try {
    const target: SlotContext = await loadSlot(asEntrant, entry.slotId);
    const decided = await decideUnderLeases(asEntrant, managed, target, entry.requestId);
    let appointment: AppointmentDoc = decided.finished ?? decided.replay!;
    if (appointment.status === 'holding') appointment = await completeHold(asEntrant, appointment);
    if (appointment.status === 'failed') return { outcome: 'not_drawn' };
    return { outcome: 'drawn', appointmentId: appointment._id };
  } catch (error) {
    if (error instanceof AppError) return { outcome: 'refused', code: error.code, message: error.message };
    throw error;
  }
}

/** Resolves every draw whose window has closed (the booking tick; polls usually get there first). */
export async function resolveDueDraws(context: Context): Promise<number> {
  const due = await drawsOf(context.db).find({ status: 'collecting', closesAt: { $lte: context.now } }, { projection: { _id: 1 } }).toArray();
  let resolved = 0;
  for (const draw of due) if ((await resolveDraw(context, draw._id)) === 'resolved') resolved += 1;
  return resolved;
}

/** The appointment a drawn entrant was booked into. */
export const drawnAppointment = (db: Db, result: DrawResult) => (result.outcome === 'drawn' ? appointmentsOf(db).findOne({ _id: result.appointmentId }) : Promise.resolve(null));
