// One booking decision at a time per patient (B1): the quotas are counted from the patient's
// appointments and the new one written while holding a short lease on the patient, so parallel taps
// (or a script firing at several doctors at once) cannot all pass a count that only one of them
// should. A lease, not a lock that must be released: a process killed inside it blocks the patient
// for LEASE_MS at most.
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, ObjectId, type Db } from 'mongodb';
import { AppError } from '../errors';

interface PatientLockDoc {
  _id: ObjectId;
  owner: ObjectId;
  until: Date;
}

const LEASE_MS = 5_000;
/** How long a tap waits for the patient's other tap before being told to try again. */
const WAIT_MS = 3_000;

const locksOf = (db: Db) => db.collection<PatientLockDoc>('patientLocks');

export async function withPatientLock<T>(db: Db, patientId: ObjectId, work: () => Promise<T>): Promise<T> {
  const owner = new ObjectId();
  const giveUpAt = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const taken = await locksOf(db).findOneAndUpdate(
        { _id: patientId, until: { $lte: new Date() } },
        { $set: { owner, until: new Date(Date.now() + LEASE_MS) } },
        { upsert: true, returnDocument: 'after' },
      );
      if (taken?.owner.equals(owner)) break;
    } catch (error) {
      // Held by someone else: the upsert's insert met the existing document.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
    }
    if (Date.now() > giveUpAt) throw new AppError('CONFLICT', '这位就诊人的另一个预约正在处理中，请稍等几秒再试。');
    await sleep(10 + Math.random() * 30);
  }
  try {
    return await work();
  } finally {
    await locksOf(db).updateOne({ _id: patientId, owner }, { $set: { until: new Date(0) } });
  }
}
