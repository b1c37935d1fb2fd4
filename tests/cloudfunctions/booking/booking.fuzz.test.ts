/**
 * 1,000 random payloads to each booking action: coded errors only, never a crash, and the store unchanged.
 * Then holds aimed at real released slots with places, the other fields mangled or at their edges, from
 * several accounts at once: every answer ok or coded, and no slot, patient or account over its limit.
 */
import { ObjectId } from 'mongodb';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { appointmentsOf } from '../../../cloudfunctions/shared/booking/appointments';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { DEFAULT_ELIGIBILITY_RULES } from '../../../cloudfunctions/shared/domain/eligibility';
import { ERRORS, type Result } from '../../../cloudfunctions/shared/errors';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { booking, hold, newRequestId, quickPatient, slotIdsOn, type HoldAnswer, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';
import { seededRandom } from '../../support/random';

jest.setTimeout(120_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261126);
const random = seededRandom(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const hex = (length: number) => Array.from({ length }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
const WEIRD = [null, 0, -1, 1e308, true, [], {}, { $gt: '' }, { $ne: null }, '', ' ', '\u0000', '<script>', 'x'.repeat(5000), '💉', '../../etc/passwd', hex(23), hex(25)];

describe('booking fuzz', () => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
  });
  afterAll(() => runtime.dispose());

  async function snapshot(): Promise<string> {
    const collections = ['appointments', 'slots', 'patients', 'patientLinks', 'schedules'];
    const parts = await Promise.all(collections.map(async (name) => JSON.stringify(await runtime.db.collection(name).find({}).sort({ _id: 1 }).toArray())));
    return parts.join('\n');
  }

  it.each(['hold', 'cancel', 'get', 'list', 'eligibility'])('%s: 1,000 random payloads give coded errors and change nothing', async (action) => {
    scheduleCache.clear();
    const clinic = await createClinic({ name: `科室${action}`, places: 2, feeFen: 0 });
    const me = await quickPatient(runtime, `fuzz-${action}`);
    const other = await quickPatient(runtime, `fuzz-other-${action}`);
    const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(await callAs(catalogMain, me.openid, { action: 'schedules', doctorId: clinic.doctorId }));
    const slotIds = days.flatMap((day) => day.periods.flatMap((period) => period.slots.map((slot) => slot.id)));
    const farSlot = days.find((day) => day.date === dayFromToday(10))!.periods[0].slots[0].id;
    const othersAppointment = (await hold(other, days.find((day) => day.date === dayFromToday(1))!.periods[0].slots[0].id)).appointment!.id;
    const before = await snapshot();

    const ids = [hex(24), othersAppointment, farSlot, other.patientId, ...slotIds.slice(0, 2)];
    for (let i = 0; i < 1000; i++) {
      const maybe = <T>(value: T) => (random() < 0.25 ? pick(WEIRD) : value);
      const payload: Record<string, unknown> = { action };
      if (action === 'hold') Object.assign(payload, { slotId: maybe(pick([farSlot, hex(24), othersAppointment])), patientId: maybe(pick([other.patientId, hex(24), me.patientId])), requestId: maybe(pick([hex(16), 'short', 'has space in it', hex(70)])) });
      if (action === 'cancel' || action === 'get') payload.appointmentId = maybe(pick(ids));
      if (action === 'eligibility') payload.slotId = maybe(pick([farSlot, hex(24), othersAppointment]));
      if (random() < 0.1) payload[pick(['extra', 'userInfo', 'openid', '__proto__'])] = pick(WEIRD);
      if (random() < 0.05) delete payload.action;
      const result = await booking(random() < 0.5 ? me.openid : `nobody-${i}`, payload);
      // A farSlot answer is fine (the caller's own cards, judged); the point is that nothing changes.
      if ((action === 'list' || action === 'eligibility') && result.ok) continue;
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(Object.keys(ERRORS)).toContain(result.code);
      expect(result.code).not.toBe('INTERNAL');
      expect(result.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+|Error:/);
    }
    expect(await snapshot()).toBe(before);
  });

  /** An answer the app can show: ok, or a known code with a Chinese sentence and nothing of the server's insides. */
  function expectCoded(result: Result<unknown>): void {
    if (result.ok) return;
    expect(Object.keys(ERRORS)).toContain(result.code);
    expect(result.code).not.toBe('INTERNAL');
    expect(result.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+|Error:/);
  }

  it('hold aimed at bookable slots, other fields mangled or at their edges: ok or coded, nothing oversold, no limit passed', async () => {
    scheduleCache.clear();
    const clinic = await createClinic({ name: '可约科室', places: 2, feeFen: 0 });
    // Twelve accounts with one card each, and one account with four cards (people per day).
    const people: QuickPatient[] = [];
    for (let i = 0; i < 12; i++) people.push(await quickPatient(runtime, `bookable-${i}`));
    for (const name of ['张秀英', '王建华', '王磊', '李桂芳']) people.push(await quickPatient(runtime, 'bookable-family', { name }));
    const slotIds = (await Promise.all([1, 2, 3, 4, 5, 6].map((offset) => slotIdsOn(clinic.doctorId, offset)))).flat();
    expect(slotIds.length).toBeGreaterThanOrEqual(12);
    const usedRequestIds: string[] = [];
    // Valid at the edges (8 and 64 characters, dashes and underscores, a replay of an earlier one), or just past them.
    const requestIdFor = () =>
      random() < 0.9
        ? pick([newRequestId(), newRequestId(), hex(8), hex(64), `A-b_${hex(12)}`, usedRequestIds.length ? pick(usedRequestIds) : newRequestId()])
        : pick([hex(7), hex(65), '号源请求编号abc', ...WEIRD]);
    const mangledSlot = (slotId: string) => pick([slotId.toUpperCase(), ` ${slotId}`, slotId.slice(1), `${slotId}0`, pick(WEIRD)]);

    const tally = new Map<string, number>();
    const bookedIds = new Set<string>();
    const callers = new Map<string, QuickPatient[]>();
    for (const who of people) callers.set(who.openid, [...(callers.get(who.openid) ?? []), who]);
    for (let round = 0; round < 60; round++) {
      // A fresh rate-limit window now and then, so the taps reach the booking rules rather than the limiter.
      if (round % 10 === 0) runtime.clock.advance(61_000);
      // Several taps at once, as from several phones.
      const taps = Array.from({ length: 5 }, () => {
        const who = pick(people);
        const patientId = random() < 0.85 ? who.patientId : pick([pick(people).patientId, hex(24), who.patientId.toUpperCase(), pick(WEIRD)]);
        const requestId = requestIdFor();
        if (typeof requestId === 'string') usedRequestIds.push(requestId);
        const payload: Record<string, unknown> = { action: 'hold', slotId: random() < 0.15 ? mangledSlot(pick(slotIds)) : pick(slotIds), patientId, requestId };
        if (random() < 0.1) payload[pick(['extra', 'userInfo', 'openid', 'createdBy'])] = pick(WEIRD);
        return { who, payload };
      });
      const answers = await Promise.all(taps.map(({ who, payload }) => booking(who.openid, payload)));
      for (const [i, answer] of answers.entries()) {
        expectCoded(answer);
        const outcome = answer.ok ? (answer.data as HoldAnswer).outcome : answer.code;
        tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
        if (!answer.ok) continue;
        const data = answer.data as HoldAnswer;
        expect(['booked', 'full']).toContain(data.outcome);
        if (data.outcome !== 'booked') continue;
        bookedIds.add(data.appointment!.id);
        // Booked only for a card the caller manages.
        const own = callers.get(taps[i].who.openid)!.map((card) => card.patientId);
        const made = await appointmentsOf(runtime.db).findOne({ _id: new ObjectId(data.appointment!.id) });
        expect(own).toContain(made!.patientId.toHexString());
      }
      // Now and then a patient gives a place back, so places free up and fill again.
      if (round % 7 === 6) {
        const some = await appointmentsOf(runtime.db).findOne({ doctorId: new ObjectId(clinic.doctorId), status: 'booked' });
        const owner = some && people.find((who) => who.patientId === some.patientId.toHexString());
        if (owner) expect((await booking(owner.openid, { action: 'cancel', appointmentId: some._id.toHexString() })).ok).toBe(true);
      }
    }

    // The generator must really reach the booking rules, not only "slot not found".
    expect(tally.get('booked') ?? 0).toBeGreaterThan(20);
    expect(tally.get('SAME_DOCTOR_SAME_DAY') ?? 0).toBeGreaterThan(0);
    expect((tally.get('full') ?? 0) + (tally.get('SLOT_FULL') ?? 0) + (tally.get('ACTIVE_QUOTA') ?? 0) + (tally.get('BOOKING_PEOPLE_LIMIT') ?? 0)).toBeGreaterThan(0);

    // Nothing oversold: each slot's taken places are exactly its active appointments, with distinct numbers.
    const slots = await slotsOf(runtime.db).find({ doctorId: new ObjectId(clinic.doctorId) }).toArray();
    const active = await appointmentsOf(runtime.db).find({ doctorId: new ObjectId(clinic.doctorId), active: true }).toArray();
    expect(slots.length).toBeGreaterThan(0);
    for (const slot of slots) {
      const inSlot = active.filter((appointment) => appointment.slotId.equals(slot._id));
      expect(slot.remaining).toBeGreaterThanOrEqual(0);
      expect({ slot: slot._id.toHexString(), taken: slot.capacity - slot.remaining }).toEqual({ slot: slot._id.toHexString(), taken: inSlot.length });
      expect(new Set(inSlot.map((appointment) => appointment.number)).size).toBe(inSlot.length);
    }
    // Every place taken was answered "booked" to someone, and nothing answered "booked" is missing.
    const kept = await appointmentsOf(runtime.db).find({ doctorId: new ObjectId(clinic.doctorId), status: { $in: ['booked', 'cancelled'] } }).toArray();
    expect(new Set(kept.map((appointment) => appointment._id.toHexString()))).toEqual(bookedIds);
    // No patient past the quotas, no account past the people per day.
    const { perDoctorPerDay, activeBookings } = DEFAULT_ELIGIBILITY_RULES.quotas;
    const count = (key: (appointment: (typeof active)[number]) => string) =>
      active.reduce((counts, appointment) => counts.set(key(appointment), (counts.get(key(appointment)) ?? 0) + 1), new Map<string, number>());
    expect(active.length).toBeGreaterThan(0);
    expect(Math.max(...count((appointment) => appointment.patientId.toHexString()).values())).toBeLessThanOrEqual(activeBookings);
    expect(Math.max(...count((appointment) => `${appointment.patientId.toHexString()}:${appointment.date}`).values())).toBeLessThanOrEqual(perDoctorPerDay); // one doctor here
    const peopleByAccountDay = new Map<string, Set<string>>();
    for (const appointment of active) {
      const key = `${appointment.createdBy.toHexString()}:${appointment.date}`;
      peopleByAccountDay.set(key, (peopleByAccountDay.get(key) ?? new Set()).add(appointment.patientId.toHexString()));
    }
    expect(Math.max(...[...peopleByAccountDay.values()].map((set) => set.size))).toBeLessThanOrEqual(runtime.config.bookingPeoplePerDay);
  });
});
