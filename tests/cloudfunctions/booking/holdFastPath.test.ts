/**
 * Release morning's common answers (X2): "full" and "not yet released" come from what this process read
 * a moment ago, with no lease and no write, yet a place given back is offered again at once here and
 * within the cache's age everywhere, and a booked request replayed still gets its booking.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ObjectId } from 'mongodb';
import { main as bookingMain } from '../../../cloudfunctions/booking';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { holdCache } from '../../../cloudfunctions/shared/booking/holdCache';
import { sweepBookings } from '../../../cloudfunctions/shared/booking/sweeper';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_RELEASE_RULES } from '../../../cloudfunctions/shared/catalog/model';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { releaseInstant } from '../../../cloudfunctions/shared/domain/releaseRules';
import type { EmbeddedDb } from '../../../cloudfunctions/shared/db/embedded';
import { booking, hold, newRequestId, quickPatient, slotIdsOn } from '../../support/booking';
import { ADMIN, createClinic, seedHospital, ZONE, type TestClinic } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

let runtime: TestRuntime;

async function open(options: { rateLimits: boolean; places: number; feeFen?: number }): Promise<{ clinic: TestClinic; slots: string[] }> {
  scheduleCache.clear();
  catalogCache.invalidate();
  holdCache.clear();
  runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits: options.rateLimits });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  const clinic = await createClinic({ places: options.places, feeFen: options.feeFen ?? 0 });
  return { clinic, slots: await slotIdsOn(clinic.doctorId, 2) };
}

afterEach(async () => {
  holdCache.ttlMs = 500;
  await runtime.dispose();
});

/** Store work done by `run`: round trips (each a network hop on MongoDB) and documents written (each a journal sync). */
async function storeWork<T>(run: () => Promise<T>): Promise<{ result: T; roundTrips: number; written: number }> {
  const db = runtime.db as unknown as EmbeddedDb;
  const [trips, written] = [db.roundTrips, db.docsWritten];
  const result = await run();
  return { result, roundTrips: db.roundTrips - trips, written: db.docsWritten - written };
}

it('answers "full" with the next place and writes nothing: no lease, no appointment, no journal', async () => {
  const { slots } = await open({ rateLimits: false, places: 1 });
  await hold(await quickPatient(runtime, 'first'), slots[0]);
  expect((await hold(await quickPatient(runtime, 'second'), slots[0])).outcome).toBe('full');
  const late = await quickPatient(runtime, 'late');
  const { result, roundTrips, written } = await storeWork(() => hold(late, slots[0]));
  expect(result.outcome).toBe('full');
  expect(result.alternative?.slotId).toBe(slots[1]);
  expect(result.message).toMatch(/^这个时段的号已经约满了。王医生 \d+月\d+日 上午 08:30-09:00 还有号，要不要看看？$/);
  expect(written).toBe(0);
  // The caller's identity link (on this first call only, then remembered; a hold needs only the account's id) and
  // one read for the request sent again or the account's own place on the slot; the card is not read, the slot
  // and the alternative come from memory.
  expect(roundTrips).toBeLessThanOrEqual(2);
  expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(late.patientId) })).toBe(0);
});

