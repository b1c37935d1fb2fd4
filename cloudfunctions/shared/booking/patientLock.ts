// One booking decision at a time per patient (B1): the quotas are counted from the patient's
// appointments and the new one written while holding a short lease on the patient, so parallel taps
// (or a script firing at several doctors at once) cannot all pass a count that only one of them
// should. Unbinding takes the same lease, so no hold can slip in between its check and its removal.
import type { Db, ObjectId } from 'mongodb';
import { withLease, type LeaseOptions } from './lease';

/** The patient's lease: every booking decision for the card, the desk's and an unbind's included. */
export const patientLease = (patientId: ObjectId): LeaseOptions => ({
  collection: 'patientLocks',
  key: patientId,
  busyMessage: '这位就诊人的另一个预约正在处理中，请稍等几秒再试。',
});

export function withPatientLock<T>(db: Db, patientId: ObjectId, work: () => Promise<T>): Promise<T> {
  return withLease(db, patientLease(patientId), work);
}
