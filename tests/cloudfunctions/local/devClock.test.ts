/** The local host's /dev/clock moves the business time every action, job and stand-in reads; production has no such route. */
import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import { DEV_APPID } from '../../../cloudfunctions/local/devIdentities';
import type { HostedFunction } from '../../../cloudfunctions/local/functions';
import { startTimers } from '../../../cloudfunctions/local/timers';
import { createControlledClock } from '../../../cloudfunctions/shared/clock';
import { createMain } from '../../../cloudfunctions/shared/createMain';
import { runJobsOnTick, TICK_TRIGGER } from '../../../cloudfunctions/shared/jobs';
import { createLogger } from '../../../cloudfunctions/shared/log';
import { main as userMain } from '../../../cloudfunctions/user';
import { newRequestId, quickPatient, slotIdsOn, type QuickPatient } from '../../support/booking';
import { ADMIN, createClinic, dayFromToday, seedHospital, ZONE } from '../../support/catalog';
import { startTestHost, type TestHost } from '../../support/host';
import { setClock } from '../../support/hostApi';
import { callAs, dataOf } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

dayjs.extend(utc);
dayjs.extend(timezone);

const clockOf = async (url: string, init?: RequestInit) => {
  const response = await fetch(`${url}/dev/clock`, init);
  return { status: response.status, body: (await response.json()) as { ok: boolean; code?: string; message?: string; data?: { now: string } } };
};
const post = (body: string, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
interface Days {
  days: { periods: { slots: { id: string; remaining: number }[] }[] }[];
}
/** Within a second of `iso` (the clock keeps running between the call and the check). */
const near = (at: number, iso: string) => expect(Math.abs(at - Date.parse(iso))).toBeLessThan(1000);
const beijing = (local: string) => dayjs.tz(local, ZONE).toDate();

describe('/dev/clock on the local host', () => {
  let pay: TestWeChatPay;
  let host: TestHost;
  let patient: QuickPatient;
  let doctorId: string;
  const clock = createControlledClock({ running: true });

  beforeAll(async () => {
    pay = await startTestWeChatPay({ clock });
    host = await startTestHost({ clock, pay: pay.client, payStandIn: pay.standIn, adminOpenids: [ADMIN] });
    for (const openid of [ADMIN, 'patient']) dataOf(await callAs(userMain, openid, { action: 'login' }));
    await seedHospital(host.runtime);
    ({ doctorId } = await createClinic());
    patient = await quickPatient(host.runtime, 'clock-patient', { appid: DEV_APPID });
  });
  afterAll(async () => {
    await host.close();
    await pay.standIn.close();
  });
  afterEach(() => clock.set(new Date()));

  const hold = (slotId: string) =>
    host.post('booking', { action: 'hold', slotId, patientId: patient.patientId, requestId: newRequestId() }, { 'x-dev-openid': patient.openid });

  it('sets and advances the clock the runtime reads, and says what time it is', async () => {
    const set = await clockOf(host.url, post('{"at":"2026-12-24T18:00:00+08:00"}'));
    expect(set).toMatchObject({ status: 200, body: { ok: true } });
    near(Date.parse(set.body.data!.now), '2026-12-24T10:00:00Z');
    const advanced = await setClock(host.url, { advanceMs: 90 * 60_000 });
    near(advanced.getTime(), '2026-12-24T11:30:00Z');
    expect(Math.abs(host.runtime.clock.now().getTime() - advanced.getTime())).toBeLessThan(1000);
    const read = await clockOf(host.url);
    near(Date.parse(read.body.data!.now), '2026-12-24T11:30:00Z');
  });

  it('opens a day at its release instant: not released a minute before, bookable once the clock reaches it', async () => {
    // A day 8 days ahead opens 7 days before, at 07:00 Beijing: tomorrow morning.
    const [slotId] = await slotIdsOn(doctorId, 8);
    const opens = beijing(`${dayFromToday(1)} 07:00`);
    expect((await hold(slotId)).body).toMatchObject({ ok: false, code: 'NOT_RELEASED' });
    await setClock(host.url, new Date(opens.getTime() - 60_000));
    expect((await hold(slotId)).body).toMatchObject({ ok: false, code: 'NOT_RELEASED' });
    await setClock(host.url, opens);
    expect((await hold(slotId)).body).toMatchObject({ ok: true, data: { outcome: 'pending_payment' } });
  });

  it('lets a hold waiting for payment expire when the clock passes its expiry, and gives the place back', async () => {
    const [slotId] = await slotIdsOn(doctorId, 2);
    const remaining = async () => {
      const { days } = (await host.post('catalog', { action: 'schedules', doctorId }, { 'x-dev-openid': patient.openid })).body.data as Days;
      return days.flatMap((day) => day.periods.flatMap((period) => period.slots)).find((slot) => slot.id === slotId)!.remaining;
    };
    const before = await remaining();
    const held = await hold(slotId);
    expect(await remaining()).toBe(before - 1);
    const appointment = (held.body.data as { appointment: { id: string; holdExpiresAt: string } }).appointment;
    const read = async () =>
      ((await host.post('booking', { action: 'get', appointmentId: appointment.id }, { 'x-dev-openid': patient.openid })).body.data as { appointment: { status: string } }).appointment.status;
    await setClock(host.url, new Date(Date.parse(appointment.holdExpiresAt) - 60_000));
    expect(await read()).toBe('pending_payment');
    await setClock(host.url, new Date(Date.parse(appointment.holdExpiresAt) + 60_000));
    expect(await read()).toBe('expired');
    expect(await remaining()).toBe(before);
  });

  it.each([
    ['not JSON', '{'],
    ['an empty object', '{}'],
    ['both at once', '{"at":"2026-12-24T18:00:00+08:00","advanceMs":1}'],
    ['a date without a zone', '{"at":"2026-12-24T18:00:00"}'],
    ['a date that is not one', '{"at":"tomorrow"}'],
    ['a fraction of a millisecond', '{"advanceMs":1.5}'],
    ['more than a year', `{"advanceMs":${367 * 86_400_000}}`],
    ['a number as text', '{"advanceMs":"60000"}'],
    ['a JSON array', '[{"advanceMs":1}]'],
  ])('refuses %s with the sentence saying what to send, and leaves the clock alone', async (_label, body) => {
    clock.set(new Date('2026-12-24T10:00:00Z'));
    const answer = await clockOf(host.url, post(body));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: '请给出 {"at":"2026-12-01T18:00:00+08:00"} 或 {"advanceMs":60000}。' });
    near(clock.now().getTime(), '2026-12-24T10:00:00Z');
  });

  it('does not answer a web page (any Origin), so no site can move the calendar', async () => {
    clock.set(new Date('2026-12-24T10:00:00Z'));
    for (const origin of ['http://127.0.0.1:3000', 'https://evil.example', 'null']) {
      expect((await clockOf(host.url, post('{"advanceMs":86400000}', { origin }))).status).toBe(404);
      expect((await clockOf(host.url, { headers: { origin } })).status).toBe(404);
    }
    near(clock.now().getTime(), '2026-12-24T10:00:00Z');
  });
});

