// Pure check and normalisation of a mainland China mobile number; no I/O.
import type { ValidationResult } from './idDocument';

export const PHONE_MESSAGES = {
  PHONE_EMPTY: '请填写手机号码，方便医院联系您。',
  PHONE_FORMAT: '手机号码只能填数字，请核对后重新填写。',
  PHONE_LENGTH: '手机号码应为11位数字，请核对后重新填写。',
  PHONE_PREFIX: '请填写以13到19开头的11位手机号码，暂不支持固定电话。',
} as const satisfies Record<string, string>;
export type PhoneErrorCode = keyof typeof PHONE_MESSAGES;

const phoneFail = (code: PhoneErrorCode): { ok: false; code: PhoneErrorCode; message: string } => ({
  ok: false,
  code,
  message: PHONE_MESSAGES[code],
});

/**
 * 11 digits starting 13-19. Spaces, dashes and brackets are dropped and a +86 / 0086 / 86 country
 * prefix is removed (86 only in front of 11 more digits: no mobile number itself starts with 86).
 * The number plan's finer allocation (which 3-digit prefixes are live) is not checked: it changes.
 */
export function validateMobile(raw: string): ValidationResult<string, PhoneErrorCode> {
  let phone = raw.normalize('NFKC').replace(/[\s\-\u2010-\u2015()]/gu, '');
  if (phone === '') return phoneFail('PHONE_EMPTY');
  if (phone.startsWith('+86')) phone = phone.slice(3);
  else if (phone.startsWith('0086')) phone = phone.slice(4);
  else if (phone.length === 13 && phone.startsWith('86')) phone = phone.slice(2);
  if (!/^\d+$/.test(phone)) return phoneFail('PHONE_FORMAT');
  if (phone.length !== 11) return phoneFail('PHONE_LENGTH');
  if (!/^1[3-9]/.test(phone)) return phoneFail('PHONE_PREFIX');
  return { ok: true, value: phone };
}
