/** The store-counted rate limiter: exact under parallel attempts, windows opened by the first attempt, counts that survive a restart. */
import { createLogger } from '../../../cloudfunctions/shared/log';
import { enforceRateLimit, rateLimited, sweepRateLimits, type RateLimitOptions, type RateRule } from '../../../cloudfunctions/shared/rateLimit';
import { openRuntime } from '../../../cloudfunctions/shared/runtime';
import { openTestRuntime, type TestRuntime } from '../../support/runtime';

const RULE: RateRule = { name: 'test.rule', limit: 3, windowMs: 60_000 };
const T0 = new Date('2026-12-01T01:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let runtime: TestRuntime;
beforeEach(async () => {
  runtime = await openTestRuntime();
});
afterEach(() => runtime.dispose());

const attempt = (now: Date, subject = 'who', context: Pick<TestRuntime, 'db' | 'config'> = runtime, options?: RateLimitOptions) =>
  enforceRateLimit({ db: context.db, config: context.config, now }, RULE, subject, options).then(
    () => 'ok',
    (error: { code?: string; message?: string }) => `${error.code}: ${error.message}`,
  );

it('allows the limit, refuses the next with the seconds left, and opens a new window when the old one ends', async () => {
  expect([await attempt(at(0)), await attempt(at(10_000)), await attempt(at(20_000))]).toEqual(['ok', 'ok', 'ok']);
  expect(await attempt(at(30_000))).toBe('RATE_LIMITED: 操作太频繁了，请 30 秒后再试。');
  expect(await attempt(at(59_999))).toBe('RATE_LIMITED: 操作太频繁了，请 1 秒后再试。');
  expect(await attempt(at(60_000))).toBe('ok');
  // Other subjects have their own budget.
  expect(await attempt(at(30_000), 'someone-else')).toBe('ok');
});

it('lets exactly the limit through when attempts race', async () => {
  const outcomes = await Promise.all(Array.from({ length: 40 }, () => attempt(at(0))));
  expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(3);
});

describe('deferring the first attempts (a hold answered from memory: a tap, and one more try after "full")', () => {
  const deferred = (now: Date, subject = 'who', upTo = 2) => attempt(now, subject, runtime, { deferUpTo: upTo });
  const counter = (subject = 'who') => runtime.db.collection('rateLimits').findOne({ _id: `${RULE.name}:${subject}` } as never);

  it('writes nothing for two attempts, all three with the third, and refuses at the same attempt as without', async () => {
    expect([await deferred(at(0)), await deferred(at(1000))]).toEqual(['ok', 'ok']);
    expect(await counter()).toBeNull();
    expect(await deferred(at(2000))).toBe('ok');
    expect(await counter()).toMatchObject({ count: 3 });
    expect(await deferred(at(3000))).toBe('RATE_LIMITED: 操作太频繁了，请 57 秒后再试。');
    expect(await deferred(at(4000))).toMatch(/^RATE_LIMITED/);
    expect(await counter()).toMatchObject({ count: 4 });
  });

  it('defers one attempt when asked for one', async () => {
    expect(await deferred(at(0), 'who', 1)).toBe('ok');
    expect(await counter()).toBeNull();
    expect(await deferred(at(1000), 'who', 1)).toBe('ok');
    expect(await counter()).toMatchObject({ count: 2 });
  });

  it('never defers past the limit: with a limit of 1 the second attempt is written and refused', async () => {
    const one: RateRule = { ...RULE, name: 'test.one', limit: 1 };
    const tryOne = (now: Date) => enforceRateLimit({ db: runtime.db, config: runtime.config, now }, one, 'who', { deferUpTo: 2 }).then(() => 'ok', (error: { code?: string }) => error.code);
    expect([await tryOne(at(0)), await tryOne(at(1000)), await tryOne(at(2000))]).toEqual(['ok', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('counts unwritten attempts also when the next one is not deferred, and defers none after a write', async () => {
    expect([await deferred(at(0)), await deferred(at(500))]).toEqual(['ok', 'ok']);
    expect(await attempt(at(1000))).toBe('ok');
    expect(await counter()).toMatchObject({ count: 3 });
    expect(await deferred(at(2000))).toBe('RATE_LIMITED: 操作太频繁了，请 58 秒后再试。');
  });

  it('forgets unwritten attempts once their window has ended', async () => {
    expect([await deferred(at(0)), await deferred(at(1000))]).toEqual(['ok', 'ok']);
    expect([await deferred(at(60_000)), await deferred(at(61_000))]).toEqual(['ok', 'ok']);
    expect(await counter()).toBeNull();
    expect(await deferred(at(62_000))).toBe('ok');
    expect(await counter()).toMatchObject({ count: 3 });
  });

  it('lets exactly the limit through when deferred attempts race', async () => {
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => deferred(at(0))));
    expect(outcomes.filter((outcome) => outcome === 'ok')).toHaveLength(3);
  });
});

it('keeps counting across a restart of the process', async () => {
  for (let i = 0; i < 3; i++) await attempt(at(i));
  await runtime.close();
  const reopened = await openRuntime(runtime.config, { log: createLogger('silent'), env: {} });
  try {
    expect(await attempt(at(5), 'who', reopened)).toMatch(/^RATE_LIMITED/);
  } finally {
    await reopened.close();
    runtime = await openTestRuntime(); // afterEach disposes a fresh one
  }
});

it('sweeps spent windows only', async () => {
  await attempt(at(0), 'a');
  await attempt(at(30_000), 'b');
  expect(await sweepRateLimits(runtime.db, at(60_000))).toBe(1);
  expect(await attempt(at(61_000), 'b')).toBe('ok');
});

it('does nothing when turned off (tests that fire bursts on purpose)', async () => {
  const off = { db: runtime.db, config: { ...runtime.config, rateLimits: false } };
  for (let i = 0; i < 10; i++) expect(await attempt(at(i), 'who', off)).toBe('ok');
});

it.each([
  [1, '1 秒'],
  [90, '90 秒'],
  [119, '119 秒'],
  [120, '2 分钟'],
  [599, '10 分钟'],
])('says %i s of waiting as "%s"', (seconds, words) => {
  expect(rateLimited(seconds).message).toBe(`操作太频繁了，请 ${words}后再试。`);
});
