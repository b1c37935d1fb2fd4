// The port to an SMS provider: send a one-time code to a mainland mobile number (Tencent Cloud SMS in production).

export interface SmsCodeMessage {
  /** 11-digit mainland mobile number, already validated. */
  phone: string;
  /** The one-time code, e.g. "042517". */
  code: string;
  /** How many minutes the code stays good, shown in the message. */
  minutes: number;
}

export interface SmsClient {
  sendCode(message: SmsCodeMessage): Promise<void>;
}

/**
 * - 'refused': the provider answered and said no for this number (e.g. a bad or blocked number, its
 *   own frequency limit); retrying now will not help.
 * - 'unavailable': no usable answer (not configured, down, timeout, bad signature or credentials).
 */
export type SmsErrorKind = 'refused' | 'unavailable';

export class SmsError extends Error {
  readonly kind: SmsErrorKind;
  /** The provider's code (e.g. LimitExceeded.PhoneNumberDailyLimit), for logs only. */
  readonly providerCode?: string;

  constructor(kind: SmsErrorKind, message: string, details: { providerCode?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'SmsError';
    this.kind = kind;
    this.providerCode = details.providerCode;
  }
}
