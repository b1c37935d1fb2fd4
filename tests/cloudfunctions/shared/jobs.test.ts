/** Timed jobs in the store: once per due instant across instances, catch-up after missed ticks, back-off after failures, takeover after a killed run. */
import { createContext, type Context } from '../../../cloudfunctions/shared/context';
import { AppError } from '../../../cloudfunctions/shared/errors';
import { jobsOf, runDueJobs, type JobDef } from '../../../cloudfunctions/shared/jobs';
import { openTestRuntime, type TestRuntime } from '../../support/runtime';

let runtime: TestRuntime;
beforeEach(async () => {
  runtime = await openTestRuntime();
});
afterEach(() => runtime.dispose());

const contextAt = (iso: string): Context => createContext({ runtime, identity: null, now: new Date(iso) });

function dailyJob(runs: string[], behaviour: () => Promise<void> = async () => undefined): JobDef {
  return {
    name: 'reconcile',
    schedule: { dailyAt: '10:30' },
    leaseMs: 10 * 60_000,
    async run(context, due) {
      await behaviour();
      runs.push(`${context.now.toISOString()} for ${due.toISOString()}`);
    },
  };
}

it('runs a daily job once at its time, however many ticks and instances ask', async () => {
  const runs: string[] = [];
  const job = dailyJob(runs);
  // 10:29 Beijing: not yet due for today; the first ever tick still runs yesterday's instance once.
  expect((await runDueJobs(contextAt('2026-12-01T02:29:00Z'), [job]))[0].outcome).toBe('ran');
  expect((await runDueJobs(contextAt('2026-12-01T02:29:30Z'), [job]))[0].outcome).toBe('not_due');
  // 10:30: two instances tick at once; one runs it.
  const both = await Promise.all([runDueJobs(contextAt('2026-12-01T02:30:00Z'), [job]), runDueJobs(contextAt('2026-12-01T02:30:00Z'), [job])]);
  const outcomes = both.map(([outcome]) => outcome.outcome).sort();
  // The other saw it leased or, if the winner already finished, done.
  expect(outcomes[1]).toBe('ran');
  expect(['busy', 'not_due']).toContain(outcomes[0]);
  expect((await runDueJobs(contextAt('2026-12-01T02:31:00Z'), [job]))[0].outcome).toBe('not_due');
  expect(runs).toEqual(['2026-12-01T02:29:00.000Z for 2026-11-30T02:30:00.000Z', '2026-12-01T02:30:00.000Z for 2026-12-01T02:30:00.000Z']);
});

it('catches up at the next tick after the function was down at its time', async () => {
  const runs: string[] = [];
  const job = dailyJob(runs);
  await runDueJobs(contextAt('2026-12-01T03:00:00Z'), [job]);
  // Down from 10:00 to 11:07 Beijing on Dec 2: the 10:30 run happens at 11:07.
  expect((await runDueJobs(contextAt('2026-12-02T03:07:00Z'), [job]))[0].outcome).toBe('ran');
  expect(runs.at(-1)).toBe('2026-12-02T03:07:00.000Z for 2026-12-02T02:30:00.000Z');
});

it('backs off after a failure, records it for staff, and succeeds later', async () => {
  const runs: string[] = [];
  let fail = true;
  const job = dailyJob(runs, async () => {
    if (fail) throw new AppError('BILL_NOT_READY');
  });
  expect((await runDueJobs(contextAt('2026-12-01T02:30:00Z'), [job]))[0].outcome).toBe('failed');
  expect(await jobsOf(runtime.db).findOne({ _id: 'reconcile' })).toMatchObject({ failures: 1, lastRun: { ok: false, error: 'BILL_NOT_READY' } });
  // One minute of back-off after the first failure.
  expect((await runDueJobs(contextAt('2026-12-01T02:30:30Z'), [job]))[0].outcome).toBe('busy');
  fail = false;
  expect((await runDueJobs(contextAt('2026-12-01T02:31:00Z'), [job]))[0].outcome).toBe('ran');
  expect(await jobsOf(runtime.db).findOne({ _id: 'reconcile' })).toMatchObject({ failures: 0, lastRun: { ok: true } });
});

it('lets another instance take over a run whose process was killed, once its lease ends', async () => {
  const runs: string[] = [];
  const job = dailyJob(runs);
  // A process took the lease at 10:30 and died: the document says leased for 10 minutes.
  await jobsOf(runtime.db).insertOne({ _id: 'reconcile', lastDue: new Date(0), leaseOwner: 'dead', leaseUntil: new Date('2026-12-01T02:40:00Z'), failures: 0 });
  expect((await runDueJobs(contextAt('2026-12-01T02:35:00Z'), [job]))[0].outcome).toBe('busy');
  expect((await runDueJobs(contextAt('2026-12-01T02:40:00Z'), [job]))[0].outcome).toBe('ran');
});

it('runs the other jobs when one fails', async () => {
  const runs: string[] = [];
  const failing: JobDef = { name: 'broken', schedule: { everyMs: 60_000 }, leaseMs: 60_000, run: async () => Promise.reject(new Error('boom')) };
  const sweep: JobDef = { name: 'sweep', schedule: { everyMs: 60_000 }, leaseMs: 60_000, run: async (context) => void runs.push(context.now.toISOString()) };
  const outcomes = await runDueJobs(contextAt('2026-12-01T02:30:05Z'), [failing, sweep]);
  expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['failed', 'ran']);
  expect(runs).toEqual(['2026-12-01T02:30:05.000Z']);
});
