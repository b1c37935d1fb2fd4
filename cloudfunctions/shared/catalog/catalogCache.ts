// Hospital, department and doctor documents change rarely and are read on every schedule view:
// they are cached per process for a few seconds and dropped at once when this process edits them.
import type { Db, ObjectId } from 'mongodb';
import { departmentsOf, doctorsOf, HOSPITAL_ID, hospitalsOf } from './collections';
import type { DepartmentDoc, DoctorDoc, HospitalDoc } from './model';

const TTL_MS = 5000;
const entries = new Map<string, { at: number; value: Promise<unknown> }>();

function cached<T>(key: string, load: () => Promise<T>): Promise<T> {
  const hit = entries.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
  const value = load();
  entries.set(key, { at: Date.now(), value });
  value.catch(() => entries.delete(key));
  return value;
}

export const catalogCache = {
  hospital: (db: Db): Promise<HospitalDoc | null> => cached('hospital', () => hospitalsOf(db).findOne({ _id: HOSPITAL_ID })),
  departments: (db: Db): Promise<DepartmentDoc[]> =>
    cached('departments', () => departmentsOf(db).find({ hospitalId: HOSPITAL_ID }).sort({ sort: 1 }).toArray()),
  doctor: (db: Db, id: ObjectId): Promise<DoctorDoc | null> => cached(`doctor:${id.toHexString()}`, () => doctorsOf(db).findOne({ _id: id })),
  doctorsOf: (db: Db, departmentId: ObjectId): Promise<DoctorDoc[]> =>
    cached(`doctors:${departmentId.toHexString()}`, () => doctorsOf(db).find({ departmentId, active: true }).sort({ _id: 1 }).toArray()),
  /** Every active doctor of the hospital, for the home search (a few hundred documents at most). */
  activeDoctors: (db: Db): Promise<DoctorDoc[]> => cached('doctors:active', () => doctorsOf(db).find({ active: true }).sort({ _id: 1 }).toArray()),
  /** Called by admin writes in this process; other processes catch up within the TTL. */
  invalidate(): void {
    entries.clear();
  },
};
