/**
 * The local host is killed with SIGKILL in the middle of a sending batch. After a restart (and the claims'
 * leases running out), every queued message has reached the WeChat stand-in: none lost, and none sent twice
 * except, at most, the one send that was in flight when the host died (WeChat has no idempotency key: it
 * took that request, the dead host never learnt so). The stand-in runs in this process, so its count
 * survives the host; the host talks to it as it would to WeChat (WX_APPID/WX_APPSECRET over HTTPS), each
 * send held 150 ms so the kill lands mid-batch.
 */
import { rmSync } from 'node:fs';
import { ObjectId } from 'mongodb';
import { DEV_APPID } from '../../../cloudfunctions/local/devIdentities';
import { startMessageStandIn, type MessageStandIn } from '../../../cloudfunctions/local/messageStandIn';
import { recordConsent } from '../../../cloudfunctions/shared/messages/consents';
import { queueMessages } from '../../../cloudfunctions/shared/messages/outbox';
import { DEMO_TEMPLATES } from '../../../cloudfunctions/shared/messages/templates';
import { setRuntime } from '../../../cloudfunctions/shared/runtime';
import { loginUser } from '../../../cloudfunctions/shared/users/userRepository';
import { openTestRuntime } from '../../support/runtime';
import { startHostProcess, type StartedHost } from '../../support/startProcess';

jest.setTimeout(240_000);

const COUNT = 30;
const OPENID = 'crash-messages';
const TEMPLATE = DEMO_TEMPLATES.booking_confirmed!;

describe('the outbox survives SIGKILL of the host mid-send', () => {
  let standIn: MessageStandIn;
  let dataDir: string;
  let host: StartedHost | undefined;

  beforeAll(async () => {
    standIn = await startMessageStandIn({ templates: DEMO_TEMPLATES });
    const runtime = await openTestRuntime();
    dataDir = runtime.dataDir;
    const now = new Date();
    const user = await loginUser(runtime.db, { openid: OPENID, appid: DEV_APPID }, { now, grantAdmin: false });
    for (let i = 0; i < COUNT; i++) {
      await recordConsent(runtime.db, { userId: user._id, openid: OPENID, templateId: TEMPLATE.id, kind: 'once', result: 'accept', now });
      standIn.consent(OPENID, TEMPLATE.id, 'accept');
    }
    // A second copy of the send in flight at the kill spends a one-time quota at WeChat too: one prompt more.
    standIn.consent(OPENID, TEMPLATE.id, 'accept');
    const facts = { patient: '张秀英', department: '皮肤科', doctor: '王建国 主治医师', visitTime: '2026年12月02日 08:00~08:30', place: '门诊楼 3 楼 B 区' };
    await queueMessages(
      { db: runtime.db, log: runtime.log, now },
      Array.from({ length: COUNT }, () => {
        const appointmentId = new ObjectId();
        return { event: 'booking_confirmed' as const, userId: user._id, appointmentId, title: '预约成功', text: '号约好了。', facts, page: `pages/booking/result/index?id=${appointmentId.toHexString()}` };
      }),
    );
    // Hand the data folder to the host process: close without deleting it.
    setRuntime(undefined);
    await runtime.close();
    standIn.setDelayMs(150);
  });
  afterAll(async () => {
    await host?.stop('SIGKILL');
    await standIn.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const runTimersNow = async (url: string) => {
    const started = await fetch(`${url}/dev/timers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ function: 'message' }) });
    expect(started.status).toBe(200);
  };
  const waitFor = async (check: () => boolean | Promise<boolean>, what: string, ms: number) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('delivers every message, none twice but the one in flight at the kill', async () => {
    const env = { DATA_DIR: dataDir, LOG_LEVEL: "warn", ...standIn.env };
    host = await startHostProcess(env, ['--no-build', '--no-seed']);
    // The message function's tick, started now rather than at its second (:45) of the minute.
    await runTimersNow(host.url);
    await waitFor(() => standIn.deliveries().length >= 5, 'the first sends', 90_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${host!.output()}`);
    });
    // Half-way through the next send (held 150 ms by the stand-in): the host dies with a request in flight.
    await new Promise((resolve) => setTimeout(resolve, 75));
    await host.stop('SIGKILL');
    const beforeRestart = standIn.deliveries().length;
    expect(beforeRestart).toBeLessThan(COUNT);

    host = await startHostProcess(env, ['--no-build', '--no-seed']);
    // Business time past the killed run's leases (the job's and the message being sent), instead of waiting them out.
    const moved = await fetch(`${host.url}/dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advanceMs: 120_000 }) });
    expect(moved.status).toBe(200);
    await runTimersNow(host.url);
    await waitFor(() => new Set(standIn.deliveries().map((delivery) => delivery.page)).size >= COUNT, 'every message', 120_000);
    await new Promise((resolve) => setTimeout(resolve, 1000)); // anything sent twice more would arrive now
    const pages = standIn.deliveries().map((delivery) => delivery.page);
    const twice = pages.filter((page, index) => pages.indexOf(page) !== index);
    expect(new Set(pages).size).toBe(COUNT); // none lost
    // None twice but the send in flight at the kill: the last one the stand-in took before the restart (or the
    // one whose request was still on the wire when the deliveries were counted, just after the kill).
    expect(twice.length).toBeLessThanOrEqual(1);
    if (twice.length) expect(pages.slice(Math.max(0, beforeRestart - 1), beforeRestart + 1)).toContain(twice[0]);
    expect(pages.length).toBe(COUNT + twice.length);
  });
});
