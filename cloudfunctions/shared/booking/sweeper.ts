// The booking sweeper (B2): runs every minute and after a crash. It expires unpaid holds, finishes or
// fails holds a killed process left half-done, and gives back places whose appointment no longer
// holds them, so that afterwards every slot has remaining + active appointments = capacity.
import type { Db, ObjectId } from 'mongodb';
import { slotsOf } from '../catalog/collections';
import { queueNumbers } from '../catalog/generateSchedules';
import { scheduleCache } from '../catalog/scheduleCache';
import { PLACE_HOLDING_STATES, appointmentsOf, holdsPlace, releasePlace, type AppointmentDoc } from './appointments';
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
  for (const appointment of await appointmentsOf(db).find({ status: 'holding', createdAt: { $lte: staleBefore } }).toArray()) {
    if (await holdsPlace(db, appointment.slotId, appointment._id)) {
      // Claimed, but the outcome was never written: the queue number is repaired below.
      if (await finishHold(services, appointment, null)) report.finished += 1;
    } else {
      const failed = await appointmentsOf(db).updateOne(
        { _id: appointment._id, status: 'holding' },
        { $set: { status: 'failed', failure: { code: 'INTERNAL', message: '预约没有完成，请重新预约。' }, updatedAt: now }, $unset: { active: '' } },
      );
      report.failed += failed.modifiedCount;
    }
  }

  // Places held by appointments that no longer hold them (cancelled or expired by a process that
  // died before giving the place back), and queue numbers lost the same way.
  // Slots of the past two days onwards: older ones are history, and the scan stays small.
  const recent = new Date(now.getTime() - 2 * 86_400_000);
  for (const slot of await slotsOf(db).find({ 'holders.0': { $exists: true }, end: { $gte: recent } }).toArray()) {
    const holders = await appointmentsOf(db).find({ _id: { $in: slot.holders } }).toArray();
    const byId = new Map(holders.map((appointment) => [appointment._id.toHexString(), appointment]));
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
    report.renumbered += await repairNumbers(db, slot._id, now);
    if (changed) scheduleCache.invalidateDoctor(slot.doctorId);
  }
  return report;
}

/**
 * Gives every holder a distinct queue number and puts the rest back in `freeNumbers`. Runs only
 * when something is off, and writes only if the slot did not change in between.
 */
async function repairNumbers(db: Db, slotId: ObjectId, now: Date): Promise<number> {
  const slot = await slotsOf(db).findOne({ _id: slotId });
  if (!slot) return 0;
  const holders = await appointmentsOf(db).find({ _id: { $in: slot.holders } }).toArray();
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
  const updated = await slotsOf(db).updateOne({ _id: slotId, holders: sameHolders, remaining: slot.remaining }, { $set: { freeNumbers: freeAfter } });
  if (updated.modifiedCount === 0) return 0;
  for (const [index, appointment] of needNumber.entries()) {
    await appointmentsOf(db).updateOne({ _id: appointment._id }, { $set: { number: free[index], updatedAt: now } });
  }
  return needNumber.length;
}
