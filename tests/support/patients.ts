// Valid test identities (real check digits) and helpers that bind them the way the app does: bind, then the
// code the SMS stand-in received, then verifyProofCode.
import { main as patientMain } from '../../cloudfunctions/patient';
import type { SmsStandIn } from '../../cloudfunctions/local/smsStandIn';
import { idCheckChar } from '../../cloudfunctions/shared/domain/idDocument';
import type { Result } from '../../cloudfunctions/shared/errors';
import { activeTestRuntime, callAs, dataOf } from './runtime';

/** Mainland IDs with correct MOD 11-2 check characters. */
export const PEOPLE = {
  grandmother: { name: '张秀英', idType: 'mainland_id', idNumber: '11010519491231002X', phone: '13812345678' },
  son: { name: '王磊', idType: 'mainland_id', idNumber: '110105197803150016', phone: '13900001111' },
  aunt: { name: '李桂芳', idType: 'mainland_id', idNumber: '310104196505200026', phone: '13700002222' },
} as const;

export interface Card {
  id: string;
  name: string;
  idNumberMasked: string;
  phoneMasked: string;
  role: 'owner' | 'manager';
  isDefault: boolean;
  relation: string;
  managers?: { userId: string; role: string }[];
}

/**
 * Binds a card through any transport (`call` sends one patient event): `bind`, and when it asks for proof,
 * `sendProofCode`, the code the SMS stand-in received for the typed phone, `verifyProofCode`. Answers the first
 * refusal, or the final answer; when no code was sent (a known person with another phone) a wrong code is tried.
 */
export async function bindThroughProof(call: (event: Record<string, unknown>) => Promise<Result<unknown>>, sms: SmsStandIn, form: Record<string, unknown>): Promise<Result<unknown>> {
  const asked = await call({ action: 'bind', ...form });
  if (asked.ok || asked.code !== 'PATIENT_NEEDS_PROOF') return asked;
  const before = sms.messages().length;
  const sent = await call({ action: 'sendProofCode', ...form });
  if (!sent.ok) return sent;
  // The code goes out once per request, if at all (the typed phone as normalised by the server).
  const code = sms.messages().slice(before).pop()?.code ?? '000000';
  return call({ action: 'verifyProofCode', proofId: (sent.data as { proofId: string }).proofId, code });
}

/**
 * Binds a card for a test's starting point. The card is set up "earlier": its code does not count against the
 * phone's minute gap and daily five, so the test can then ask for codes to that phone as a person would later.
 */
export async function bindAs(openid: string, who: { name: string; idType: string; idNumber: string; phone: string }, relation = 'self'): Promise<Card> {
  const runtime = activeTestRuntime();
  const answer = await bindThroughProof((event) => callAs(patientMain, openid, event), runtime.smsStandIn, { ...who, relation });
  await runtime.db.collection('phoneCodeSends').deleteOne({ _id: runtime.pii.blindIndex('phone', who.phone) as never });
  return dataOf<{ patient: Card }>(answer).patient;
}

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜';

/**
 * The n-th of many distinct people with valid mainland IDs (n from 0 to 999), for tests that bind more
 * people than PEOPLE holds; the HIS stand-in files each with the sex and birth date its number carries.
 */
export function person(n: number): { name: string; idType: 'mainland_id'; idNumber: string; phone: string } {
  const birth = `19${String(50 + (n % 40)).padStart(2, '0')}${String(1 + (n % 12)).padStart(2, '0')}${String(1 + (n % 28)).padStart(2, '0')}`;
  const first17 = `110105${birth}${String(n).padStart(3, '0')}`;
  return { name: `${SURNAMES[n % SURNAMES.length]}测${'一二三四五六七八九十'[Math.floor(n / SURNAMES.length) % 10]}`, idType: 'mainland_id', idNumber: first17 + idCheckChar(first17), phone: `137${String(n).padStart(8, '0')}` };
}
