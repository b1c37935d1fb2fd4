/**
 * 1,000 random `bind` payloads, each carried through the proof flow the app follows (bind, sendProofCode with the same
 * payload, the code from the SMS stand-in, verifyProofCode): each one is a valid binding or a coded error, never a
 * crash, and the data stays consistent.
 */
import { main as patientMain } from '../../../cloudfunctions/patient';
import { main as userMain } from '../../../cloudfunctions/user';
import { startTestHis, type TestHis } from '../../support/his';
import { bindThroughProof } from '../../support/patients';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';
import { seededRandom } from '../../support/random';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const digits = (length: number) => Array.from({ length }, () => Math.floor(random() * 10)).join('');

function checkChar(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((total, digit, index) => total + Number(digit) * weights[index], 0);
  return '10X98765432'[sum % 11];
}

function validId(): string {
  const year = 1930 + Math.floor(random() * 95);
  const body = `${pick(['110105', '310104', '440106', '510107'])}${year}${String(1 + Math.floor(random() * 12)).padStart(2, '0')}${String(1 + Math.floor(random() * 28)).padStart(2, '0')}${digits(3)}`;
  return body + checkChar(body);
}

const WEIRD = [null, 0, -1, Number.MAX_VALUE * 10, true, [], {}, { $gt: '' }, '', ' ', '\u0000', '<script>', 'x'.repeat(5000), '💉', '13800138000'];
const NAMES = ['张秀英', '王磊', '阿依古丽·买买提', '欧阳娜娜', 'John Smith', '李', '张3', '王 磊', 'Anne-Marie O\'Neil', '王·', '·王'];
const PHONES = ['13812345678', '+86 139 0000 1111', '12345678901', '1381234567', '0086-13700002222', '19912345678'];
const ID_TYPES = ['mainland_id', 'hmt_residence_permit', 'foreign_permanent_residence', 'guardian_child', 'passport'];
const RELATIONS = ['self', 'parent', 'child', 'spouse', 'sibling', 'other', 'boss'];

function randomPayload(): Record<string, unknown> {
  const maybe = <T>(value: T) => (random() < 0.08 ? pick(WEIRD) : value);
  const idType = maybe(pick(ID_TYPES));
  const payload: Record<string, unknown> = { action: 'bind', idType, phone: maybe(pick(PHONES)), relation: maybe(pick(RELATIONS)) };
  if (idType === 'guardian_child') {
    Object.assign(payload, {
      childName: maybe(pick(NAMES)),
      childSex: maybe(pick(['male', 'female', 'other'])),
      childBirthDate: maybe(pick(['2024-05-01', '2019-02-29', '2030-01-01', '2010-01-01', '20240501'])),
    });
  } else {
    const idNumber = pick([validId(), validId(), validId().slice(0, 15), digits(18), validId().toLowerCase(), `810000${validId().slice(6)}`, 'ABC' + digits(12)]);
    Object.assign(payload, { name: maybe(pick(NAMES)), idNumber: maybe(idNumber) });
  }
  if (random() < 0.1) delete payload[pick(Object.keys(payload).filter((key) => key !== 'action'))];
  if (random() < 0.05) payload.openid = 'someone-else';
  return payload;
}

const EXPECTED_CODES = new Set([
  'INVALID_PARAMS',
  'PATIENT_ALREADY_BOUND',
  'PATIENT_LIMIT_REACHED',
  'PATIENT_NEEDS_PROOF',
  // A known ID typed with another phone: no code went out, so none matches.
  'PROOF_CODE_INVALID',
  'PROOF_NOT_MATCHED',
  'GUARDIAN_NEEDS_OWN_CARD',
  'HIS_REFUSED',
]);

describe(`bind fuzz (seed ${SEED})`, () => {
  let his: TestHis;
  let runtime: TestRuntime;
  const users = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8'];

  beforeAll(async () => {
    his = await startTestHis();
    // 1,000 binds from eight accounts are a script by definition; the limits have their own tests.
    runtime = await openTestRuntime({ rateLimits: false }, { his: his.client });
    for (const openid of users) dataOf(await callAs(userMain, openid, { action: 'login' }));
  });
  afterAll(async () => {
    await runtime.dispose();
    await his.standIn.close();
  });

  it('answers 1,000 random payloads with bindings or expected coded errors', async () => {
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const { action: _bind, ...payload } = randomPayload();
      const user = pick(users);
      // The per-phone code limits (60 s apart, 5 a day) have their own tests; here every payload is a fresh attempt.
      await runtime.db.collection('phoneCodeSends').deleteMany({});
      const result = await bindThroughProof((event) => callAs(patientMain, user, event), runtime.smsStandIn!, payload);
      const outcome = result.ok ? 'ok' : result.code;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (!result.ok && !EXPECTED_CODES.has(result.code)) throw new Error(`payload ${JSON.stringify(payload).slice(0, 300)} gave ${result.code}`);
      if (!result.ok) expect(result.message).toMatch(/[\u4e00-\u9fa5]/);
    }
    // The generator must really exercise both sides.
    expect(outcomes.get('ok')).toBeGreaterThan(20);
    expect(outcomes.get('INVALID_PARAMS')).toBeGreaterThan(200);
  });

  it('leaves the data consistent: counts match links, no account over the limit, no dangling links', async () => {
    const links = await runtime.db.collection('patientLinks').find({}).toArray();
    const patients = new Set((await runtime.db.collection('patients').find({}).toArray()).map((patient) => patient._id.toHexString()));
    const users = await runtime.db.collection('users').find({}).toArray();
    // The fuzz above bound cards for many accounts: empty lists here would check nothing.
    expect(links.length).toBeGreaterThan(20);
    expect(users.length).toBeGreaterThan(1);
    for (const link of links) expect(patients.has(link.patientId.toHexString())).toBe(true);
    for (const user of users) {
      const own = links.filter((link) => link.userId.equals(user._id)).length;
      expect(own).toBeLessThanOrEqual(runtime.config.patientCardLimit);
      expect(user.patientCount ?? 0).toBe(own);
    }
  });
});
