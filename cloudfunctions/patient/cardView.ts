// What a caller sees of a patient card: ID and phone numbers decrypted only to be masked.
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import type { Context } from '../shared/context';
import { ageOn, type IdType, type Sex } from '../shared/domain/idDocument';
import { maskIdNumber, maskPhone } from '../shared/domain/mask';
import type { Relation } from '../shared/domain/patientSchemas';
import type { ManagedPatient, ManagerRole, PatientLinkDoc } from '../shared/patients/patientRepository';

dayjs.extend(utc);
dayjs.extend(timezone);

export interface PatientCard {
  id: string;
  name: string;
  idType: IdType;
  idNumberMasked: string | null;
  phoneMasked: string;
  sex?: Sex;
  birthDate?: string;
  age?: number;
  relation: Relation;
  role: ManagerRole;
  isDefault: boolean;
  managers?: ManagerView[];
}

export interface ManagerView {
  userId: string;
  role: ManagerRole;
  relation: Relation;
  since: string;
}

/** Today's date in the hospital's zone, the reference for ages and birth-date checks. */
export function hospitalToday(context: Pick<Context, 'now' | 'config'>): string {
  return dayjs(context.now).tz(context.config.timeZone).format('YYYY-MM-DD');
}

export function toPatientCard(context: Context, managed: ManagedPatient, options: { isDefault: boolean; managers?: PatientLinkDoc[] }): PatientCard {
  const { patient, link } = managed;
  const card: PatientCard = {
    id: patient._id.toHexString(),
    name: patient.name,
    idType: patient.idType,
    idNumberMasked: patient.idNumberSealed ? maskIdNumber(context.pii.decrypt(patient.idNumberSealed)) : null,
    phoneMasked: maskPhone(context.pii.decrypt(patient.phoneSealed)),
    relation: link.relation,
    role: link.role,
    isDefault: options.isDefault,
  };
  if (patient.sex) card.sex = patient.sex;
  if (patient.birthDate) {
    card.birthDate = patient.birthDate;
    card.age = ageOn(patient.birthDate, hospitalToday(context));
  }
  if (options.managers) {
    card.managers = options.managers.map((manager) => ({
      userId: manager.userId.toHexString(),
      role: manager.role,
      relation: manager.relation,
      since: manager.createdAt.toISOString(),
    }));
  }
  return card;
}
