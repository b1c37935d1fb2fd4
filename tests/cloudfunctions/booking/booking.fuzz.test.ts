/** 1,000 random payloads to each booking action: coded errors only, never a crash, and the store unchanged. */
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { ERRORS } from '../../../cloudfunctions/shared/errors';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { booking, hold, quickPatient } from '../../support/booking';
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

  it.each(['hold', 'cancel', 'get', 'list'])('%s: 1,000 random payloads give coded errors and change nothing', async (action) => {
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
      if (random() < 0.1) payload[pick(['extra', 'userInfo', 'openid', '__proto__'])] = pick(WEIRD);
      if (random() < 0.05) delete payload.action;
      const result = await booking(random() < 0.5 ? me.openid : `nobody-${i}`, payload);
      if (action === 'list' && result.ok) continue;
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(Object.keys(ERRORS)).toContain(result.code);
      expect(result.code).not.toBe('INTERNAL');
      expect(result.message).toMatch(/[\u4e00-\u9fa5]/);
      expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+|Error:/);
    }
    expect(await snapshot()).toBe(before);
  });
});
