/** The per-account card limit's recount: it heals a counter a crash left high, and a recount whose read went stale loses. */
import { ObjectId } from 'mongodb';
import { correctCardCount, readCardCount, reserveCardSlot } from '../../../../cloudfunctions/shared/patients/cardSlots';
import { linkId, linksOf } from '../../../../cloudfunctions/shared/patients/patientRepository';
import type { UserDoc } from '../../../../cloudfunctions/shared/users/userRepository';
import { quickPatient } from '../../../support/booking';
import { openTestRuntime, type TestRuntime } from '../../../support/runtime';

const LIMIT = 2;
let runtime: TestRuntime;
let userId: ObjectId;
const users = () => runtime.db.collection<UserDoc>('users');

/** Completes a bind after its reservation: the link to a new card. */
const link = (patientId = new ObjectId()) =>
  linksOf(runtime.db).insertOne({ _id: linkId(userId, patientId), userId, patientId, role: 'owner', relation: 'self', via: 'bind', createdAt: new Date() });

beforeEach(async () => {
  runtime = await openTestRuntime();
  await quickPatient(runtime, 'card-owner');
  userId = (await linksOf(runtime.db).findOne({}))!.userId;
  // One card linked, but a process died after reserving a second place: the counter says 2.
  await users().updateOne({ _id: userId }, { $set: { patientCount: LIMIT } });
});
afterEach(() => runtime.dispose());

it('recounts a counter a crash left high and lets the account bind up to its limit, not beyond', async () => {
  expect(await reserveCardSlot(runtime.db, userId, LIMIT)).toBe(true);
  await link();
  expect(await reserveCardSlot(runtime.db, userId, LIMIT)).toBe(false);
  expect(await linksOf(runtime.db).countDocuments({ userId })).toBe(LIMIT);
});

it('a recount read before another bind loses: its write changes nothing and the limit holds', async () => {
  const stale = await readCardCount(runtime.db, userId);
  expect(stale.linked).toBe(1);
  // Meanwhile another instance recounts, reserves and links the second card: the counter is back to 2.
  expect(await reserveCardSlot(runtime.db, userId, LIMIT)).toBe(true);
  await link();
  expect((await users().findOne({ _id: userId }))?.patientCount).toBe(LIMIT);
  // The stale recount would set the counter to 1 and let a third card in.
  expect(await correctCardCount(runtime.db, userId, stale)).toBe(false);
  expect((await users().findOne({ _id: userId }))?.patientCount).toBe(LIMIT);
  expect(await reserveCardSlot(runtime.db, userId, LIMIT)).toBe(false);
});
