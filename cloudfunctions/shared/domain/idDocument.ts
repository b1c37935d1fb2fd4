// Pure checks of the ID documents a patient card is bound with (GB 11643-1999 and its relatives); no I/O.
import { validatePersonName, type PersonNameErrorCode } from './personName';

export type Sex = 'male' | 'female';
export const SEXES = ['male', 'female'] as const satisfies readonly Sex[];

/** Documents that carry a number; a child without one is bound through a guardian instead. */
export const ID_DOCUMENT_TYPES = ['mainland_id', 'hmt_residence_permit', 'foreign_permanent_residence'] as const;
export type IdDocumentType = (typeof ID_DOCUMENT_TYPES)[number];
export const ID_TYPES = [...ID_DOCUMENT_TYPES, 'guardian_child'] as const;
export type IdType = (typeof ID_TYPES)[number];

/** What every pure validator returns: a normalised value, or a stable code with a sentence for the user. */
export type ValidationResult<T, C extends string = string> = { ok: true; value: T } | { ok: false; code: C; message: string };

export const ID_DOCUMENT_MESSAGES = {
  ID_NUMBER_EMPTY: '请填写证件号码。',
  ID_NUMBER_FORMAT: '证件号码应为18位，前17位是数字，最后一位是数字或X，请对照证件重新填写。',
  ID_NUMBER_OLD_FORMAT: '这是旧版15位身份证号码，请改填您现在所用身份证上的18位号码。',
  ID_NUMBER_REGION: '身份证号码前6位的地区码不对，请对照身份证再核对一下。',
  ID_NUMBER_PERMIT_REGION:
    '港澳台居民居住证号码应以810000、820000或830000开头，请对照居住证核对；如果您持的是居民身份证，请把证件类型改选为“居民身份证”。',
  ID_NUMBER_FOREIGN_FORMAT:
    '外国人永久居留身份证号码应为以9开头的18位数字，或旧版的3个英文字母加12位数字，请对照证件重新填写。',
  ID_NUMBER_FOREIGN_REGION: '永居证号码第2、3位的受理地代码不对，请对照证件再核对一下。',
  ID_NUMBER_BIRTH_DATE: '证件号码里的出生日期（第7到14位）不是有效日期，请对照证件再核对一下。',
  ID_NUMBER_BIRTH_DATE_TOO_EARLY: '证件号码里的出生年份早于1900年，请对照证件再核对第7到10位。',
  ID_NUMBER_FUTURE_BIRTH_DATE: '证件号码里的出生日期晚于今天，请对照证件再核对第7到14位。',
  ID_NUMBER_CHECKSUM: '证件号码最后一位校验不对，可能有数字填错了，请对照证件逐位再核对一遍。',
  ID_TYPE_SHOULD_BE_PERMIT: '这是港澳台居民居住证的号码，请把证件类型改选为“港澳台居民居住证”。',
  ID_TYPE_SHOULD_BE_FOREIGN: '这是外国人永久居留身份证的号码，请把证件类型改选为“外国人永久居留身份证”。',
} as const satisfies Record<string, string>;
export type IdDocumentErrorCode = keyof typeof ID_DOCUMENT_MESSAGES;

export interface IdDocument {
  idType: IdDocumentType;
  /** Trimmed, inner spaces removed, full-width folded, upper case. */
  idNumber: string;
  birthDate?: string;
  sex?: Sex;
}

export interface IdDocumentInput {
  idType: IdDocumentType;
  idNumber: string;
  /** YYYY-MM-DD in the hospital's zone: a birth date after it is refused. */
  today: string;
}

// Province-level codes of GB/T 2260 that appear on resident ID cards. 71 (Taiwan) is left out on purpose:
// no mainland card is issued with it; Taiwan residents hold permits starting 830000 instead.
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
]);
const PERMIT_PREFIXES = new Set(['810000', '820000', '830000']);
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1900-01-01';

const fail = <C extends string>(code: C, messages: Record<C, string>): { ok: false; code: C; message: string } => ({
  ok: false,
  code,
  message: messages[code],
});
const idFail = (code: IdDocumentErrorCode) => fail(code, ID_DOCUMENT_MESSAGES);

/** Whitespace anywhere (people copy numbers in groups) and full-width characters from Chinese keyboards. */
export function normaliseIdNumber(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').toUpperCase();
}

