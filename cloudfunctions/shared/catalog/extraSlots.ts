// 加号: an extra slot at the end of a session's queue numbers. Numbering reads the session's last
// number and inserts after it; the unique key {scheduleId, firstNumber} refuses a writer whose read
// went stale (another extra slot took those numbers meanwhile), and that writer numbers again.
import { ObjectId, type Db } from 'mongodb';
import { AppError } from '../errors';
import { slotsOf } from './collections';
import { queueNumbers, refusedAsDuplicate } from './generateSchedules';
import type { ScheduleDoc, SlotDoc } from './model';

const ATTEMPTS = 5;

/** The first queue number after every slot of the session (1 for an empty one). */
export async function nextFirstNumber(db: Db, scheduleId: ObjectId): Promise<number> {
  const [last] = await slotsOf(db).find({ scheduleId }).sort({ firstNumber: -1 }).limit(1).toArray();
  return last ? last.firstNumber + last.capacity : 1;
}

export async function insertExtraSlot(
  db: Db,
  schedule: ScheduleDoc,
  input: { start: Date; end: Date; capacity: number; extra: NonNullable<SlotDoc['extra']>; slotId?: ObjectId; heldBy?: ObjectId },
): Promise<SlotDoc> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const firstNumber = await nextFirstNumber(db, schedule._id);
    const numbers = queueNumbers(firstNumber, input.capacity);
    // A desk 加号 is written with its first place already held by the appointment it was made for.
    const held = input.heldBy ? [input.heldBy] : [];
    const slot: SlotDoc = {
      _id: input.slotId ?? new ObjectId(),
      scheduleId: schedule._id,
      doctorId: schedule.doctorId,
      departmentId: schedule.departmentId,
      date: schedule.date,
      period: schedule.period,
      start: input.start,
      end: input.end,
      firstNumber,
      capacity: input.capacity,
      remaining: input.capacity - held.length,
      holders: held,
      freeNumbers: numbers.slice(held.length),
      extra: input.extra,
    };
    try {
      await slotsOf(db).insertOne(slot);
      return slot;
    } catch (error) {
      if (!refusedAsDuplicate(error, 'schedule_number_unique')) throw error;
    }
  }
  throw new AppError('CONFLICT');
}
