// Appointments and the places they hold (B2). A place is held by the slot document itself: `holders`
// lists the appointments holding one, and a claim or a release changes `remaining`, `holders` and
// `freeNumbers` in one atomic update, so `remaining + holders.length = capacity` always holds.
// The appointment is written first (status 'holding'), the place claimed second, the outcome third;
// a process killed between two steps leaves a state the sweeper (sweeper.ts) can finish or undo.
import type { Db, ObjectId } from 'mongodb';
import type { Period } from '../catalog/model';
import { slotsOf } from '../catalog/collections';
import type { AppointmentStatus } from '../domain/appointmentStatus';
import { holdCache } from './holdCache';

/** 'holding': written, place not yet confirmed; 'failed': no place (full) or not finished in time. */
export type AppointmentState = AppointmentStatus | 'holding' | 'failed';

export interface AppointmentDoc {
  _id: ObjectId;
  /** The account that booked; with `requestId`, the idempotency key of the hold. */
  createdBy: ObjectId;
  requestId: string;
  patientId: ObjectId;
  slotId: ObjectId;
  scheduleId: ObjectId;
  doctorId: ObjectId;
  departmentId: ObjectId;
  /** The session's date, hospital time. */
  date: string;
  period: Period;
  start: Date;
  end: Date;
  locationId: string;
  feeFen: number;
  /** Queue number; null until the place is claimed. */
  number: number | null;
  status: AppointmentState;
  /** Present (true) exactly while the appointment holds or is about to hold a place. */
  active?: true;
  /** Why a hold failed: the refusal the caller saw, replayed for the same requestId. */
  failure?: { code: string; message: string };
  /** When a pending payment gives its place back. */
  holdExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt?: Date;
  cancelledBy?: ObjectId;
}

/** States whose appointment keeps its place: everything but failed, cancelled and expired (a completed visit used its place). */
export const PLACE_HOLDING_STATES: readonly AppointmentState[] = ['holding', 'pending_payment', 'booked', 'checked_in', 'completed', 'no_show'];

export const appointmentsOf = (db: Db) => db.collection<AppointmentDoc>('appointments');

export async function ensureAppointmentIndexes(db: Db): Promise<void> {
  const appointments = appointmentsOf(db);
  await appointments.createIndex({ createdBy: 1, requestId: 1 }, { unique: true, name: 'request_unique' });
  // One active appointment per patient, doctor and day: a double tap with two requestIds books once.
  await appointments.createIndex(
    { patientId: 1, doctorId: 1, date: 1 },
    { unique: true, partialFilterExpression: { active: true }, name: 'one_per_doctor_day' },
  );
  await appointments.createIndex({ patientId: 1 });
  // The people one account booked for on one day (peoplePerDay.ts).
  await appointments.createIndex({ createdBy: 1, date: 1 });
  await appointments.createIndex({ slotId: 1 });
  await appointments.createIndex({ status: 1 });
}

/**
 * Takes a place in the slot for `appointmentId` and returns its queue number, or null when the slot
 * is full. Claiming twice for the same appointment is refused by the filter (`holders` already has it);
 * `placeOf` tells the two apart.
 */
export async function claimPlace(db: Db, slotId: ObjectId, appointmentId: ObjectId): Promise<number | null> {
  const before = await slotsOf(db).findOneAndUpdate(
    { _id: slotId, remaining: { $gt: 0 }, holders: { $ne: appointmentId } },
    { $inc: { remaining: -1 }, $push: { holders: appointmentId }, $pop: { freeNumbers: -1 } },
    { returnDocument: 'before' },
  );
  return before ? (before.freeNumbers[0] ?? null) : null;
}

/**
 * Gives the place back (idempotent: a second call finds no holder and changes nothing). A 加号 given at the desk to a
 * named card (`extra.heldFor`) is withdrawn instead: it was never offered, and nobody else could take it.
 */
export async function releasePlace(db: Db, slotId: ObjectId, appointmentId: ObjectId, number: number | null): Promise<boolean> {
  let result = await slotsOf(db).updateOne(
    { _id: slotId, holders: appointmentId, 'extra.heldFor': { $exists: false } },
    {
      $inc: { remaining: 1 },
      $pull: { holders: appointmentId },
      ...(number !== null && { $push: { freeNumbers: { $each: [number], $sort: 1 } } }),
    },
  );
  if (result.matchedCount === 0) result = await slotsOf(db).updateOne({ _id: slotId, holders: appointmentId, 'extra.heldFor': { $exists: true } }, { $pull: { holders: appointmentId } });
  // This process's next hold on the slot reads the store, so the place is offered again at once.
  holdCache.forget(slotId);
  return result.modifiedCount === 1;
}
