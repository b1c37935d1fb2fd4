// Booking test fixtures: many accounts with one patient card each, written straight to the store
// (binding 2,000 cards through the HIS stand-in would test the patient function, not booking).
import { randomBytes } from 'node:crypto';
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../cloudfunctions/booking';
import { main as catalogMain } from '../../cloudfunctions/catalog';
import { scheduleCache } from '../../cloudfunctions/shared/catalog/scheduleCache';
import type { Sex } from '../../cloudfunctions/shared/domain/idDocument';
import { linkId, linksOf, patientsOf } from '../../cloudfunctions/shared/patients/patientRepository';
import { loginUser } from '../../cloudfunctions/shared/users/userRepository';
import { dayFromToday } from './catalog';
import { callAs, dataOf, type TestRuntime } from './runtime';

export interface QuickPatient {
  openid: string;
  patientId: string;
}

/** `appid` defaults to the one callAs uses; the local host's dev login uses DEV_APPID. */
export async function quickPatient(
  runtime: TestRuntime,
  openid: string,
  person: { name?: string; sex?: Sex; birthDate?: string; appid?: string } = {},
): Promise<QuickPatient> {
  const now = new Date();
  const user = await loginUser(runtime.db, { openid, appid: person.appid ?? 'wx-test-app' }, { now, grantAdmin: false });
  const patientId = new ObjectId();
  await patientsOf(runtime.db).insertOne({
    _id: patientId,
    personKey: randomBytes(16).toString('hex'),
    idType: 'mainland_id',
    idNumberSealed: 'sealed-in-test',
    phoneSealed: 'sealed-in-test',
    name: person.name ?? '测试患者',
    sex: person.sex ?? 'female',
    birthDate: person.birthDate ?? '1980-05-01',
    hisPatientId: `HIS-${patientId.toHexString()}`,
    ownerUserId: user._id,
    createdAt: now,
    updatedAt: now,
  });
  await linksOf(runtime.db).insertOne({ _id: linkId(user._id, patientId), userId: user._id, patientId, role: 'owner', relation: 'self', via: 'bind', createdAt: now });
  return { openid, patientId: patientId.toHexString() };
}

export const newRequestId = () => randomBytes(12).toString('hex');

export interface HoldAnswer {
  outcome: 'booked' | 'pending_payment' | 'full';
  message: string;
  appointment?: { id: string; status: string; number: number | null; message: string; holdExpiresAt: string | null; cancel: { allowed: boolean; until: string | null; rule: string } };
  alternative?: { slotId: string; sentence: string } | null;
}

export const booking = (openid: string, event: Record<string, unknown>) => callAs(bookingMain, openid, event);

export async function hold(who: QuickPatient, slotId: string, requestId = newRequestId()): Promise<HoldAnswer> {
  return dataOf<HoldAnswer>(await booking(who.openid, { action: 'hold', slotId, patientId: who.patientId, requestId }));
}

/** The ids of a doctor's slots on the day `offset` days from today, read the way the app reads them. */
export async function slotIdsOn(doctorId: string, offset: number): Promise<string[]> {
  scheduleCache.clear();
  const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, 'patient', { action: 'schedules', doctorId }));
  return days.find((day) => day.date === dayFromToday(offset))!.periods.flatMap((period) => period.slots.map((slot) => slot.id));
}
