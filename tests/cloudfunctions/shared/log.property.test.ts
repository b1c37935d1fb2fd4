/**
 * Personal data never reaches a log line in any form the validators accept: thousands of phone and ID numbers
 * generated from the validators' own rules (every separator, prefix and character NFKC folds to a digit), each
 * checked against the validator and then logged inside text, JSON strings and fields; names by field. And the
 * numbers logs carry for operators (request ids, out_trade_no, transaction ids, durations, amounts) come through.
 * A failure replays with FUZZ_SEED.
 */
import { ObjectId } from 'mongodb';
import { validateIdDocument, idCheckChar, type IdDocumentType } from '../../../cloudfunctions/shared/domain/idDocument';
import { validatePersonName } from '../../../cloudfunctions/shared/domain/personName';
import { validateMobile } from '../../../cloudfunctions/shared/domain/phone';
import { createLogger, describeError, REDACTED } from '../../../cloudfunctions/shared/log';
import { newOutTradeNo, outRefundNoFor } from '../../../cloudfunctions/shared/payment/payments';
import { seededRandom } from '../../support/random';

const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const digits = (length: number) => Array.from({ length }, () => Math.floor(random() * 10)).join('');
const TODAY = '2026-12-01';
const RUNS = 1500;

// Every character the validators read as a digit, a '+', or a separator they drop: found by NFKC itself.
const FOLDS_TO = { digit: new Map<string, string[]>(), plus: [] as string[], phoneSeparator: [] as string[], space: [] as string[] };
for (let code = 0; code <= 0x2ffff; code++) {
  if (code >= 0xd800 && code <= 0xdfff) continue;
  const char = String.fromCodePoint(code);
  const folded = char.normalize('NFKC');
  if (/^\d$/.test(folded)) FOLDS_TO.digit.set(folded, [...(FOLDS_TO.digit.get(folded) ?? []), char]);
  else if (folded === '+') FOLDS_TO.plus.push(char);
  else if (/^[\s\-\u2010-\u2015()]+$/u.test(folded)) FOLDS_TO.phoneSeparator.push(char);
  if (/^\s+$/u.test(folded)) FOLDS_TO.space.push(char);
}

type Spelling = 'ascii' | 'fullWidth' | 'anyForm';

/** A character as typed: ASCII, full-width from a Chinese keyboard, or any other form NFKC folds the same. */
function spell(char: string, spelling: Spelling): string {
  if (spelling === 'ascii' || random() < 0.4) return char;
  if (/\d/.test(char)) return spelling === 'fullWidth' ? String.fromCharCode(0xff10 + Number(char)) : pick(FOLDS_TO.digit.get(char)!);
  if (char === '+') return spelling === 'fullWidth' ? '\uff0b' : pick(FOLDS_TO.plus);
  return char;
}

/** Separators between characters: none most of the time, else one or two the validator drops. */
function gap(separators: readonly string[]): string {
  const roll = random();
  if (roll < 0.55) return '';
  const common = [' ', '-', '  ', ' - ', '(', ')', '\t', '\u3000', '\u00a0', '－', '（', '）', '\n'].filter((char) => separators.includes(char) || /^\s+$/.test(char));
  return Array.from({ length: roll < 0.9 ? 1 : 2 }, () => (random() < 0.7 ? pick(common) : pick(separators))).join('');
}

const typed = (value: string, separators: readonly string[], spelling: Spelling) => gap(separators) + [...value].map((char) => spell(char, spelling) + gap(separators)).join('');
const spelling = (): Spelling => pick(['ascii', 'ascii', 'fullWidth', 'anyForm']);

