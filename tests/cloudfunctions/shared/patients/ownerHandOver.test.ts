/** Handing a card over when its owner leaves: the member chosen from a read may leave at the same moment, and then loses. */
import { ObjectId } from 'mongodb';
import { main as patientMain } from '../../../../cloudfunctions/patient';
import { handOverOwnership, nextOwner, transferOwnership } from '../../../../cloudfunctions/shared/patients/ownerHandOver';
import { linkId, linksOf, patientsOf } from '../../../../cloudfunctions/shared/patients/patientRepository';
import { loginUser } from '../../../../cloudfunctions/shared/users/userRepository';
import { quickPatient } from '../../../support/booking';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../../support/runtime';

let runtime: TestRuntime;
let patientId: ObjectId;
const members: Record<'owner' | 'first' | 'second', ObjectId> = {} as never;

beforeEach(async () => {
  runtime = await openTestRuntime();
  patientId = new ObjectId((await quickPatient(runtime, 'owner')).patientId);
  members.owner = (await patientsOf(runtime.db).findOne({ _id: patientId }))!.ownerUserId!;
  for (const [name, joined] of [['first', 1], ['second', 2]] as const) {
    const user = await loginUser(runtime.db, { openid: name, appid: 'wx-test-app' }, { now: new Date(), grantAdmin: false });
    members[name] = user._id;
    await linksOf(runtime.db).insertOne({ _id: linkId(user._id, patientId), userId: user._id, patientId, role: 'manager', relation: 'child', via: 'invite', createdAt: new Date(Date.now() + joined * 1000) });
  }
});
afterEach(() => runtime.dispose());

const ownerOfCard = async () => (await patientsOf(runtime.db).findOne({ _id: patientId }))!.ownerUserId;
const roleOf = async (userId: ObjectId) => (await linksOf(runtime.db).findOne({ _id: linkId(userId, patientId) }))?.role ?? null;
const leave = async (openid: string) => dataOf(await callAs(patientMain, openid, { action: 'unbind', patientId: patientId.toHexString() }));

it('hands the card to the longest-standing member when the owner leaves, and on again when that member leaves', async () => {
  await leave('owner');
  expect(await ownerOfCard()).toEqual(members.first);
  expect(await roleOf(members.first)).toBe('owner');
  await leave('first');
  expect(await ownerOfCard()).toEqual(members.second);
  expect(await roleOf(members.second)).toBe('owner');
});

it('a hand-over read before the chosen member left loses, and the card goes to the next member', async () => {
  // The owner's unbind: its link is gone and the next owner is read...
  await linksOf(runtime.db).deleteOne({ _id: linkId(members.owner, patientId) });
  const chosen = await nextOwner(runtime.db, patientId);
  expect(chosen?.userId).toEqual(members.first);
  // ...the chosen member leaves meanwhile...
  await leave('first');
  // ...and the hand-over written from the stale read does not make them owner of a card they left.
  expect(await transferOwnership(runtime.db, patientId, members.owner, chosen, new Date())).toBe(false);
  expect(await roleOf(members.first)).toBeNull();
  await handOverOwnership(runtime.db, patientId, new Date());
  expect(await ownerOfCard()).toEqual(members.second);
  expect(await roleOf(members.second)).toBe('owner');
});

it('leaves the card without an owner once the last member has left', async () => {
  await leave('owner');
  await leave('first');
  await leave('second');
  expect(await ownerOfCard()).toBeNull();
  expect(await linksOf(runtime.db).countDocuments({ patientId })).toBe(0);
});
