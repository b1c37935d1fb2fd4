// Patient cards: one record per real person (found by a blind index of the ID number), and the
// accounts that manage it. Every read for a caller goes through `findManagedPatient`, which
// answers null for cards the caller may not see, so callers turn it into NOT_FOUND.
import { ObjectId, type Db } from 'mongodb';
import type { IdType, Sex } from '../domain/idDocument';
import type { Relation } from '../domain/patientSchemas';

export interface PatientDoc {
  _id: ObjectId;
  /** Blind index of the person's document (or, for a child without ID, of guardian + child). Unique. */
  personKey: string;
  idType: IdType;
  /** Sealed (AES-256-GCM) ID number; absent for a child bound through a guardian. */
  idNumberSealed?: string;
  phoneSealed: string;
  name: string;
  sex?: Sex;
  birthDate?: string;
  guardianPatientId?: ObjectId;
  hisPatientId: string;
  /** The account that bound the card first (or took it over); claimed atomically, null when nobody owns it. */
  ownerUserId: ObjectId | null;
  createdAt: Date;
  updatedAt: Date;
}

export type ManagerRole = 'owner' | 'manager';
export type LinkVia = 'bind' | 'invite' | 'sms' | 'wechat_phone' | 'counter';

/** One account's link to one card; `_id` is `<userId>:<patientId>` so a person is on an account once. */
export interface PatientLinkDoc {
  _id: string;
  userId: ObjectId;
  patientId: ObjectId;
  role: ManagerRole;
  relation: Relation;
  /** How the account got the card: bound it first, an invite, proof of the phone on record, or staff at the counter. */
  via: LinkVia;
  createdAt: Date;
}

export interface ManagedPatient {
  patient: PatientDoc;
  link: PatientLinkDoc;
}

export const linkId = (userId: ObjectId, patientId: ObjectId) => `${userId.toHexString()}:${patientId.toHexString()}`;

export const patientsOf = (db: Db) => db.collection<PatientDoc>('patients');
export const linksOf = (db: Db) => db.collection<PatientLinkDoc>('patientLinks');

export async function ensurePatientIndexes(db: Db): Promise<void> {
  await patientsOf(db).createIndex({ personKey: 1 }, { unique: true, name: 'personKey_unique' });
  await linksOf(db).createIndex({ userId: 1 });
  await linksOf(db).createIndex({ patientId: 1 });
}

/** Parses a client-supplied id; anything malformed is simply "not found". */
export function parseObjectId(id: string): ObjectId | null {
  return /^[0-9a-f]{24}$/.test(id) ? new ObjectId(id) : null;
}

export async function findManagedPatient(db: Db, userId: ObjectId, patientId: string): Promise<ManagedPatient | null> {
  const id = parseObjectId(patientId);
  if (!id) return null;
  // One wait, not two: the link's id is known, so both are read at once (the card is returned only with the link).
  const [link, patient] = await Promise.all([linksOf(db).findOne({ _id: linkId(userId, id) }), patientsOf(db).findOne({ _id: id })]);
  return link && patient ? { patient, link } : null;
}

export async function listManagedPatients(db: Db, userId: ObjectId): Promise<ManagedPatient[]> {
  const links = await linksOf(db).find({ userId }).sort({ createdAt: 1 }).toArray();
  const patients = await patientsOf(db)
    .find({ _id: { $in: links.map((link) => link.patientId) } })
    .toArray();
  const byId = new Map(patients.map((patient) => [patient._id.toHexString(), patient]));
  return links.flatMap((link) => {
    const patient = byId.get(link.patientId.toHexString());
    return patient ? [{ patient, link }] : [];
  });
}

export async function listManagers(db: Db, patientId: ObjectId): Promise<PatientLinkDoc[]> {
  return linksOf(db).find({ patientId }).sort({ createdAt: 1 }).toArray();
}