describe('/dev/clock in production', () => {
  it('does not exist', async () => {
    const host = await startTestHost({ production: true });
    try {
      const before = host.runtime.clock.now().getTime();
      expect((await clockOf(host.url, post('{"advanceMs":86400000}'))).status).toBe(404);
      expect((await clockOf(host.url)).status).toBe(404);
      expect(host.runtime.clock.now().getTime() - before).toBeLessThan(5000);
    } finally {
      await host.close();
    }
  });
});

describe('timers after a clock jump', () => {
  it('runs a daily job for the new day exactly once at the next tick after /dev/clock moves a day on', async () => {
    const host = await startTestHost({ clock: createControlledClock({ at: new Date('2026-12-01T03:00:00Z'), running: true }) });
    const runs: string[] = [];
    const main = createMain('fixture', {}, {
      triggers: {
        [TICK_TRIGGER]: runJobsOnTick([
          { name: 'daily-report', schedule: { dailyAt: '10:30' }, leaseMs: 60_000, run: async (_context, due) => void runs.push(due.toISOString()) },
        ]),
      },
    });
    // The local timers fire on real seconds, like the platform's trigger; the job decides from context.now what is due.
    const fn: HostedFunction = { name: 'fixture', main, config: { triggers: [{ name: TICK_TRIGGER, type: 'timer', config: '* * * * * * *' }] } };
    const timers = startTimers([fn], createLogger('silent'));
    const waitFor = async (count: number) => {
      const deadline = Date.now() + 5000;
      while (runs.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    const ticks = () => new Promise((resolve) => setTimeout(resolve, 2200));
    try {
      await waitFor(1);
      await ticks();
      expect(runs).toEqual(['2026-12-01T02:30:00.000Z']);
      await setClock(host.url, { advanceMs: 86_400_000 });
      await waitFor(2);
      await ticks();
      expect(runs).toEqual(['2026-12-01T02:30:00.000Z', '2026-12-02T02:30:00.000Z']);
    } finally {
      await timers.stop();
      await host.close();
    }
  });
});

describe('/dev/timers: a function’s timer triggers started now', () => {
  it('runs the triggers of the function named, once while a run is still going, and answers 0 for no triggers', async () => {
    let running = 0;
    const runs: string[] = [];
    let finish: () => void = () => undefined;
    const main = createMain('fixture', {}, {
      triggers: {
        [TICK_TRIGGER]: async (context) => {
          running += 1;
          runs.push(context.now.toISOString());
          await new Promise<void>((resolve) => (finish = resolve));
          running -= 1;
        },
      },
    });
    // Once a year at 03:00 on 1 January: never due while the test runs.
    const fn: HostedFunction = { name: 'fixture', main, config: { triggers: [{ name: TICK_TRIGGER, type: 'timer', config: '0 0 3 1 1 * *' }] } };
    const timers = startTimers([fn], createLogger('silent'));
    try {
      expect(timers.runNow('fixture')).toBe(1);
      expect(timers.runNow('fixture')).toBe(0); // still running: never two at once
      expect(timers.runNow('user')).toBe(0);
      const deadline = Date.now() + 5000;
      while (running === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(runs).toHaveLength(1);
      finish();
      while (running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(timers.runNow('fixture')).toBe(1);
      while (runs.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(runs).toHaveLength(2);
      finish();
    } finally {
      await timers.stop();
    }
  });

  it('does not exist on a production host', async () => {
    const host = await startTestHost({ production: true });
    try {
      const response = await fetch(`${host.url}/dev/timers`, post('{"function":"message"}'));
      expect(response.status).toBe(404);
    } finally {
      await host.close();
    }
  });
});
