// Structured one-line JSON logs. Personal data is scrubbed from every line as a last line of defence:
// names by field (no pattern tells a name from other words), ID and phone numbers by pattern in any
// form the validators accept (shared/domain/phone.ts, idDocument.ts), wherever they appear.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export const REDACTED = '[redacted]';

/**
 * Fields whose value is personal whatever it looks like, compared without case: a person's name under
 * any of the names our payloads and WeChat's use, and phone / ID fields (their value may be a form the
 * patterns below cannot know, e.g. a half-typed number).
 */
const PERSONAL_FIELDS = new Set(
  [
    'name', 'patientName', 'realName', 'nickname', 'nickName', 'childName', 'fullName', 'personName', 'guardianName',
    'payerName', 'ownerName', 'holderName', 'contactName', 'userName',
    'phone', 'mobile', 'phoneNumber', 'purePhoneNumber', 'idNumber', 'idCard', 'idNo',
  ].map((key) => key.toLowerCase()),
);

// Patterns run on the text as the validators see it: NFKC per character (full-width digits, ＋, （）, the
// ideographic space), then the separators each validator drops may sit between any two characters.
const PHONE_SEPARATOR = String.raw`[\s\-\u2010-\u2015()]*`; // validateMobile drops these
const ID_SEPARATOR = String.raw`\s*`; // normaliseIdNumber drops whitespace
const spaced = (parts: string[], separator: string) => parts.join(separator);
const digitsSpaced = (count: number, separator: string) => `(?:${separator}\\d){${count}}`;

/** 11 digits from 13-19 after an optional +86, 0086 or 86, the way validateMobile reads them. */
const PHONE = `(?:(?:${spaced(['\\+', '8', '6'], PHONE_SEPARATOR)}|${spaced(['0', '0', '8', '6'], PHONE_SEPARATOR)}|${spaced(['8', '6'], PHONE_SEPARATOR)})${PHONE_SEPARATOR})?1${PHONE_SEPARATOR}[3-9]${digitsSpaced(9, PHONE_SEPARATOR)}`;
/** 18 characters (resident ID, HMT permit, 2023 foreign permit), the old foreign permit, and old 15-digit IDs. */
const ID_NUMBER = [
  `\\d${digitsSpaced(16, ID_SEPARATOR)}${ID_SEPARATOR}[\\dXx]`,
  `[A-Za-z]${ID_SEPARATOR}[A-Za-z]${ID_SEPARATOR}[A-Za-z]${digitsSpaced(12, ID_SEPARATOR)}`,
  `\\d${digitsSpaced(14, ID_SEPARATOR)}`,
].join('|');
// Not inside a longer run of letters and digits: request ids, out_trade_no and transaction ids are such runs.
const PERSONAL_NUMBER = new RegExp(`(?<![0-9A-Za-z])(?:${ID_NUMBER}|${PHONE})(?![0-9A-Za-z])`, 'g');

// A JSON escape inside a logged string (a HIS body, a payload kept as text) stands for its character:
// `138\t1234\t5678` in JSON text is a number typed with tabs.
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|([bfnrt"\\/]))/y;
const ESCAPED: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', '/': '/' };

const folds = new Map<string, string>();

/**
 * What a non-ASCII character reads as to the patterns: its NFKC form when that has a digit, a letter, '+' or a
 * separator (３, ＋, （, ①, the ideographic space), else itself (its form could not change a match).
 */
function readAs(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x80 || (code >= 0x3400 && code <= 0x9fff)) return char; // ASCII and common ideographs are their own form
  let form = folds.get(char);
  if (form === undefined) {
    const folded = char.normalize('NFKC');
    form = /[0-9A-Za-z+\s\-\u2010-\u2015()]/u.test(folded) ? folded : char;
    if (folds.size < 10_000) folds.set(char, form);
  }
  return form;
}

/** The text as the validators read it, with where in `text` each unit of it came from. */
function foldForMatching(text: string): { folded: string; from: number[]; to: number[] } {
  let folded = '';
  const from: number[] = [];
  const to: number[] = [];
  for (let at = 0; at < text.length; ) {
    let char = String.fromCodePoint(text.codePointAt(at)!);
    let end = at + char.length;
    if (char === '\\') {
      JSON_ESCAPE.lastIndex = at;
      const escape = JSON_ESCAPE.exec(text);
      if (escape) {
        char = escape[1] ? String.fromCharCode(parseInt(escape[1], 16)) : ESCAPED[escape[2]];
        end = at + escape[0].length;
      }
    }
    const form = readAs(char);
    folded += form;
    for (let i = 0; i < form.length; i++) {
      from.push(at);
      to.push(end);
    }
    at = end;
  }
  return { folded, from, to };
}

/** Whether the patterns can run on `text` as it is: no JSON escape, and no character that reads as another. */
function readsAsItself(text: string): boolean {
  if (text.includes('\\')) return false;
  for (const char of text) if (readAs(char) !== char) return false;
  return true;
}

/** Replaces every ID or phone number in `text`, in any form the validators accept, with [redacted]. */
export function scrub(text: string): string {
  // Printable ASCII without a digit has nothing to scrub (other scripts may read as digits: ①, ３).
  if (!/[^\x20-\x7F]|\d/.test(text)) return text;
  if (readsAsItself(text)) return text.replace(PERSONAL_NUMBER, REDACTED);
  const { folded, from, to } = foldForMatching(text);
  let out = '';
  let copied = 0;
  for (const match of folded.matchAll(PERSONAL_NUMBER)) {
    const start = from[match.index];
    if (start < copied) continue; // inside a character already redacted (a fold into several units)
    out += text.slice(copied, start) + REDACTED;
    copied = to[match.index + match[0].length - 1];
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/**
 * JSON.stringify's replacer: personal fields go whole; every other string, every number (a phone kept as a
 * number) and every key (a map keyed by phone) is scrubbed. Values reach it after their toJSON.
 */
function scrubField(this: unknown, key: string, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (PERSONAL_FIELDS.has(key.toLowerCase())) return REDACTED;
  if (typeof value === 'string') return scrub(value);
  if (typeof value === 'number') return scrub(String(value)) === String(value) ? value : REDACTED;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.some((name) => scrub(name) !== name)) return Object.fromEntries(keys.map((name) => [scrub(name), (value as Record<string, unknown>)[name]]));
  }
  return value;
}

/** One log line, its personal data scrubbed before JSON escapes it. */
export function formatLogLine(fields: Record<string, unknown>): string {
  return JSON.stringify(fields, scrubField);
}

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(line + '\n'),
): Logger {
  const emit = (at: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    write(formatLogLine({ time: new Date().toISOString(), level: at, message, ...fields }));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}

/** What an unexpected error may contribute to a log line: its name, message and stack, scrubbed. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.name, detail: error.message, stack: error.stack };
  return { error: String(error) };
}
