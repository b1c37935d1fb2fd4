// The port to WeChat's phone-number check: the code from a mini program's getPhoneNumber button, exchanged
// server-side for the phone number WeChat has verified for the caller (phonenumber.getPhoneNumber).
// @see https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html

export interface WxPhoneNumber {
  /** With the country code for numbers outside mainland China. */
  phoneNumber: string;
  /** Without the country code. */
  purePhoneNumber: string;
  countryCode: string;
}

export interface WxPhoneClient {
  /** The phone number behind a one-time button code; the code is spent by this call. */
  getPhoneNumber(code: string): Promise<WxPhoneNumber>;
}

/**
 * - 'refused': WeChat answered that the code is bad, used or expired (errcode 40029 and kin): ask the person to tap again.
 * - 'unavailable': not configured, unreachable, busy (-1), our credentials or token were refused.
 */
export type WxPhoneErrorKind = 'refused' | 'unavailable';

export class WxPhoneError extends Error {
  readonly kind: WxPhoneErrorKind;
  readonly errcode?: number;

  constructor(kind: WxPhoneErrorKind, message: string, details: { errcode?: number; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'WxPhoneError';
    this.kind = kind;
    this.errcode = details.errcode;
  }
}

/** errcodes that mean "this code will never work": invalid (40029), used (40163), expired or not this app's (40013 is our appid: not the person's fault). */
const REFUSED_ERRCODES = new Set([40029, 40163, 41008, 40226]);

export function wxPhoneErrorFor(errcode: number, errmsg: string | undefined): WxPhoneError {
  return new WxPhoneError(REFUSED_ERRCODES.has(errcode) ? 'refused' : 'unavailable', `getPhoneNumber failed: ${errcode} ${errmsg ?? ''}`.trim(), { errcode });
}
