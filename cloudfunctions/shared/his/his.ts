// The port to the hospital information system (HIS), which owns the patient master index (seed 001, 4.1).

export interface HisPatient {
  hisPatientId: string;
  name: string;
}

export interface HisPatientQuery {
  /** The document type as the binding flow names it (resident ID, residence permit, ...). */
  idType: string;
  idNumber: string;
}

export interface HisRegistrationInput extends HisPatientQuery {
  name: string;
  sex?: 'male' | 'female';
  /** YYYY-MM-DD. */
  birthDate?: string;
  phone: string;
}

/** A paid (or free) appointment confirmed in the HIS; `bookingId` is our appointment id and the idempotency key. */
export interface HisRegistrationRequest {
  bookingId: string;
  hisPatientId: string;
  doctorId: string;
  departmentId: string;
  /** YYYY-MM-DD, hospital time. */
  date: string;
  /** ISO instants of the window. */
  start: string;
  end: string;
  number: number;
  feeFen: number;
}

/** 替诊: the registration now belongs to another doctor's session (a new number there); `bookingId` stays the key. */
export interface HisMoveRequest {
  bookingId: string;
  doctorId: string;
  departmentId: string;
  /** YYYY-MM-DD, hospital time. */
  date: string;
  start: string;
  end: string;
  number: number;
}

export interface HisRegistration {
  hisRegistrationId: string;
  bookingId: string;
}

export interface HisClient {
  /** The patient with this document, or null when the HIS does not know them yet. */
  findPatient(query: HisPatientQuery): Promise<HisPatient | null>;
  /** Registers the patient; a patient the HIS already knows is returned as is (registering twice is safe). */
  registerPatient(input: HisRegistrationInput): Promise<HisPatient>;
  /** Y3: confirms the registration after payment. Idempotent by bookingId: a retry returns the same registration. */
  confirmRegistration(input: HisRegistrationRequest): Promise<HisRegistration>;
  /** B4: cancels it (退号). Idempotent: cancelling twice, or something never confirmed, succeeds. */
  cancelRegistration(bookingId: string): Promise<void>;
  /**
   * A2 替诊: moves a confirmed registration to the substitute's session. Idempotent: moving it again to the same
   * place answers the same registration. Refused (HisError 'refused') for one the HIS never confirmed
   * (UNKNOWN_REGISTRATION) or already cancelled (REGISTRATION_CANCELLED).
   */
  moveRegistration(input: HisMoveRequest): Promise<HisRegistration>;
}

/**
 * Why the HIS could not help:
 * - 'refused': the HIS answered and said no (e.g. the name does not match the ID number); retrying will not help,
 *   the patient has to check what they typed or go to the hospital's counter.
 * - 'unavailable': no usable answer (down, timeout, 5xx, garbage, or our credentials were rejected); try later.
 */
export type HisErrorKind = 'refused' | 'unavailable';

/** Finer detail for logs and alerts; callers decide on `kind` alone. */
export type HisErrorReason =
  | 'refused'
  | 'timeout'
  | 'network'
  | 'server_error'
  | 'bad_response'
  /** 401: wrong HIS_APP_ID/HIS_SECRET or a skewed clock, reported as 'unavailable' because the patient can only wait. */
  | 'unauthorized'
  | 'unexpected_status';

/** The sentences a patient sees for each kind; the HIS's own wording is kept in `hisMessage` for staff. */
export const HIS_PATIENT_MESSAGES: Record<HisErrorKind, string> = {
  refused: '医院系统未能核实您的身份信息，请核对姓名和证件号码后再试；如仍有问题，请到医院门诊服务台办理。',
  unavailable: '医院系统暂时连接不上，请稍后再试一次，给您添麻烦了。',
};

export class HisError extends Error {
  readonly kind: HisErrorKind;
  readonly reason: HisErrorReason;
  /** HTTP status from the HIS, when it answered. */
  readonly status?: number;
  /** The HIS's code and sentence for a refusal (e.g. NAME_MISMATCH). */
  readonly hisCode?: string;
  readonly hisMessage?: string;

  constructor(
    kind: HisErrorKind,
    message: string,
    details: { reason?: HisErrorReason; status?: number; hisCode?: string; hisMessage?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'HisError';
    this.kind = kind;
    this.reason = details.reason ?? (kind === 'refused' ? 'refused' : 'server_error');
    this.status = details.status;
    this.hisCode = details.hisCode;
    this.hisMessage = details.hisMessage;
  }

  /** What to tell the patient, in kind Chinese. */
  get patientMessage(): string {
    return HIS_PATIENT_MESSAGES[this.kind];
  }
}