/** ISO 7064 MOD 11-2 over the first 17 digits, as GB 11643-1999 prescribes; 10 is written X. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= days[month - 1];
}

/** A strict YYYY-MM-DD that names a real calendar day, or undefined. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

export function assertIsoDate(text: string, name: string): void {
  // A bad `today` is a programming error, not the user's: fail loudly instead of refusing every card.
  if (!parseIsoDate(text)) throw new Error(`${name} must be a real YYYY-MM-DD date, got "${text}"`);
}

/** Completed years on `today`; a 29 February birthday comes round on 1 March in common years. */
export function ageOn(birthDate: string, today: string): number {
  const birth = parseIsoDate(birthDate);
  const now = parseIsoDate(today);
  if (!birth || !now) throw new Error(`ageOn needs YYYY-MM-DD dates, got "${birthDate}" and "${today}"`);
  const beforeBirthday = now.month < birth.month || (now.month === birth.month && now.day < birth.day);
  return now.year - birth.year - (beforeBirthday ? 1 : 0);
}

/** The shared tail of every 18-character number: birth date at 7-14, sex at 17, check char at 18. */
function checkNumberBody(idType: IdDocumentType, idNumber: string, today: string): ValidationResult<IdDocument, IdDocumentErrorCode> {
  const digits = idNumber.slice(6, 14);
  const [year, month, day] = [digits.slice(0, 4), digits.slice(4, 6), digits.slice(6, 8)].map(Number);
  if (!isRealDate(year, month, day)) return idFail('ID_NUMBER_BIRTH_DATE');
  const birthDate = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (birthDate < EARLIEST_BIRTH_DATE) return idFail('ID_NUMBER_BIRTH_DATE_TOO_EARLY');
  if (birthDate > today) return idFail('ID_NUMBER_FUTURE_BIRTH_DATE');
  if (idCheckChar(idNumber) !== idNumber[17]) return idFail('ID_NUMBER_CHECKSUM');
  const sex: Sex = Number(idNumber[16]) % 2 === 1 ? 'male' : 'female';
  return { ok: true, value: { idType, idNumber, birthDate, sex } };
}

const EIGHTEEN = /^\d{17}[\dX]$/;
const OLD_FOREIGN = /^[A-Z]{3}\d{12}$/;

function checkMainland(idNumber: string, today: string): ValidationResult<IdDocument, IdDocumentErrorCode> {
  if (/^\d{15}$/.test(idNumber)) return idFail('ID_NUMBER_OLD_FORMAT');
  // Point to the right document type only when the number really is one; a typo gets the plain error.
  if (OLD_FOREIGN.test(idNumber) || checkForeign(idNumber, today).ok) return idFail('ID_TYPE_SHOULD_BE_FOREIGN');
  if (!EIGHTEEN.test(idNumber)) return idFail('ID_NUMBER_FORMAT');
  if (PERMIT_PREFIXES.has(idNumber.slice(0, 6))) return idFail('ID_TYPE_SHOULD_BE_PERMIT');
  // Province from the table; the city part (digits 3-4) is never 00 below a province in GB/T 2260.
  // The county part is not checked: a full county table would be thousands of lines and goes stale.
  if (!PROVINCES.has(idNumber.slice(0, 2)) || idNumber.slice(2, 4) === '00') return idFail('ID_NUMBER_REGION');
  return checkNumberBody('mainland_id', idNumber, today);
}

function checkPermit(idNumber: string, today: string): ValidationResult<IdDocument, IdDocumentErrorCode> {
  if (!EIGHTEEN.test(idNumber)) return idFail('ID_NUMBER_FORMAT');
  if (!PERMIT_PREFIXES.has(idNumber.slice(0, 6))) return idFail('ID_NUMBER_PERMIT_REGION');
  return checkNumberBody('hmt_residence_permit', idNumber, today);
}

/**
 * Foreigners' permanent residence ID.
 * 2023 form (NIA, from 2023-12-01): 18 characters, `9` + 2-digit province of the accepting office
 * + 3-digit numeric nationality code + YYYYMMDD + 3-digit sequence + MOD 11-2 check char. Checked:
 * shape, province against the mainland table, birth date, check char. Not checked: the nationality
 * code (no country table). Sex is read from the 17th digit as on the resident ID, which the new form
 * mirrors; the published notice we could read states the layout and check algorithm, not the parity.
 * 2004/2017 form: 3 upper-case letters (nationality) + 12 digits. Only that shape is checked: the
 * meaning of the 12 digits (region, YYMMDD birth date, check digit) could not be confirmed from an
 * official source, so nothing is derived from them and a real card is never refused on a guess.
 */
