/**
 * Release by draw (抽签放号, X1) on the embedded store with the business clock frozen: the holds of the
 * window become one entry per person, every entrant gets a definite answer right after the window, the
 * places go to exactly as many people as there are places, and resolving again changes nothing.
 */
import { ObjectId } from 'mongodb';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { drawEntriesOf, drawsOf, resolveDraw, resolveDueDraws } from '../../../cloudfunctions/shared/booking/draws';
import { holdCache } from '../../../cloudfunctions/shared/booking/holdCache';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { departmentsOf, slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_RELEASE_RULES } from '../../../cloudfunctions/shared/catalog/model';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { createControlledClock } from '../../../cloudfunctions/shared/clock';
import { createContext } from '../../../cloudfunctions/shared/context';
import { releaseInstant } from '../../../cloudfunctions/shared/domain/releaseRules';
import { linkId, linksOf } from '../../../cloudfunctions/shared/patients/patientRepository';
import { loginUser } from '../../../cloudfunctions/shared/users/userRepository';
import { booking, newRequestId, quickPatient, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, ZONE } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(120_000);

const SENTENCE = '本号源 07:00-07:00:30 内的预约将随机分配，结果将在 07:00:31 告诉您';

interface DrawAnswer {
  outcome: 'drawing' | 'booked' | 'pending_payment' | 'not_drawn' | 'full';
  message: string;
  resultAt?: string;
  appointment?: { id: string; status: string };
  alternative?: { slotId: string } | null;
}

let runtime: TestRuntime;
let slotId: string;
let opensAt: Date;

async function open(options: { places: number; feeFen?: number; rateLimits?: boolean }) {
  scheduleCache.clear();
  catalogCache.invalidate();
  holdCache.clear();
  runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits: options.rateLimits ?? false }, { clock: createControlledClock({ running: false }) });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  const clinic = await createClinic({ places: options.places, feeFen: options.feeFen ?? 0 });
  // Catalog data, like the other release rules: this clinic releases by draw with the default window.
  await departmentsOf(runtime.db).updateOne({ _id: new ObjectId(clinic.departmentId) }, { $set: { draw: { windowSeconds: 30 } } });
  catalogCache.invalidate();
  const date = dayFromToday(7);
  const slot = await slotsOf(runtime.db).findOne({ doctorId: new ObjectId(clinic.doctorId), date }, { sort: { start: 1 } });
  slotId = slot!._id.toHexString();
  opensAt = releaseInstant(date, DEFAULT_RELEASE_RULES, ZONE);
}

afterEach(async () => {
  await runtime.dispose();
});

const at = (offsetMs: number) => runtime.clock.set(new Date(opensAt.getTime() + offsetMs));

async function holdAs(openid: string, patientId: string, requestId: string) {
  return booking(openid, { action: 'hold', slotId, patientId, requestId });
}

/** A second account that holds the same card (a family member managing it). */
async function shareCard(card: QuickPatient, openid: string): Promise<QuickPatient> {
  const user = await loginUser(runtime.db, { openid, appid: 'wx-test-app' }, { now: new Date(), grantAdmin: false });
  const patientId = new ObjectId(card.patientId);
  await linksOf(runtime.db).insertOne({ _id: linkId(user._id, patientId), userId: user._id, patientId, role: 'manager', relation: 'child', via: 'invite', createdAt: new Date() });
  return { openid, patientId: card.patientId };
}

it('20 people on 25 accounts, 5 places: 5 booked by draw, everyone answered, one entry per person', async () => {
  await open({ places: 5 });
  const people: QuickPatient[] = [];
  for (let i = 0; i < 20; i++) people.push(await quickPatient(runtime, `person-${i}`));
  const accounts = [...people];
  for (let i = 0; i < 5; i++) accounts.push(await shareCard(people[i], `family-${i}`));
  const requests = accounts.map(() => newRequestId());

  at(-1);
  expect(await holdAs(accounts[0].openid, accounts[0].patientId, requests[0])).toMatchObject({ ok: false, code: 'NOT_RELEASED' });

  // Spread over the window, the +0 ms and the +29.999 s tap alike.
  for (const [index, account] of accounts.entries()) {
    at(index === accounts.length - 1 ? 29_999 : index * 1000);
    const answer = dataOf<DrawAnswer>(await holdAs(account.openid, account.patientId, requests[index]));
    expect(answer).toEqual({ outcome: 'drawing', message: SENTENCE, resultAt: new Date(opensAt.getTime() + 31_000).toISOString() });
  }
  expect(await drawEntriesOf(runtime.db).countDocuments({ slotId: new ObjectId(slotId) })).toBe(20);
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slotId) })).toBe(0);

  // At the window's end each account polls by re-sending its hold: the first poll resolves the draw.
  at(30_000);
  const answers = [];
  for (const [index, account] of accounts.entries()) answers.push(dataOf<DrawAnswer>(await holdAs(account.openid, account.patientId, requests[index])));
  expect(answers.every((answer) => answer.outcome === 'booked' || answer.outcome === 'not_drawn')).toBe(true);
  const bookedPeople = new Set(answers.flatMap((answer, index) => (answer.outcome === 'booked' ? [accounts[index].patientId] : [])));
  expect(bookedPeople.size).toBe(5);
  // Both accounts of a shared card hear the same thing.
  for (let i = 0; i < 5; i++) expect(answers[20 + i].outcome).toBe(answers[i].outcome);
  const losers = answers.filter((answer) => answer.outcome === 'not_drawn');
  expect(losers[0].message).toMatch(/^很遗憾，这次抽签没有抽中。/);
  expect(losers[0].alternative).toEqual(expect.objectContaining({ slotId: expect.any(String) }));
  const slot = await slotsOf(runtime.db).findOne({ _id: new ObjectId(slotId) });
  expect(slot!.remaining).toBe(0);
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slotId), active: true })).toBe(5);

  // Resolving again (the tick, another poll) changes nothing.
  const before = await drawEntriesOf(runtime.db).find({}).sort({ _id: 1 }).toArray();
  const context = createContext({ runtime, identity: null });
  expect(await resolveDraw(context, new ObjectId(slotId))).toBe('resolved');
  expect(await resolveDueDraws(context)).toBe(0);
  expect(await drawEntriesOf(runtime.db).find({}).sort({ _id: 1 }).toArray()).toEqual(before);
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slotId), active: true })).toBe(5);

  // After the window a new person is first-come for what is left: nothing.
  const late = await quickPatient(runtime, 'late');
  expect(dataOf<DrawAnswer>(await holdAs(late.openid, late.patientId, newRequestId())).outcome).toBe('full');
});

