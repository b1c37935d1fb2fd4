/** What counting costs the store: a person's first attempt one round trip; a script past its limit nothing until its window ends. */
import type { EmbeddedDb } from '../../../cloudfunctions/shared/db/embedded';
import { enforceRateLimit, type RateRule } from '../../../cloudfunctions/shared/rateLimit';
import { openTestRuntime, type TestRuntime } from '../../support/runtime';

const RULE: RateRule = { name: 'cost.rule', limit: 2, windowMs: 60_000 };
const T0 = new Date('2026-12-01T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let runtime: TestRuntime;
beforeEach(async () => {
  runtime = await openTestRuntime();
});
afterEach(() => runtime.dispose());

/** The attempt's answer and the store round trips it cost. */
async function attempt(now: Date, subject = 'who'): Promise<[string, number]> {
  const db = runtime.db as unknown as EmbeddedDb;
  const before = db.roundTrips;
  const answer = await enforceRateLimit({ db: runtime.db, config: runtime.config, now }, RULE, subject).then(
    () => 'ok',
    (error: { code?: string }) => String(error.code),
  );
  return [answer, db.roundTrips - before];
}

it('opens a window in one round trip, counts into it in two, and refuses from memory once over the limit', async () => {
  expect(await attempt(at(0))).toEqual(['ok', 1]);
  expect(await attempt(at(1000))).toEqual(['ok', 2]);
  expect(await attempt(at(2000))).toEqual(['RATE_LIMITED', 2]);
  // The store already said no until the window ends: the script's next tries cost nothing.
  expect(await attempt(at(3000))).toEqual(['RATE_LIMITED', 0]);
  expect(await attempt(at(59_999))).toEqual(['RATE_LIMITED', 0]);
  // Another subject is counted as before; the window's end lets the first one in again.
  expect(await attempt(at(3000), 'someone-else')).toEqual(['ok', 1]);
  expect(await attempt(at(60_000))).toEqual(['ok', 1]);
});

it('does not carry a refusal from one store to another', async () => {
  for (let i = 0; i < 3; i++) await attempt(at(i));
  expect((await attempt(at(10)))[0]).toBe('RATE_LIMITED');
  await runtime.dispose();
  runtime = await openTestRuntime();
  expect(await attempt(at(10))).toEqual(['ok', 1]);
});