it('with rate limits on, a tap on a full slot and one more try write nothing, a third writes the account\'s counter, and a script over its limit writes nothing', async () => {
  const { slots } = await open({ rateLimits: true, places: 1 });
  await hold(await quickPatient(runtime, 'first'), slots[0]);
  const script = await quickPatient(runtime, 'script');
  expect((await hold(script, slots[0])).outcome).toBe('full');
  const person = await quickPatient(runtime, 'tap-and-retry');
  for (let tap = 0; tap < 2; tap++) {
    const once = await storeWork(() => hold(person, slots[0]));
    expect(once.result.outcome).toBe('full');
    expect(once.written).toBe(0);
  }
  expect((await hold(script, slots[0])).outcome).toBe('full');
  const { result, written } = await storeWork(() => hold(script, slots[0]));
  expect(result.outcome).toBe('full');
  // The card is not read on this path, so only the account's budget counts (hold.user: 20 a minute).
  expect(written).toBe(1);
  expect(await runtime.db.collection('rateLimits').findOne({ _id: `hold.user:wx-test-app/${script.openid}` } as never)).toMatchObject({ count: 3 });
  expect(await runtime.db.collection('rateLimits').countDocuments({ _id: `hold.patient:${script.patientId}` } as never)).toBe(0);
  for (let i = 3; i < 20; i++) expect((await hold(script, slots[0])).outcome).toBe('full');
  const refused = async () => booking(script.openid, { action: 'hold', slotId: slots[0], patientId: script.patientId, requestId: newRequestId() });
  expect(await refused()).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  const again = await storeWork(refused);
  expect(again.result).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  expect(again.written).toBe(0);
});

