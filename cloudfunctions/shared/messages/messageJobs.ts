// The message function's timed jobs: queue the notices that depend on the clock, then send what is due.
import type { Context } from '../context';
import { addDays, dateIn } from '../domain/releaseRules';
import type { JobDef } from '../jobs';
import { sendDueMessages } from './delivery';
import { queueDayBeforeReminders, queuePaymentClosing } from './events';

export function messageJobs(context: Pick<Context, 'messageSettings' | 'messages'>): JobDef[] {
  return [
    {
      // Every minute: a hold's closing notice reaches the person 3 to 2 minutes before its place goes back.
      name: 'message.paymentClosing',
      schedule: { everyMs: 60_000 },
      leaseMs: 30_000,
      run: async (job) => ({ queued: await queuePaymentClosing(job) }),
    },
    {
      // Once a day at the reminder hour, for the next day's visits; a run that comes late still serves its day.
      name: 'message.dayBefore',
      schedule: { dailyAt: context.messageSettings.reminderAt },
      leaseMs: 50_000,
      run: async (job, due) => ({ queued: await queueDayBeforeReminders(job, addDays(dateIn(due, job.config.timeZone), 1)) }),
    },
    {
      // Last, so what the two above queued goes out in the same tick.
      name: 'message.send',
      schedule: { everyMs: 60_000 },
      leaseMs: 55_000,
      run: async (job) => ({ ...(await sendDueMessages(job, { settings: job.messageSettings, sender: job.messages, budgetMs: 40_000 })) }),
    },
  ];
}