/** As people write them (13812345678, +86 138 1234 5678, 138-1234-5678), or with separators anywhere. */
function phoneForms(): { core: string; raw: string } {
  const core = `1${3 + Math.floor(random() * 7)}${digits(9)}`;
  const prefix = pick(['', '', '+86', '0086', '86', '(+86)']);
  const how = spelling();
  if (random() < 0.5) {
    const separator = pick(['', ' ', '-', '\u3000', '－', ' - ']);
    const grouped = `${prefix}${prefix ? pick(['', ' ', '-']) : ''}${core.slice(0, 3)}${separator}${core.slice(3, 7)}${separator}${core.slice(7)}`;
    return { core, raw: [...grouped].map((char) => spell(char, how)).join('') };
  }
  return { core, raw: typed(prefix + core, FOLDS_TO.phoneSeparator, how) };
}

function idForms(): { type: IdDocumentType; core: string; raw: string } {
  const birth = `${1930 + Math.floor(random() * 95)}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
  const withCheck = (first17: string) => first17 + idCheckChar(first17);
  const kind = pick(['mainland', 'mainland', 'permit', 'foreign', 'foreignOld'] as const);
  const { type, core } =
    kind === 'mainland' ? { type: 'mainland_id' as const, core: withCheck(`${pick(['110105', '310104', '440106', '510107', '650102'])}${birth}${digits(3)}`) }
    : kind === 'permit' ? { type: 'hmt_residence_permit' as const, core: withCheck(`${pick(['810000', '820000', '830000'])}${birth}${digits(3)}`) }
    : kind === 'foreign' ? { type: 'foreign_permanent_residence' as const, core: withCheck(`9${pick(['11', '31', '44'])}${digits(3)}${birth}${digits(3)}`) }
    : { type: 'foreign_permanent_residence' as const, core: `${pick(['USA', 'GBR', 'JPN', 'KOR'])}${digits(12)}` };
  // The check character X may be typed in lower case; the old foreign letters too.
  const cased = random() < 0.3 ? core.toLowerCase() : core;
  return { type, core, raw: random() < 0.4 ? cased : typed(cased, FOLDS_TO.space, spelling()) };
}

const SURNAMES = [...'赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜'];
const GIVEN = [...'秀英磊桂芳建国娜伟敏静丽强军杰涛明超霞平刚'];
function nameForms(): string {
  const roll = random();
  if (roll < 0.6) return pick(SURNAMES) + Array.from({ length: 1 + Math.floor(random() * 2) }, () => pick(GIVEN)).join('');
  if (roll < 0.8) return `${pick(['阿依古丽', '买买提', '热依拉', '古丽'])}·${pick(['买买提', '艾力', '吐尔逊'])}`;
  return `${pick(['Anne-Marie', 'John', 'José', 'Zoë'])} ${pick(["O'Neil", 'Smith', 'Müller', 'van der Berg'])}`;
}

/** What a reader of the line could put back together: every form folded, separators and JSON escapes dropped. */
const readable = (line: string) => line.normalize('NFKC').replace(/\\+(?:u[0-9a-fA-F]{4}|[bfnrt])/g, '').replace(/[\s\-\u2010-\u2015()]/gu, '').toUpperCase();

// Text around a number in a message: words, punctuation, quotes, and other numbers a space or comma away.
const BEFORE = ['', '电话', '手机号：', '联系电话 ', 'phone=', 'tel:', '"', '（', '号码为', '订单 123 ', '第 3 号，', 'a, 45, '];
const AFTER = ['', '。', '，请回电', ' ', '"', '）', ' 456', ', 7', '；备用', ' 已发送'];

function logLines(text: string): string[] {
  const lines: string[] = [];
  const log = createLogger('debug', (line) => lines.push(line));
  log.info(`bind failed for ${text}`);
  log.warn('his request failed', { detail: text });
  log.warn('his answer', { body: JSON.stringify({ data: { contact: text, note: `call ${text}` } }) });
  log.error('unexpected error', { requestId: 'r1', ...describeError(new Error(`duplicate key: { phone: "${text}" }`)) });
  log.debug('list', { values: [text, { inner: [text] }] });
  return lines;
}

describe('log scrubbing, property-style', () => {
  it('found the separators and digit forms the validators accept (the generators use them)', () => {
    expect(FOLDS_TO.digit.get('1')!.length).toBeGreaterThan(10);
    expect(FOLDS_TO.phoneSeparator).toEqual(expect.arrayContaining([' ', '-', '(', '\u3000', '\uff08', '\u2014']));
  });

  it(`drops ${RUNS} accepted phone numbers, in any form and any place, from every log line (seed ${SEED})`, () => {
    for (let run = 0; run < RUNS; run++) {
      const { core, raw } = phoneForms();
      const accepted = validateMobile(raw);
      expect({ raw, accepted }).toEqual({ raw, accepted: { ok: true, value: core } });
      const text = pick(BEFORE) + raw + pick(AFTER);
      for (const line of logLines(text)) {
        if (readable(line).includes(core)) throw new Error(`phone ${JSON.stringify(raw)} in ${JSON.stringify(text)} leaked: ${line}`);
        expect(line).toContain(REDACTED);
      }
    }
  });

  it(`drops ${RUNS} accepted ID numbers of every document type from every log line (seed ${SEED})`, () => {
    for (let run = 0; run < RUNS; run++) {
      const { type, core, raw } = idForms();
      const accepted = validateIdDocument({ idType: type, idNumber: raw, today: TODAY });
      expect({ raw, ok: accepted.ok }).toEqual({ raw, ok: true });
      const text = pick(BEFORE) + raw + pick(AFTER);
      for (const line of logLines(text)) {
        if (readable(line).includes(core)) throw new Error(`ID ${JSON.stringify(raw)} in ${JSON.stringify(text)} leaked: ${line}`);
      }
    }
  });

  it('drops accepted names wherever a field carries one, at any depth, in any case of the key', () => {
    const keys = ['name', 'patientName', 'realName', 'nickname', 'nickName', 'childName', 'fullName', 'PATIENTNAME', 'guardianName'];
    for (let run = 0; run < 300; run++) {
      const name = nameForms();
      expect(validatePersonName(name)).toEqual({ ok: true, value: name });
      const lines: string[] = [];
      const key = pick(keys);
      createLogger('info', (line) => lines.push(line)).info('bound a card', {
        [key]: name,
        patient: { [key]: name, id: 'p1' },
        family: [{ [key]: name, relation: 'parent' }],
      });
      expect(lines[0]).not.toContain(name);
      expect(JSON.parse(lines[0])).toMatchObject({ message: 'bound a card', [key]: REDACTED, patient: { [key]: REDACTED, id: 'p1' }, family: [{ relation: 'parent' }] });
    }
  });

  it('keeps the numbers operators read: request ids, order numbers, transaction ids, durations, amounts, dates', () => {
    const hex = (length: number) => Array.from({ length }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
    for (let run = 0; run < RUNS; run++) {
      const appointmentId = new ObjectId(hex(24));
      const outTradeNo = newOutTradeNo(appointmentId);
      const fields = {
        requestId: pick([`${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`, hex(24), digits(12) + hex(12)]),
        userId: hex(24),
        appointmentId: appointmentId.toHexString(),
        outTradeNo,
        legacyOutTradeNo: `YY${appointmentId.toHexString()}`,
        outRefundNo: outRefundNoFor(outTradeNo),
        transactionId: `42000${digits(23)}`,
        providerRequestId: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
        durationMs: Math.floor(random() * 60_000),
        amountFen: Math.floor(random() * 100_000),
        attempt: 1 + Math.floor(random() * 3),
        billDate: `2026-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
        window: '08:00-08:30',
        now: new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 1e10)).toISOString(),
        serials: [hex(40).toUpperCase()],
        jobs: `bookingSweep:ok,paymentSweep:${pick(['ok', 'skipped'])}`,
      };
      const lines: string[] = [];
      createLogger('info', (line) => lines.push(line)).info(`payment notification ${fields.outTradeNo} after ${fields.durationMs} ms`, fields);
      expect(lines[0]).not.toContain(REDACTED);
      expect(JSON.parse(lines[0])).toMatchObject({ ...fields, message: `payment notification ${fields.outTradeNo} after ${fields.durationMs} ms` });
    }
  });
});
