/**
 * Per-person quotas (B1, X1) with the 114 numbers switched on: the 4th visit within 7 days is refused for the
 * person whichever account books it, with a sentence that says what to do; a cancelled visit frees its count.
 */
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { PERSON_QUOTAS_114 } from '../../../cloudfunctions/shared/domain/personQuotas';
import { linkId, linksOf } from '../../../cloudfunctions/shared/patients/patientRepository';
import { loginUser } from '../../../cloudfunctions/shared/users/userRepository';
import { newRequestId, quickPatient, slotIdsOn } from '../../support/booking';
import { ADMIN, createClinic, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

describe('per-person quotas across accounts', () => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    scheduleCache.clear();
    catalogCache.invalidate();
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime, { personQuotas: PERSON_QUOTAS_114 });
  });
  afterEach(() => runtime.dispose());

  it('refuses the 4th visit in 7 days on every account that manages the card', async () => {
    const { doctorId } = await createClinic({ places: 4, feeFen: 0 });
    const owner = await quickPatient(runtime, 'quota-owner');
    const user = await loginUser(runtime.db, { openid: 'quota-son', appid: 'wx-test-app' }, { now: new Date(), grantAdmin: false });
    const patientId = new ObjectId(owner.patientId);
    await linksOf(runtime.db).insertOne({ _id: linkId(user._id, patientId), userId: user._id, patientId, role: 'manager', relation: 'parent', via: 'invite', createdAt: new Date() });
    const holdOn = async (openid: string, day: number) => callAs(bookingMain, openid, { action: 'hold', slotId: (await slotIdsOn(doctorId, day))[0], patientId: owner.patientId, requestId: newRequestId() });

    const first = dataOf<{ appointment: { id: string } }>(await holdOn(owner.openid, 1));
    dataOf(await holdOn('quota-son', 2));
    dataOf(await holdOn(owner.openid, 3));
    const refusal = { ok: false, code: 'PERSON_QUOTA', message: '按医院规定，每位就诊人连续 7 天内最多预约 3 次，这位就诊人已经约满了。请改约其他日期，或先取消不需要的预约。' };
    expect(await holdOn('quota-son', 4)).toMatchObject(refusal);
    expect(await holdOn(owner.openid, 5)).toMatchObject(refusal);

    // Cancelling one frees its count.
    dataOf(await callAs(bookingMain, owner.openid, { action: 'cancel', appointmentId: first.appointment.id }));
    expect(await holdOn('quota-son', 4)).toMatchObject({ ok: true });
  });
});
