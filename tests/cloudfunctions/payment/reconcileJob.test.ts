/** The daily reconciliation job: the day before its due date, and every day missed since the last report. */
import { createContext } from '../../../cloudfunctions/shared/context';
import { reconciliationsOf } from '../../../cloudfunctions/shared/payment/reconcile';
import { reconcileDueDays } from '../../../cloudfunctions/shared/payment/reconcileJob';
import { openTestRuntime, type TestRuntime } from '../../support/runtime';
import { startTestWeChatPay, type TestWeChatPay } from '../../support/wechatPay';

let pay: TestWeChatPay;
let runtime: TestRuntime;
beforeEach(async () => {
  pay = await startTestWeChatPay();
  runtime = await openTestRuntime({}, { pay: pay.client });
});
afterEach(async () => {
  await runtime.dispose();
  await pay.standIn.close();
});

// Due at 10:30 Beijing time on Nov 25 (in the past: the stand-in, like WeChat Pay, has no bill for days not yet over).
const DUE = new Date('2026-11-25T02:30:00Z');
const context = () => createContext({ runtime, identity: null, now: new Date('2026-11-25T03:07:00Z') });
const reportDays = async () => (await reconciliationsOf(runtime.db).find({}).sort({ _id: 1 }).toArray()).map((report) => report._id);

it('reconciles the day before on the first run ever', async () => {
  expect(await reconcileDueDays(context(), DUE)).toEqual({ days: ['2026-11-24'] });
  expect(await reportDays()).toEqual(['2026-11-24']);
});

it('catches up every day missed since the last report, oldest first', async () => {
  await reconciliationsOf(runtime.db).insertOne({ _id: '2026-11-21', ranAt: new Date('2026-11-22T02:30:00Z'), billTrades: 0, matched: 0, findings: [], refundsSent: 0 });
  expect(await reconcileDueDays(context(), DUE)).toEqual({ days: ['2026-11-22', '2026-11-23', '2026-11-24'] });
  expect(await reportDays()).toEqual(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']);
});

it('runs the due day again when asked twice (a reconciliation is idempotent) and never reaches back more than a month', async () => {
  await reconciliationsOf(runtime.db).insertOne({ _id: '2026-09-01', ranAt: new Date('2026-09-02T02:30:00Z'), billTrades: 0, matched: 0, findings: [], refundsSent: 0 });
  const { days } = await reconcileDueDays(context(), DUE);
  expect(days).toHaveLength(31);
  expect(days[0]).toBe('2026-10-25');
  expect(days.at(-1)).toBe('2026-11-24');
  expect(await reconcileDueDays(context(), DUE)).toEqual({ days: ['2026-11-24'] });
});