it('priced places: the drawn are pending payment; parallel resolvers book each place once', async () => {
  await open({ places: 2, feeFen: 2500 });
  const people: QuickPatient[] = [];
  for (let i = 0; i < 6; i++) people.push(await quickPatient(runtime, `priced-${i}`));
  const requests = people.map(() => newRequestId());
  for (const [index, who] of people.entries()) {
    at(index * 5000);
    expect(dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index])).outcome).toBe('drawing');
  }
  at(30_000);
  const context = () => createContext({ runtime, identity: null });
  const outcomes = await Promise.all([0, 1, 2, 3].map(() => resolveDraw(context(), new ObjectId(slotId))));
  expect(outcomes.filter((outcome) => outcome === 'resolved').length).toBeGreaterThanOrEqual(1);
  const draw = await drawsOf(runtime.db).findOne({ _id: new ObjectId(slotId) });
  expect(draw).toMatchObject({ status: 'resolved' });
  expect(draw!.order).toHaveLength(6);
  const answers = await Promise.all(people.map(async (who, index) => dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index]))));
  expect(answers.filter((answer) => answer.outcome === 'pending_payment')).toHaveLength(2);
  expect(answers.filter((answer) => answer.outcome === 'not_drawn')).toHaveLength(4);
  // The places went to the first two of the recorded order.
  const winners = answers.flatMap((answer, index) => (answer.outcome === 'pending_payment' ? [people[index].patientId] : []));
  expect(new Set(winners)).toEqual(new Set(draw!.order!.slice(0, 2)));
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slotId), active: true })).toBe(2);
});

it('a resolver killed half-way is resumed: its order is kept, its booking is not made twice', async () => {
  await open({ places: 2 });
  const people: QuickPatient[] = [];
  for (let i = 0; i < 4; i++) people.push(await quickPatient(runtime, `crash-${i}`));
  const requests = people.map(() => newRequestId());
  for (const [index, who] of people.entries()) {
    at(index * 1000);
    await holdAs(who.openid, who.patientId, requests[index]);
  }
  // The dead resolver fixed this order, took the lease, booked both places and died before writing any result.
  at(30_000);
  const order = [people[2], people[0], people[3], people[1]].map((who) => who.patientId);
  await drawsOf(runtime.db).updateOne({ _id: new ObjectId(slotId) }, { $set: { order } });
  expect(await resolveDraw(createContext({ runtime, identity: null }), new ObjectId(slotId))).toBe('resolved');
  await drawEntriesOf(runtime.db).updateMany({}, { $unset: { result: '' } });
  await drawsOf(runtime.db).updateOne({ _id: new ObjectId(slotId) }, { $set: { status: 'collecting', leaseHolder: 'dead', leaseUntil: new Date(Date.now() - 1) } });
  // The next poll resumes it with the same order and finds the bookings already made.
  const answers = [];
  for (const [index, who] of people.entries()) answers.push(dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index])));
  expect(answers.map((answer) => answer.outcome)).toEqual(['booked', 'not_drawn', 'booked', 'not_drawn']);
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slotId) })).toBe(2);
});

