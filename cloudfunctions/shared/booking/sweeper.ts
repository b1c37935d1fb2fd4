// The booking sweeper (B2): runs every minute and after a crash. It expires unpaid holds, finishes or
// fails holds a killed process left half-done, and gives back places whose appointment no longer
// holds them, so that afterwards every slot has remaining + active appointments = capacity.
import type { Db, ObjectId } from 'mongodb';
import { slotsOf } from '../catalog/collections';
import type { SlotDoc } from '../catalog/model';
import { queueNumbers } from '../catalog/generateSchedules';
import { scheduleCache } from '../catalog/scheduleCache';
import { PLACE_HOLDING_STATES, appointmentsOf, releasePlace, type AppointmentDoc } from './appointments';
import type { Services } from '../payment/settlement';
import { expireIfDue, finishHold } from './holds';

/** A hold still 'holding' after this long belongs to a process that died or stalled. */
export const STALE_HOLD_MS = 30_000;

export interface SweepReport {
  expired: number;
  finished: number;
  failed: number;
  released: number;
  renumbered: number;
}

export async function sweepBookings(services: Services): Promise<SweepReport> {
  const { db, now } = services;
  const report: SweepReport = { expired: 0, finished: 0, failed: 0, released: 0, renumbered: 0 };

  for (const appointment of await appointmentsOf(db).find({ status: 'pending_payment', holdExpiresAt: { $lte: now } }).toArray()) {
    if ((await expireIfDue(services, appointment)).status === 'expired') report.expired += 1;
  }

  const staleBefore = new Date(now.getTime() - STALE_HOLD_MS);
  const stale = await appointmentsOf(db).find({ status: 'holding', createdAt: { $lte: staleBefore } }).toArray();
  if (stale.length > 0) {
    // Which stale holds did claim their place: one read for all of them.
    const claimed = new Set<string>();
    const slotsWithStale = await slotsOf(db)
      .find({ _id: { $in: [...new Set(stale.map((appointment) => appointment.slotId))] }, holders: { $in: stale.map((appointment) => appointment._id) } }, { projection: { holders: 1 } })
      .toArray();
    for (const slot of slotsWithStale) for (const holder of slot.holders) claimed.add(holder.toHexString());
    const unclaimed = stale.filter((appointment) => !claimed.has(appointment._id.toHexString()));
    // Claimed, but the outcome was never written: the queue number is repaired below.
    for (const appointment of stale.filter((entry) => claimed.has(entry._id.toHexString()))) {
      if (await finishHold(services, appointment, null)) report.finished += 1;
    }
    if (unclaimed.length > 0) {
      const failed = await appointmentsOf(db).updateMany(
        { _id: { $in: unclaimed.map((appointment) => appointment._id) }, status: 'holding' },
        { $set: { status: 'failed', failure: { code: 'INTERNAL', message: '预约没有完成，请重新预约。' }, updatedAt: now }, $unset: { active: '' } },
      );
      report.failed += failed.modifiedCount;
    }
  }

  // Places held by appointments that no longer hold them (cancelled or expired by a process that
  // died before giving the place back), and queue numbers lost the same way. Slots of the past two
  // days onwards (index held_by_end): older ones are history. Two reads whatever the number of
  // slots; writes only where something is wrong.
  const recent = new Date(now.getTime() - 2 * 86_400_000);
  const held = await slotsOf(db).find({ 'holders.0': { $exists: true }, end: { $gte: recent } }).toArray();
  const holders = await appointmentsOf(db).find({ _id: { $in: held.flatMap((slot) => slot.holders) } }, { projection: { status: 1, number: 1 } }).toArray();
  const byId = new Map(holders.map((appointment) => [appointment._id.toHexString(), appointment]));
  const touched: ObjectId[] = [];
  for (const slot of held) {
    let changed = false;
    for (const holderId of slot.holders) {
      const appointment = byId.get(holderId.toHexString());
      if (appointment && PLACE_HOLDING_STATES.includes(appointment.status)) continue;
      // A fresh 'holding' one is still being made; failed, cancelled and expired ones give their place back.
      if (await releasePlace(db, slot._id, holderId, appointment?.number ?? null)) {
        report.released += 1;
        changed = true;
      }
    }
    if (changed) {
      touched.push(slot._id);
      scheduleCache.invalidateDoctor(slot.doctorId);
    }
  }
  // A slot that gave places back is read again; the others are judged as read.
  const reread = touched.length > 0 ? await slotsOf(db).find({ _id: { $in: touched } }).toArray() : [];
  const current = new Map(held.map((slot) => [slot._id.toHexString(), slot]));
  for (const slot of reread) current.set(slot._id.toHexString(), slot);
  for (const slot of current.values()) report.renumbered += await repairNumbers(db, slot, byId, now);
  return report;
}

/**
 * Gives every holder a distinct queue number and puts the rest back in `freeNumbers`. Writes only
 * when something is off, only if the slot did not change since it was read, and numbers only
 * appointments whose number is still the one read.
 */
async function repairNumbers(db: Db, slot: SlotDoc, byId: Map<string, AppointmentDoc>, now: Date): Promise<number> {
  const holders: AppointmentDoc[] = [];
  for (const holderId of slot.holders) {
    const appointment = byId.get(holderId.toHexString());
    if (!appointment) return 0; // claimed after the read: judged at the next sweep
    holders.push(appointment);
  }
  const all = queueNumbers(slot.firstNumber, slot.capacity);
  const seen = new Set<number>();
  const needNumber: AppointmentDoc[] = [];
  for (const appointment of holders) {
    const number = appointment.number;
    if (number === null || seen.has(number) || !all.includes(number)) needNumber.push(appointment);
    else seen.add(number);
  }
  const free = all.filter((number) => !seen.has(number));
  const freeAfter = free.slice(needNumber.length);
  const consistent = needNumber.length === 0 && freeAfter.length === slot.freeNumbers.length && freeAfter.every((number, index) => slot.freeNumbers[index] === number);
  if (consistent) return 0;

  const sameHolders = slot.holders.length ? { $size: slot.holders.length, $all: slot.holders } : { $size: 0 };
  const updated = await slotsOf(db).updateOne({ _id: slot._id, holders: sameHolders, remaining: slot.remaining }, { $set: { freeNumbers: freeAfter } });
  if (updated.modifiedCount === 0 || needNumber.length === 0) return 0;
  const renumbered = await appointmentsOf(db).bulkWrite(
    needNumber.map((appointment, index) => ({
      updateOne: { filter: { _id: appointment._id, number: appointment.number }, update: { $set: { number: free[index], updatedAt: now } } },
    })),
    { ordered: false },
  );
  return renumbered.modifiedCount;
}
