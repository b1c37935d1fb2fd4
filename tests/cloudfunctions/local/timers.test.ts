import { z } from 'zod';
import type { HostedFunction } from '../../../cloudfunctions/local/functions';
import { startTimers } from '../../../cloudfunctions/local/timers';
import { createMain, defineAction } from '../../../cloudfunctions/shared/createMain';
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

  it('runs a trigger declared in config.json on its schedule, as a platform call without identity', async () => {
    const fn: HostedFunction = { name: 'fixture', main, config: { triggers: [{ name: 'sweep', type: 'timer', config: '* * * * * * *' }] } };
    const timers = startTimers([fn], createLogger('silent'));
    const deadline = Date.now() + 5000;
    while (sweeps.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await timers.stop();
    expect(sweeps.length).toBeGreaterThanOrEqual(2);
  });

  it('does not let a client dress up as a timer', async () => {
    const before = sweeps.length;
    const result = await callAs(main, 'patient-a', { Type: 'Timer', TriggerName: 'sweep' });
    expect(result).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(sweeps.length).toBe(before);
  });

  it('answers an unknown trigger with a coded error', async () => {
    expect(await callAs(main, null, { Type: 'Timer', TriggerName: 'nope' })).toMatchObject({ ok: false, code: 'UNKNOWN_ACTION' });
  });
});
