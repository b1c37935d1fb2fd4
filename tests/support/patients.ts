// Valid test identities (real check digits) and a helper to bind them through the patient function.
import { main as patientMain } from '../../cloudfunctions/patient';
import { callAs, dataOf } from './runtime';

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

export async function bindAs(openid: string, person: (typeof PEOPLE)[keyof typeof PEOPLE], relation = 'self'): Promise<Card> {
  return dataOf<{ patient: Card }>(await callAs(patientMain, openid, { action: 'bind', ...person, relation })).patient;
}
