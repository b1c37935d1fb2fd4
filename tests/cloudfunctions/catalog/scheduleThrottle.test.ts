/**
 * Schedule polling faster than a person can read is throttled with a sentence (X1): a person reading and
 * refreshing never meets the limit; a script polling for the release every 500 ms does within a minute.
 */
import { main as catalogMain } from '../../../cloudfunctions/catalog';
import { main as userMain } from '../../../cloudfunctions/user';
import { catalogCache } from '../../../cloudfunctions/shared/catalog/catalogCache';
import { scheduleCache } from '../../../cloudfunctions/shared/catalog/scheduleCache';
import { RATE_RULES } from '../../../cloudfunctions/shared/rateLimit';
import { ADMIN, createClinic, seedHospital } from '../../support/catalog';
import { callAs, dataOf, openTestRuntime, type TestRuntime } from '../../support/runtime';

jest.setTimeout(60_000);

let runtime: TestRuntime;
afterEach(async () => {
  await runtime.dispose();
});

it('the 31st schedule read in a minute from one account is refused with a sentence; others and the next minute are not', async () => {
  scheduleCache.clear();
  catalogCache.invalidate();
  runtime = await openTestRuntime({ adminOpenids: [ADMIN], rateLimits: true });
  dataOf(await callAs(userMain, ADMIN, { action: 'login' }));
  await seedHospital(runtime);
  const { doctorId } = await createClinic();
  const read = (openid: string) => callAs(catalogMain, openid, { action: 'schedules', doctorId });

  for (let i = 0; i < RATE_RULES.schedulePerCaller.limit; i++) expect(await read('poller')).toMatchObject({ ok: true });
  const refused = await read('poller');
  expect(refused).toMatchObject({ ok: false, code: 'RATE_LIMITED' });
  expect((refused as { message: string }).message).toMatch(/^号源刷新得太快了，请 \d+ 秒后再看。放号时间一到页面上就能约，不用一直刷新。$/);
  // Refused from memory too, with the same sentence.
  expect(await read('poller')).toMatchObject({ ok: false, code: 'RATE_LIMITED', message: expect.stringMatching(/^号源刷新得太快了/) });
  expect(await read('reader')).toMatchObject({ ok: true });

  runtime.clock.advance(RATE_RULES.schedulePerCaller.windowMs);
  expect(await read('poller')).toMatchObject({ ok: true });
});
