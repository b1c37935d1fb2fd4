// The 就诊须知 in force for a visit (N3), read from the cached catalog: the doctor's, else the clinic's,
// else its first-level department's (domain/preparationNotes.ts).
import type { Db, ObjectId } from 'mongodb';
import { effectivePreparation } from '../domain/preparationNotes';
import { catalogCache } from './catalogCache';

export async function preparationFor(db: Db, visit: { doctorId: ObjectId; departmentId: ObjectId }): Promise<string> {
  const [doctor, departments] = await Promise.all([catalogCache.doctor(db, visit.doctorId), catalogCache.departments(db)]);
  const clinic = departments.find((entry) => entry._id.equals(visit.departmentId));
  const parent = clinic?.parentId ? departments.find((entry) => entry._id.equals(clinic.parentId!)) : undefined;
  return effectivePreparation(doctor, clinic, parent);
}
