/**
 * The local host is killed with SIGKILL in the middle of a burst of holds. After a restart and one
 * sweep, every slot has remaining + appointments holding a place = capacity, and every appointment a
 * patient was told is booked is still booked.
 */
import { rmSync } from 'node:fs';
import { ObjectId } from 'mongodb';
import { DEV_APPID } from '../../../cloudfunctions/local/devIdentities';
import { main as userMain } from '../../../cloudfunctions/user';
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { appointmentsOf, PLACE_HOLDING_STATES } from '../../../cloudfunctions/shared/booking/appointments';
import { sweepBookings, STALE_HOLD_MS } from '../../../cloudfunctions/shared/booking/sweeper';
import { slotsOf } from '../../../cloudfunctions/shared/catalog/collections';
import { setRuntime } from '../../../cloudfunctions/shared/runtime';
import { newRequestId, quickPatient, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';
import { startHostProcess } from '../../support/startProcess';

jest.setTimeout(180_000);

const BURST = 1000;

describe('booking survives SIGKILL of the host', () => {
  let runtime: TestRuntime;
  let dataDir: string;
  let crowd: QuickPatient[];
  let slotIds: string[];

  beforeAll(async () => {
    runtime = await openTestRuntime({ adminOpenids: [ADMIN] });
    dataDir = runtime.dataDir;
    dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
    await seedHospital(runtime);
    const clinic = await createClinic({ places: 25, feeFen: 0 });
    const { days } = dataOf<{ days: { date: string; periods: { slots: { id: string }[] }[] }[] }>(
      await callAs(catalogMain, ADMIN, { action: 'schedules', doctorId: clinic.doctorId }),
    );
    slotIds = days.filter((day) => day.date >= dayFromToday(1) && day.date <= dayFromToday(3)).flatMap((day) => day.periods.flatMap((period) => period.slots.map((slot) => slot.id)));
    crowd = await Promise.all(Array.from({ length: BURST }, (_, i) => quickPatient(runtime, `crash-${i}`, { appid: DEV_APPID })));
    // Hand the data folder to the host process: close without deleting it.
    setRuntime(undefined);
    await runtime.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps remaining + held = capacity for every slot and loses no booked appointment', async () => {
    const host = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ['--no-build', '--no-seed']);
    const confirmed: string[] = [];
    let answered = 0;
    // 64 patients tapping at a time, as a crowd arrives: when the host dies, most of the burst has not
    // been sent yet (a burst sent all at once could be answered in full before the signal lands).
    let next = 0;
    const tap = async (who: QuickPatient, i: number) => {
      try {
        const response = await fetch(`${host.url}/api/booking`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-dev-openid': who.openid },
          body: JSON.stringify({ action: 'hold', slotId: slotIds[i % slotIds.length], patientId: who.patientId, requestId: newRequestId() }),
        });
        const body = (await response.json()) as { ok: boolean; data?: { outcome: string; appointment?: { id: string } } };
        answered += 1;
        // Kill the host from inside the burst, once a quarter of it has been answered.
        if (answered === BURST / 4) host.child.kill('SIGKILL');
        if (body.ok && body.data?.outcome === 'booked') confirmed.push(body.data.appointment!.id);
      } catch {
        // The connection died with the host: the patient saw no answer.
      }
    };
    const burst = Array.from({ length: 64 }, async () => {
      while (next < crowd.length) {
        const i = next++;
        await tap(crowd[i], i);
      }
    });
    await Promise.all(burst);
    await host.stop('SIGKILL');
    expect(confirmed.length).toBeGreaterThan(0);
    expect(answered).toBeLessThan(BURST);

    // Restart: the store replays its journal and the host serves again.
    const restarted = await startHostProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ['--no-build', '--no-seed']);
    const after = await fetch(`${restarted.url}/api/booking`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-dev-openid': crowd[0].openid },
      body: JSON.stringify({ action: 'list' }),
    });
    expect(((await after.json()) as { ok: boolean }).ok).toBe(true);
    await restarted.stop();

    // One sweep, as the minute timer would run it once the stale holds are old enough.
    const reopened = await openTestRuntime({ dataDir });
    try {
      await sweepBookings({ ...reopened, now: new Date(reopened.clock.now().getTime() + STALE_HOLD_MS + 1000) });
      for (const slot of await slotsOf(reopened.db).find({}).toArray()) {
        const held = await appointmentsOf(reopened.db).countDocuments({ slotId: slot._id, status: { $in: [...PLACE_HOLDING_STATES] } });
        expect({ slot: slot._id.toHexString(), total: slot.remaining + held, holders: slot.holders.length }).toEqual({ slot: slot._id.toHexString(), total: slot.capacity, holders: held });
      }
      for (const id of confirmed) {
        const appointment = await appointmentsOf(reopened.db).findOne({ _id: new ObjectId(id) });
        expect(appointment?.status).toBe('booked');
      }
      expect(await appointmentsOf(reopened.db).countDocuments({ status: 'holding' })).toBe(0);
    } finally {
      setRuntime(undefined);
      await reopened.close();
      rmSync(reopened.dataDir, { recursive: true, force: true });
    }
  });
});
