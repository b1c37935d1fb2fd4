// Zod schemas for binding a patient card, shared by the mini program's form and the `patient.bind` action.
import { z } from 'zod';
import {
  assertIsoDate,
  DEFAULT_GUARDIAN_MAX_AGE_YEARS,
  GUARDIAN_MESSAGES,
  ID_DOCUMENT_MESSAGES,
  ID_DOCUMENT_TYPES,
  SEXES,
  validateChildBirthDate,
  validateIdDocument,
  type IdDocument,
  type IdDocumentType,
  type IdType,
  type ValidationResult,
} from './idDocument';
import { PERSON_NAME_MESSAGES, validatePersonName } from './personName';
import { PHONE_MESSAGES, validateMobile } from './phone';

export const RELATIONS = ['self', 'parent', 'child', 'spouse', 'sibling', 'other'] as const;
export type Relation = (typeof RELATIONS)[number];
/** A child without an ID is bound by a guardian: never as the account holder, a spouse or a parent. */
export const GUARDIAN_RELATIONS = ['child', 'sibling', 'other'] as const satisfies readonly Relation[];

export const RELATION_LABELS: Record<Relation, string> = {
  self: '本人',
  parent: '父母',
  child: '子女',
  spouse: '配偶',
  sibling: '兄弟姐妹',
  other: '其他',
};

export const ID_TYPE_LABELS: Record<IdType, string> = {
  mainland_id: '居民身份证',
  hmt_residence_permit: '港澳台居民居住证',
  foreign_permanent_residence: '外国人永久居留身份证',
  guardian_child: '无证件儿童（监护人代办）',
};

export const SCHEMA_MESSAGES = {
  ID_TYPE_REQUIRED: '请选择证件类型。',
  RELATION_REQUIRED: '请选择就诊人与您的关系。',
  GUARDIAN_RELATION: '为没有证件的孩子代办时，关系请选择“子女”“兄弟姐妹”或“其他”。',
  CHILD_SEX_REQUIRED: '请选择孩子的性别。',
} as const satisfies Record<string, string>;

/** Every code a bind form can show, with its sentence: one table for the app and the function's docs. */
export const PATIENT_VALIDATION_MESSAGES = {
  ...ID_DOCUMENT_MESSAGES,
  ...GUARDIAN_MESSAGES,
  ...PERSON_NAME_MESSAGES,
  ...PHONE_MESSAGES,
  ...SCHEMA_MESSAGES,
} as const;
export type PatientValidationCode = keyof typeof PATIENT_VALIDATION_MESSAGES;

export interface BindPatientSchemaOptions {
  /** YYYY-MM-DD in the hospital's zone, taken from the caller's clock once per request or form. */
  today: string;
  /** Per-hospital policy: may a guardian bind a child who has no ID number? */
  guardianPathAllowed: boolean;
  /** The guardian path is for children under this age (未满N周岁); 14 unless the hospital says otherwise. */
  guardianMaxAgeYears?: number;
}

/**
 * A string field run through a pure validator: a failure becomes an issue on this field carrying
 * the validator's Chinese sentence and its code in `params.code`; a success yields the normalised value.
 */
function ruleField<T>(validate: (raw: string) => ValidationResult<T>) {
  const missing = validate('');
  return z.string({ error: missing.ok ? undefined : missing.message }).transform((raw, ctx) => {
    const result = validate(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: result.message, params: { code: result.code } });
    return z.NEVER;
  });
}

/** A mainland mobile number, checked and normalised exactly as on the add-card form. */
export const mobileField = () => ruleField(validateMobile);

const relationField = <const R extends readonly [Relation, ...Relation[]]>(values: R, message: string) =>
  z.enum(values, { error: (issue) => (issue.input === undefined ? SCHEMA_MESSAGES.RELATION_REQUIRED : message) });

export function makeBindPatientSchema(options: BindPatientSchemaOptions) {
  const { today, guardianPathAllowed } = options;
  const maxAgeYears = options.guardianMaxAgeYears ?? DEFAULT_GUARDIAN_MAX_AGE_YEARS;
  assertIsoDate(today, 'today');

  const name = ruleField(validatePersonName);
  const phone = mobileField();
  const documentVariant = <T extends IdDocumentType>(idType: T) =>
    z.object({
      idType: z.literal(idType),
      name,
      idNumber: ruleField((raw) => validateIdDocument({ idType, idNumber: raw, today })),
      phone,
      relation: relationField(RELATIONS, SCHEMA_MESSAGES.RELATION_REQUIRED),
    });

  const guardianVariant = z.object({
    idType: z.literal('guardian_child').superRefine((_, ctx) => {
      if (guardianPathAllowed) return;
      ctx.addIssue({
        code: 'custom',
        message: GUARDIAN_MESSAGES.GUARDIAN_PATH_DISABLED,
        params: { code: 'GUARDIAN_PATH_DISABLED' },
      });
    }),
    childName: name,
    childSex: z.enum(SEXES, { error: SCHEMA_MESSAGES.CHILD_SEX_REQUIRED }),
    childBirthDate: ruleField((raw) => validateChildBirthDate({ birthDate: raw, today, maxAgeYears })),
    phone,
    relation: relationField(GUARDIAN_RELATIONS, SCHEMA_MESSAGES.GUARDIAN_RELATION),
  });

  const [mainland, permit, foreign] = ID_DOCUMENT_TYPES;
  return z
    .discriminatedUnion(
      'idType',
      [documentVariant(mainland), documentVariant(permit), documentVariant(foreign), guardianVariant],
      { error: SCHEMA_MESSAGES.ID_TYPE_REQUIRED },
    )
    .transform((input) => {
      if (input.idType === 'guardian_child') return input;
      // The ID field parsed to the whole document; flatten it so callers get the derived facts too.
      // Absent facts stay absent rather than undefined: the MongoDB driver would store undefined as null.
      const { idNumber, birthDate, sex }: IdDocument = input.idNumber;
      return { ...input, idNumber, ...(birthDate && { birthDate }), ...(sex && { sex }) };
    });
}

export type BindPatientSchema = ReturnType<typeof makeBindPatientSchema>;
/** What the form sends. */
export type BindPatientInput = z.input<BindPatientSchema>;
/** What the action receives: normalised, with birth date and sex derived from the ID where it carries them. */
export type BindPatient = z.output<BindPatientSchema>;
