// The HIS stand-in's master patient index (MPI), kept like a real one: one record per document, and a
// document it has never seen is registered only with a consistent name, sex and birth date (what a
// resident ID, residence permit or new permanent-residence ID carries must match what is sent).
// It can be told to register nobody new, as a hospital whose patients must first be filed at the counter.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../crypto/writeFileAtomic';
import { ID_DOCUMENT_TYPES, validateIdDocument, type IdDocumentType } from '../domain/idDocument';
import { dateIn } from '../domain/releaseRules';
import { parseJson } from '../http/httpHelpers';
import type { HisPatient } from './his';
import type { zHisRegisterRequest } from './hisProtocol';

const zStoredPatient = z.object({
  hisPatientId: z.string(),
  name: z.string(),
  sex: z.enum(['male', 'female']).optional(),
  birthDate: z.string().optional(),
});
type StoredPatient = z.infer<typeof zStoredPatient>;
const zStoredRegistration = z.object({
  hisRegistrationId: z.string(),
  hisPatientId: z.string(),
  status: z.enum(['confirmed', 'cancelled']),
  // Where the patient is seen; absent in state files written before 替诊 moved registrations.
  doctorId: z.string().optional(),
  departmentId: z.string().optional(),
  date: z.string().optional(),
  start: z.string().optional(),
  end: z.string().optional(),
  number: z.number().optional(),
});
export type StoredRegistration = z.infer<typeof zStoredRegistration>;
const zState = z.object({
  version: z.literal(1),
  nextNumber: z.number().int().positive(),
  patients: z.record(z.string(), zStoredPatient),
  /** By our bookingId. */
  registrations: z.record(z.string(), zStoredRegistration).default({}),
});
export type HisState = z.infer<typeof zState>;

type RegisterRequest = z.infer<typeof zHisRegisterRequest>;
export type HisAnswer = [status: number, body: unknown];

/** The hospital's own zone: an ID with a birth date after today there is not a real document. */
const HIS_TIME_ZONE = 'Asia/Shanghai';

/** Hashed so the state file does not list ID numbers in plain sight (this is demo data; it is not real protection). */
export function patientKey(idType: string, idNumber: string): string {
  return createHash('sha256').update(`${idType}:${idNumber.trim().toUpperCase()}`).digest('hex');
}

export function publicPatient(patient: StoredPatient): HisPatient {
  return { hisPatientId: patient.hisPatientId, name: patient.name };
}

const refused = (code: string, message: string): HisAnswer => [422, { code, message }];

/**
 * POST /patients: 201 for a new record, 409 PATIENT_EXISTS for the same person again, 422 when the
 * details do not fit the document or the record (or, with `registerUnknown` off, for anyone new).
 */
export function registerPatient(state: HisState, input: RegisterRequest, options: { registerUnknown: boolean; now: Date }): HisAnswer {
  const name = input.name.trim();
  const existing = state.patients[patientKey(input.idType, input.idNumber)];
  if (existing) {
    if (existing.name !== name) return refused('NAME_MISMATCH', '姓名与证件号码登记的信息不一致');
    if ((input.sex && existing.sex && input.sex !== existing.sex) || (input.birthDate && existing.birthDate && input.birthDate !== existing.birthDate)) {
      return refused('DETAILS_MISMATCH', '性别或出生日期与档案登记的不一致');
    }
    return [409, { code: 'PATIENT_EXISTS', patient: publicPatient(existing) }];
  }
  if (!options.registerUnknown) return refused('UNKNOWN_PATIENT', '医院系统中没有这位患者的档案，请先到医院窗口建档');
  const problem = inconsistency(input, dateIn(options.now, HIS_TIME_ZONE));
  if (problem) return problem;
  const created: StoredPatient = { hisPatientId: `HIS${String(state.nextNumber).padStart(8, '0')}`, name, sex: input.sex, birthDate: input.birthDate };
  state.nextNumber += 1;
  state.patients[patientKey(input.idType, input.idNumber)] = created;
  return [201, { patient: publicPatient(created) }];
}

/** Why a new record's details do not fit its document, or undefined when they do. */
function inconsistency(input: RegisterRequest, today: string): HisAnswer | undefined {
  if (!(ID_DOCUMENT_TYPES as readonly string[]).includes(input.idType)) return undefined; // a child's guardian key, or a type the MPI cannot read
  const document = validateIdDocument({ idType: input.idType as IdDocumentType, idNumber: input.idNumber, today });
  if (!document.ok) return refused('INVALID_ID_NUMBER', '证件号码无效');
  const { sex, birthDate } = document.value;
  if ((sex && input.sex !== sex) || (birthDate && input.birthDate !== birthDate)) {
    return refused('DETAILS_MISMATCH', '性别或出生日期与证件号码不符');
  }
  return undefined;
}

export function loadHisState(file: string | undefined): HisState {
  const empty: HisState = { version: 1, nextNumber: 10000001, patients: {}, registrations: {} };
  if (!file || !existsSync(file)) return empty;
  const parsed = zState.safeParse(parseJson(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`the HIS stand-in state file ${file} is not valid; delete it to start with no patients`);
  return parsed.data;
}

export function saveHisState(file: string | undefined, state: HisState): void {
  if (!file) return;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileAtomic(file, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
}
