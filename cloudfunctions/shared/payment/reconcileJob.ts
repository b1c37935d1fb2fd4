// The daily T+1 reconciliation as a timed job: the day before the due date, and any day missed since
// the last report (the function was down, or a run failed for days), oldest first, at most a month back.
import type { Context } from '../context';
import { addDays, dateIn } from '../domain/releaseRules';
import { reconcile, reconciliationsOf } from './reconcile';

const MAX_CATCH_UP_DAYS = 31;

export async function reconcileDueDays(context: Context, due: Date): Promise<{ days: string[] }> {
  const billDate = addDays(dateIn(due, context.config.timeZone), -1);
  const [latest] = await reconciliationsOf(context.db).find({ _id: { $lt: billDate } }).sort({ _id: -1 }).limit(1).toArray();
  // Before the first report there is nothing to catch up on: the hospital went live that day.
  const first = latest ? addDays(latest._id, 1) : billDate;
  const days: string[] = [];
  for (let day = billDate; day >= first && days.length < MAX_CATCH_UP_DAYS; day = addDays(day, -1)) days.unshift(day);
  for (const day of days) await reconcile(context, day);
  return { days };
}