it('answers a tap on a full slot with a card this account cannot see exactly as any card: "full", never spending that card\'s budget', async () => {
  const { slots } = await open({ rateLimits: true, places: 1 });
  const owner = await quickPatient(runtime, 'owner');
  await hold(owner, slots[0]);
  const stranger = await quickPatient(runtime, 'stranger');
  expect((await hold(stranger, slots[0])).outcome).toBe('full'); // decided by the store: "刚刚被约满了"
  const withOwnCard = await hold(stranger, slots[0]);
  for (let i = 0; i < 12; i++) {
    const withTheirs = dataOf<{ outcome: string; message: string }>(await booking(stranger.openid, { action: 'hold', slotId: slots[0], patientId: owner.patientId, requestId: newRequestId() }));
    expect(withTheirs).toEqual({ outcome: 'full', message: withOwnCard.message, alternative: withOwnCard.alternative });
  }
  expect(await runtime.db.collection('rateLimits').countDocuments({ _id: `hold.patient:${owner.patientId}` } as never)).toBe(0);
  // A malformed card id is still refused, and a card of theirs on a slot with places still gets NOT_FOUND.
  expect(await booking(stranger.openid, { action: 'hold', slotId: slots[0], patientId: 'not-an-id', requestId: newRequestId() })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  expect(await booking(stranger.openid, { action: 'hold', slotId: slots[1], patientId: owner.patientId, requestId: newRequestId() })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  expect(await appointmentsOf(runtime.db).countDocuments({ patientId: new ObjectId(owner.patientId) })).toBe(1);
});

it('answers a request sent again with its booking each time, outside the attempts\' budget, and stops a loop re-sending it', async () => {
  const { slots } = await open({ rateLimits: true, places: 2 });
  const who = await quickPatient(runtime, 'lost-answers');
  const requestId = newRequestId();
  const again = async () => dataOf<{ outcome: string; appointment: { id: string } }>(await booking(who.openid, { action: 'hold', slotId: slots[0], patientId: who.patientId, requestId }));
  const first = await again();
  expect(first.outcome).toBe('booked');
  // More times than the card's budget for a minute (10): a phone on a bad connection retrying the same tap.
  for (let i = 0; i < 15; i++) expect(await again()).toMatchObject({ outcome: 'booked', appointment: { id: first.appointment.id } });
  expect(await runtime.db.collection('rateLimits').countDocuments({ _id: { $regex: /^hold\./ } } as never)).toBe(0);
  // A new tap is still within the card's budget (and refused for its own reason: one place per doctor a day).
  expect(await booking(who.openid, { action: 'hold', slotId: slots[1], patientId: who.patientId, requestId: newRequestId() })).toMatchObject({ ok: false, code: 'SAME_DOCTOR_SAME_DAY' });
  // A loop re-sending the same request meets its own limit (30 a minute).
  for (let i = 15; i < 30; i++) await again();
  expect(await booking(who.openid, { action: 'hold', slotId: slots[0], patientId: who.patientId, requestId })).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
});

it('refuses a hold before the release instant without counting it or writing, and from memory the second time', async () => {
  const { clinic } = await open({ rateLimits: true, places: 1 });
  const [early] = await slotIdsOn(clinic.doctorId, 10);
  const who = await quickPatient(runtime, 'early-bird');
  const tap = () => booking(who.openid, { action: 'hold', slotId: early, patientId: who.patientId, requestId: newRequestId() });
  expect(await tap()).toMatchObject({ ok: false, code: 'NOT_RELEASED' });
  const second = await storeWork(tap);
  expect(second.result).toMatchObject({ ok: false, code: 'NOT_RELEASED', message: expect.stringMatching(/^这个时段的号将在\d+月\d+日 07:00 放号，请到时再来预约。$/) });
  // Not even the caller's account is read: its identity link is remembered, and a hold needs only the account's id.
  expect(second).toMatchObject({ roundTrips: 0, written: 0 });
  // Thirty taps before the release do not use up the person's holds for after it.
  for (let i = 0; i < 30; i++) expect(await tap()).toMatchObject({ code: 'NOT_RELEASED' });
  // (The schedule read that found the slot is counted under its own rule, not the hold's.)
  expect(await runtime.db.collection('rateLimits').countDocuments({ _id: { $not: /^schedule\./ } } as never)).toBe(0);
});

it('opens the session at the release instant by the business clock, the slot cached before it', async () => {
  const { clinic } = await open({ rateLimits: false, places: 1 });
  const [slotId] = await slotIdsOn(clinic.doctorId, 7);
  const slot = (await slotsOf(runtime.db).findOne({ _id: new ObjectId(slotId) }))!;
  const who = await quickPatient(runtime, 'at-seven');
  const tap = () => booking(who.openid, { action: 'hold', slotId, patientId: who.patientId, requestId: newRequestId() });
  // A minute before the release instant, then a second after it.
  const opensAt = releaseInstant(slot.date, DEFAULT_RELEASE_RULES, ZONE);
  runtime.clock.set(new Date(opensAt.getTime() - 60_000));
  expect(await tap()).toMatchObject({ ok: false, code: 'NOT_RELEASED' });
  runtime.clock.set(new Date(opensAt.getTime() + 1000));
  expect(dataOf<{ outcome: string }>(await tap()).outcome).toBe('booked');
});

it('offers a place given back by a cancellation in this process at once', async () => {
  const { slots } = await open({ rateLimits: false, places: 1 });
  const first = await quickPatient(runtime, 'first');
  const booked = await hold(first, slots[0]);
  expect((await hold(await quickPatient(runtime, 'second'), slots[0])).outcome).toBe('full');
  dataOf(await booking(first.openid, { action: 'cancel', appointmentId: booked.appointment!.id }));
  expect((await hold(await quickPatient(runtime, 'third'), slots[0])).outcome).toBe('booked');
});

it('offers a place given back by an expired hold as soon as the sweep has run', async () => {
  const { slots } = await open({ rateLimits: false, places: 1, feeFen: 2500 });
  expect((await hold(await quickPatient(runtime, 'unpaid'), slots[0])).outcome).toBe('pending_payment');
  expect((await hold(await quickPatient(runtime, 'second'), slots[0])).outcome).toBe('full');
  runtime.clock.advance(11 * 60_000);
  expect((await sweepBookings({ ...runtime, now: runtime.clock.now() })).expired).toBe(1);
  expect((await hold(await quickPatient(runtime, 'third'), slots[0])).outcome).toBe('pending_payment');
});

it('sees a place given back by another instance once the cache age has passed, and never later', async () => {
  const { slots } = await open({ rateLimits: false, places: 1 });
  holdCache.ttlMs = 60_000;
  const booked = await hold(await quickPatient(runtime, 'first'), slots[0]);
  expect((await hold(await quickPatient(runtime, 'second'), slots[0])).outcome).toBe('full');
  // Another instance cancels: the store changes, this process is not told.
  const id = new ObjectId(booked.appointment!.id);
  await appointmentsOf(runtime.db).updateOne({ _id: id }, { $set: { status: 'cancelled' }, $unset: { active: '' } });
  await slotsOf(runtime.db).updateOne({ _id: new ObjectId(slots[0]) }, { $inc: { remaining: 1 }, $pull: { holders: id }, $push: { freeNumbers: 1 } });
  // Within the age (here a minute), the answer read before the cancellation stands...
  expect((await hold(await quickPatient(runtime, 'too-soon'), slots[0])).outcome).toBe('full');
  // ...and once the age has passed, the place is offered: the age is the most a free place stays hidden.
  holdCache.ttlMs = 300;
  await sleep(300);
  expect((await hold(await quickPatient(runtime, 'third'), slots[0])).outcome).toBe('booked');
  expect(await slotsOf(runtime.db).findOne({ _id: new ObjectId(slots[0]) })).toMatchObject({ remaining: 0, holders: [expect.any(ObjectId)] });
});

it('replays a booked request with its booking, and tells its patient they hold the place, while others hear "full"', async () => {
  const { slots } = await open({ rateLimits: false, places: 1 });
  const first = await quickPatient(runtime, 'first');
  const requestId = newRequestId();
  const booked = await hold(first, slots[0], requestId);
  expect((await hold(await quickPatient(runtime, 'second'), slots[0])).outcome).toBe('full');
  const replayed = await hold(first, slots[0], requestId);
  expect(replayed).toMatchObject({ outcome: 'booked', appointment: { id: booked.appointment!.id } });
  const tappedAgain = await booking(first.openid, { action: 'hold', slotId: slots[0], patientId: first.patientId, requestId: newRequestId() });
  expect(tappedAgain).toMatchObject({ ok: false, code: 'SAME_DOCTOR_SAME_DAY' });
});

it('books exactly the capacity when a crowd taps at once, the cache answering most of them', async () => {
  const { slots } = await open({ rateLimits: false, places: 3 });
  const crowd = await Promise.all(Array.from({ length: 40 }, (_, i) => quickPatient(runtime, `crowd-${i}`)));
  const answers = await Promise.all(crowd.map((who) => hold(who, slots[0])));
  expect(answers.filter((answer) => answer.outcome === 'booked')).toHaveLength(3);
  expect(answers.filter((answer) => answer.outcome === 'full').every((answer) => answer.alternative?.slotId === slots[1])).toBe(true);
  const slot = await slotsOf(runtime.db).findOne({ _id: new ObjectId(slots[0]) });
  expect(slot).toMatchObject({ remaining: 0 });
  expect(slot!.holders).toHaveLength(3);
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slots[0]), status: 'booked' })).toBe(3);
});

it('asks a caller who never logged in, or has no identity, to log in on every path, and counts nothing for them', async () => {
  const { clinic, slots } = await open({ rateLimits: true, places: 1 });
  const [early] = await slotIdsOn(clinic.doctorId, 10);
  const owner = await quickPatient(runtime, 'card-owner');
  await hold(owner, slots[0]); // slots[0] is now full; slots[1] has a place; `early` is not yet released
  for (const slotId of [slots[0], slots[0], slots[1], early, early]) {
    for (const caller of ['never-logged-in', null]) {
      const answer = await callAs(bookingMain, caller, { action: 'hold', slotId, patientId: owner.patientId, requestId: newRequestId() });
      expect(answer).toMatchObject({ ok: false, code: 'UNAUTHENTICATED' });
    }
  }
  expect(await runtime.db.collection('rateLimits').countDocuments({ _id: { $regex: /never-logged-in/ } } as never)).toBe(0);
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slots[1]) })).toBe(0);
});