it('the places go to the head of the drawn order, booked a few at a time, one card at a time per account', async () => {
  await open({ places: 3 });
  const people: QuickPatient[] = [];
  for (let i = 0; i < 8; i++) people.push(await quickPatient(runtime, `order-${i}`));
  // One daughter enters for both her parents; everyone else for themselves.
  const entrants = [await shareCard(people[0], 'daughter'), await shareCard(people[1], 'daughter'), ...people.slice(2)];
  for (const [index, who] of entrants.entries()) {
    at(index * 1000);
    await holdAs(who.openid, who.patientId, newRequestId());
  }
  at(30_000);
  // The order as drawn: the daughter's two cards first, then the others.
  const order = [people[1], people[0], people[5], people[2], people[7], people[3], people[4], people[6]].map((who) => who.patientId);
  await drawsOf(runtime.db).updateOne({ _id: new ObjectId(slotId) }, { $set: { order } });
  expect(await resolveDraw(createContext({ runtime, identity: null }), new ObjectId(slotId))).toBe('resolved');
  const entries = await drawEntriesOf(runtime.db).find({ slotId: new ObjectId(slotId) }).toArray();
  const drawn = entries.filter((entry) => entry.result?.outcome === 'drawn').map((entry) => entry.patientId.toHexString());
  expect(new Set(drawn)).toEqual(new Set(order.slice(0, 3)));
  expect(entries.filter((entry) => entry.result?.outcome === 'not_drawn')).toHaveLength(5);
  expect(await appointmentsOf(runtime.db).countDocuments({ slotId: new ObjectId(slotId), active: true })).toBe(3);
});

it('the booking tick resolves a closed draw nobody polled; the same person tapping on two accounts at once is one entry', async () => {
  await open({ places: 1 });
  const card = await quickPatient(runtime, 'tick-owner');
  const family = await shareCard(card, 'tick-family');
  const other = await quickPatient(runtime, 'tick-other');
  at(10_000);
  const answers = await Promise.all([card, family, other].map(async (who) => dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, newRequestId()))));
  expect(answers.map((answer) => answer.outcome)).toEqual(['drawing', 'drawing', 'drawing']);
  expect(await drawEntriesOf(runtime.db).countDocuments({})).toBe(2);
  const context = () => createContext({ runtime, identity: null });
  at(29_999);
  expect(await resolveDueDraws(context())).toBe(0);
  at(30_000);
  expect(await resolveDueDraws(context())).toBe(1);
  const results = (await drawEntriesOf(runtime.db).find({}).toArray()).map((entry) => entry.result?.outcome).sort();
  expect(results).toEqual(['drawn', 'not_drawn']);
});

it('a first-come clinic is unchanged: the hold is decided at once', async () => {
  await open({ places: 1 });
  await departmentsOf(runtime.db).updateMany({}, { $unset: { draw: '' } });
  catalogCache.invalidate();
  holdCache.clear();
  const who = await quickPatient(runtime, 'plain');
  at(0);
  expect(dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, newRequestId())).outcome).toBe('booked');
});

it('entrants asking at once after the window share one resolution and are each answered once', async () => {
  await open({ places: 3 });
  const people: QuickPatient[] = [];
  for (let i = 0; i < 40; i++) people.push(await quickPatient(runtime, `together-${i}`));
  const requests = people.map(() => newRequestId());
  at(1000);
  for (const [index, who] of people.entries()) expect(dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index])).outcome).toBe('drawing');
  at(31_000);
  // Every entrant's phone asks for the result in the same instant; none of them waits for a poll interval.
  const asked = jest.spyOn(runtime.db, 'collection');
  const drawReads = () => asked.mock.calls.filter(([name]) => name === 'slotDraws').length;
  const answers = await Promise.all(people.map(async (who, index) => dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index]))));
  expect(answers.filter((answer) => answer.outcome === 'booked')).toHaveLength(3);
  expect(answers.filter((answer) => answer.outcome === 'not_drawn')).toHaveLength(37);
  const draw = await drawsOf(runtime.db).findOne({ _id: new ObjectId(slotId) });
  expect(draw).toMatchObject({ status: 'resolved' });
  // One resolver's reads, not forty pollers' (each would read the draw at least once).
  expect(drawReads()).toBeLessThan(10);
  // And once resolved, asking again does not ask the store about the draw.
  asked.mockClear();
  expect(dataOf<DrawAnswer>(await holdAs(people[0].openid, people[0].patientId, requests[0])).outcome).toMatch(/^(booked|not_drawn)$/);
  expect(drawReads()).toBe(0);
  asked.mockRestore();
});

it('asking again and again for a draw result is not a new attempt: the same answer, never throttled', async () => {
  await open({ places: 1, rateLimits: true });
  const people = [await quickPatient(runtime, 'keeps-asking-1'), await quickPatient(runtime, 'keeps-asking-2')];
  const requests = people.map(() => newRequestId());
  at(1000);
  for (const [index, who] of people.entries()) expect(dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index])).outcome).toBe('drawing');
  at(31_000);
  // More often than the card's budget for a minute (10 attempts): one was drawn, the other was not.
  const outcomes = new Set<string>();
  for (const [index, who] of people.entries()) {
    const first = dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index])).outcome;
    outcomes.add(first);
    for (let i = 0; i < 14; i++) expect(dataOf<DrawAnswer>(await holdAs(who.openid, who.patientId, requests[index])).outcome).toBe(first);
  }
  expect(outcomes).toEqual(new Set(['booked', 'not_drawn']));
});
