// Pure check and normalisation of a person's name as written on their ID document; no I/O.
import type { ValidationResult } from './idDocument';

export const PERSON_NAME_MESSAGES = {
  NAME_EMPTY: '请填写姓名。',
  NAME_TOO_SHORT: '姓名至少要有2个字，请按证件上的姓名填写完整。',
  NAME_TOO_LONG: '姓名太长了，请按证件上的姓名填写（汉字最多20个，英文最多60个字符）。',
  NAME_DIGITS: '姓名里不能有数字，请按证件上的姓名填写。',
  NAME_MIXED_SCRIPT: '姓名请只用汉字或只用英文字母，不要混在一起，请按证件上的姓名填写。',
  NAME_INVALID_CHARS: '姓名里有无法识别的符号，请只填写证件上的汉字或英文字母。',
  NAME_DOT_POSITION: '少数民族姓名中的间隔点“·”只能放在两个字之间，请核对后重新填写。',
  NAME_PUNCTUATION: '英文姓名里的连字符、撇号或点的位置不对，请按证件上的拼写填写。',
} as const satisfies Record<string, string>;
export type PersonNameErrorCode = keyof typeof PERSON_NAME_MESSAGES;

export const CHINESE_NAME_LENGTH = { min: 2, max: 20 } as const;
export const LATIN_NAME_LENGTH = { min: 2, max: 60 } as const;

const HAN = /\p{Script=Han}/u;
// What people type for the separator of minority names (阿依古丽·买买提): the Latin middle dot, bullets,
// the katakana dot of Japanese keyboards, and the full stops a Chinese IME produces for '.'.
const DOT_VARIANTS = /[\u00B7\u2022\u2027\u2219\u22C5\u30FB\uFF65.\uFF0E\u3002\uFF61]/gu;
const MIDDLE_DOT = '\u00B7';

const nameFail = (code: PersonNameErrorCode): { ok: false; code: PersonNameErrorCode; message: string } => ({
  ok: false,
  code,
  message: PERSON_NAME_MESSAGES[code],
});

function checkLength(name: string, limits: { min: number; max: number }): ValidationResult<string, PersonNameErrorCode> {
  // Code points, not UTF-16 units: rare characters in names live outside the BMP (e.g. 𠇔).
  const length = Array.from(name).length;
  if (length < limits.min) return nameFail('NAME_TOO_SHORT');
  if (length > limits.max) return nameFail('NAME_TOO_LONG');
  return { ok: true, value: name };
}

function checkChineseName(raw: string): ValidationResult<string, PersonNameErrorCode> {
  // No Unicode normalisation here: NFC would rewrite CJK compatibility ideographs some names rely on.
  const name = raw.replace(/\s+/gu, '').replace(DOT_VARIANTS, MIDDLE_DOT);
  for (const char of name) {
    if (HAN.test(char) || char === MIDDLE_DOT) continue;
    return nameFail(/\p{L}/u.test(char) ? 'NAME_MIXED_SCRIPT' : 'NAME_INVALID_CHARS');
  }
  if (name.startsWith(MIDDLE_DOT) || name.endsWith(MIDDLE_DOT) || name.includes(MIDDLE_DOT + MIDDLE_DOT)) {
    return nameFail('NAME_DOT_POSITION');
  }
  return checkLength(name, CHINESE_NAME_LENGTH);
}

function checkLatinName(raw: string): ValidationResult<string, PersonNameErrorCode> {
  // NFKC folds full-width letters from Chinese keyboards and composes accents (José, Müller).
  const name = raw
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02BC`\u00B4]/gu, "'")
    .replace(/[\u2010-\u2015]/gu, '-')
    .trim()
    .replace(/\s+/gu, ' ')
    .replace(/ ?([-']) ?/gu, '$1')
    .replace(/ \./gu, '.');
  if (!/^[\p{Script=Latin}\p{M} .'-]+$/u.test(name) || !/\p{Script=Latin}/u.test(name)) return nameFail('NAME_INVALID_CHARS');
  if (!/^\p{L}/u.test(name) || /[-']$/.test(name) || /[-'.]{2}/.test(name)) return nameFail('NAME_PUNCTUATION');
  return checkLength(name, LATIN_NAME_LENGTH);
}

/**
 * A Chinese name (Han characters, with '·' between the parts of a minority name) or a Latin name
 * for foreigners (letters, spaces, hyphen, apostrophe, dot), never both. Case is kept as typed.
 */
export function validatePersonName(raw: string): ValidationResult<string, PersonNameErrorCode> {
  if (raw.trim() === '') return nameFail('NAME_EMPTY');
  if (/\p{Nd}/u.test(raw)) return nameFail('NAME_DIGITS');
  return HAN.test(raw) ? checkChineseName(raw) : checkLatinName(raw);
}
