import { z } from 'zod';
import type { HostedFunction } from '../../../cloudfunctions/local/functions';
import { startTimers } from '../../../cloudfunctions/local/timers';
import { createMain, defineAction } from '../../../cloudfunctions/shared/createMain';
import { withPlatformCall, type PlatformCall } from '../../../cloudfunctions/shared/identity';
import { createLogger } from '../../../cloudfunctions/shared/log';
import { callAs, openTestRuntime, type TestRuntime } from '../../support/runtime';

describe('timer triggers', () => {
  let runtime: TestRuntime;
  beforeEach(async () => {
    runtime = await openTestRuntime();
  });
  afterEach(() => runtime.dispose());

  const sweeps: string[] = [];
  const main = createMain(
    'fixture',
    { ping: defineAction({ auth: 'identity', input: z.object({}), run: async () => 'pong' }) },
    {
      triggers: {
        sweep: async (context) => {
          sweeps.push(context.requestId);
        },
      },
    },
  );
  const as = (call: PlatformCall, event: unknown) => withPlatformCall(call, () => main(event));
  const client = { openid: 'patient-a', appid: 'wx-test-app' };
  const timer = { Type: 'Timer', TriggerName: 'sweep', Time: '2026-11-30T02:30:00Z' };

  it('runs a trigger declared in config.json on its schedule, as a platform call without identity', async () => {
    const fn: HostedFunction = { name: 'fixture', main, config: { triggers: [{ name: 'sweep', type: 'timer', config: '* * * * * * *' }] } };
    const timers = startTimers([fn], createLogger('silent'));
    const deadline = Date.now() + 20_000;
    while (sweeps.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await timers.stop();
    expect(sweeps.length).toBeGreaterThanOrEqual(2);
  });

  it.each<[string, PlatformCall]>([
    ['the timer trigger (SOURCE wx_trigger)', { identity: null, source: 'wx_trigger' }],
    ["the platform's own tools (no SOURCE, no caller)", { identity: null }],
  ])('runs a timer event sent by %s', async (_label, call) => {
    const before = sweeps.length;
    expect(await as(call, timer)).toEqual({ ok: true, data: null });
    expect(sweeps.length).toBe(before + 1);
  });

  it.each<[string, PlatformCall, unknown]>([
    ['a mini program user', { identity: client, source: 'wx_client' }, timer],
    ['a mini program user whose context has no SOURCE', { identity: client }, timer],
    ['a client without identity (how the local host marks /api)', { identity: null, source: 'wx_client' }, timer],
    ['WeChat DevTools', { identity: null, source: 'wx_devtools' }, timer],
    ["WeChat's HTTP API", { identity: null, source: 'wx_http' }, timer],
    ['another function on behalf of a client', { identity: null, source: 'wx_client,scf' }, timer],
    ['a timer run passed on by another function', { identity: null, source: 'wx_trigger,scf' }, timer],
    ['the trigger, with an action added', { identity: null, source: 'wx_trigger' }, { ...timer, action: 'ping' }],
    ['the trigger, with HTTP fields added', { identity: null, source: 'wx_trigger' }, { ...timer, httpMethod: 'POST', path: '/', headers: {}, body: '' }],
    ['the trigger, without a trigger name', { identity: null, source: 'wx_trigger' }, { Type: 'Timer', TriggerName: 7 }],
  ])('refuses a timer-shaped event from %s with a coded error, running nothing', async (_label, call, event) => {
    const before = sweeps.length;
    expect(await as(call, event)).toMatchObject({ ok: false, code: 'PLATFORM_ONLY', message: expect.stringMatching(/[\u4e00-\u9fa5]/) });
    expect(sweeps.length).toBe(before);
  });

  it('refuses an HTTP-shaped event from a client and in a function without HTTP access', async () => {
    const http = { httpMethod: 'POST', path: '/notify/transaction', headers: {}, body: '{}' };
    expect(await as({ identity: null, source: 'wx_client' }, http)).toMatchObject({ ok: false, code: 'PLATFORM_ONLY' });
    expect(await as({ identity: null }, http)).toMatchObject({ ok: false, code: 'PLATFORM_ONLY' });
  });

  it('keeps ordinary client calls working', async () => {
    expect(await callAs(main, 'patient-a', { action: 'ping' })).toEqual({ ok: true, data: 'pong' });
  });

  it.each(['nope', 'constructor', '__proto__', 'toString'])('answers the unknown trigger %s with a coded error', async (name) => {
    expect(await as({ identity: null, source: 'wx_trigger' }, { Type: 'Timer', TriggerName: name })).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });
});