function checkForeign(idNumber: string, today: string): ValidationResult<IdDocument, IdDocumentErrorCode> {
  if (OLD_FOREIGN.test(idNumber)) return { ok: true, value: { idType: 'foreign_permanent_residence', idNumber } };
  if (!/^9\d{16}[\dX]$/.test(idNumber)) return idFail('ID_NUMBER_FOREIGN_FORMAT');
  if (!PROVINCES.has(idNumber.slice(1, 3))) return idFail('ID_NUMBER_FOREIGN_REGION');
  return checkNumberBody('foreign_permanent_residence', idNumber, today);
}

export function validateIdDocument(input: IdDocumentInput): ValidationResult<IdDocument, IdDocumentErrorCode> {
  assertIsoDate(input.today, 'today');
  const idNumber = normaliseIdNumber(input.idNumber);
  if (idNumber === '') return idFail('ID_NUMBER_EMPTY');
  switch (input.idType) {
    case 'mainland_id':
      return checkMainland(idNumber, input.today);
    case 'hmt_residence_permit':
      return checkPermit(idNumber, input.today);
    case 'foreign_permanent_residence':
      return checkForeign(idNumber, input.today);
  }
}

// ---- Children without an ID, bound by a guardian (a per-hospital policy) ----

export const DEFAULT_GUARDIAN_MAX_AGE_YEARS = 14;

export const GUARDIAN_MESSAGES = {
  GUARDIAN_PATH_DISABLED: '本院暂不支持为没有证件的儿童建卡，请填写孩子户口簿上的身份证号码来绑定。',
  GUARDIAN_CHILD_BIRTH_DATE: '请按“年-月-日”选择孩子的出生日期。',
  GUARDIAN_CHILD_FUTURE_BIRTH_DATE: '孩子的出生日期不能晚于今天，请重新选择。',
  GUARDIAN_CHILD_TOO_OLD: '孩子已满{maxAge}周岁，请用孩子本人的身份证号码绑定（户口簿上就能找到）。',
} as const satisfies Record<string, string>;
export type GuardianErrorCode = keyof typeof GUARDIAN_MESSAGES;

export interface ChildBirthDateInput {
  birthDate: string;
  today: string;
  /** The child must be under this age (未满N周岁): refused from the Nth birthday on. */
  maxAgeYears?: number;
}

export function validateChildBirthDate(input: ChildBirthDateInput): ValidationResult<string, GuardianErrorCode> {
  assertIsoDate(input.today, 'today');
  const maxAge = input.maxAgeYears ?? DEFAULT_GUARDIAN_MAX_AGE_YEARS;
  const birthDate = input.birthDate.trim();
  if (!parseIsoDate(birthDate)) return fail('GUARDIAN_CHILD_BIRTH_DATE', GUARDIAN_MESSAGES);
  if (birthDate > input.today) return fail('GUARDIAN_CHILD_FUTURE_BIRTH_DATE', GUARDIAN_MESSAGES);
  if (ageOn(birthDate, input.today) >= maxAge) {
    const message = GUARDIAN_MESSAGES.GUARDIAN_CHILD_TOO_OLD.replace('{maxAge}', String(maxAge));
    return { ok: false, code: 'GUARDIAN_CHILD_TOO_OLD', message };
  }
  return { ok: true, value: birthDate };
}

export interface GuardianChildInput {
  /** The hospital's policy: may a guardian bind a child who has no ID number? */
  allowed: boolean;
  childName: string;
  childSex: Sex;
  childBirthDate: string;
  today: string;
  maxAgeYears?: number;
}

export interface GuardianChild {
  childName: string;
  childSex: Sex;
  childBirthDate: string;
}

export function validateGuardianChild(
  input: GuardianChildInput,
): ValidationResult<GuardianChild, GuardianErrorCode | PersonNameErrorCode> {
  if (!input.allowed) return fail('GUARDIAN_PATH_DISABLED', GUARDIAN_MESSAGES);
  const name = validatePersonName(input.childName);
  if (!name.ok) return name;
  const birth = validateChildBirthDate({ birthDate: input.childBirthDate, today: input.today, maxAgeYears: input.maxAgeYears });
  if (!birth.ok) return birth;
  return { ok: true, value: { childName: name.value, childSex: input.childSex, childBirthDate: birth.value } };
}
