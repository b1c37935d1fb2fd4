// The message function's timed jobs: queue the notices that depend on the clock, then send what is due.
import type { Context } from '../context';
import { addDays, dateIn } from '../domain/releaseRules';
import { dayBeforeReminderAt } from '../domain/reminderTiming';
import { jobsOf, type JobDef } from '../jobs';
import { sendDueMessages } from './delivery';
import { queueDayBeforeReminders, queueLateReminders, queuePaymentClosing, queueVisitDayReminders } from './events';

const LATE_REMINDERS = 'message.lateReminders';
/** The late-reminder run reads confirmations again from this long before its last run, so none slips between two runs. */
const LATE_OVERLAP_MS = 5 * 60_000;

export function messageJobs(context: Pick<Context, 'messageSettings' | 'messages'>): JobDef[] {
  const { reminderAt, visitDayAt } = context.messageSettings;
  const times = { dayBeforeAt: reminderAt, visitDayAt };
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
      schedule: { dailyAt: reminderAt },
      leaseMs: 50_000,
      run: async (job, due) => ({ queued: await queueDayBeforeReminders(job, addDays(dateIn(due, job.config.timeZone), 1)) }),
    },
    // Only for a hospital that asked for it: the visit-day morning reminder, before the late ones below look.
    ...(visitDayAt
      ? [
          {
            name: 'message.visitDay',
            schedule: { dailyAt: visitDayAt },
            leaseMs: 50_000,
            run: async (job: Context, due: Date) => ({ queued: await queueVisitDayReminders(job, dateIn(due, job.config.timeZone)) }),
          },
        ]
      : []),
    {
      // Every minute: visits confirmed after their day-before run (booked late for tomorrow, or for today) get
      // their one reminder now. Reads only the confirmations since its last run (at most back to the day-before
      // instant of today's visits, the earliest that can still be owed one).
      name: LATE_REMINDERS,
      schedule: { everyMs: 60_000 },
      leaseMs: 30_000,
      run: async (job) => {
        const last = (await jobsOf(job.db).findOne({ _id: LATE_REMINDERS }))?.lastDue.getTime() ?? 0;
        const earliest = dayBeforeReminderAt(dateIn(job.now, job.config.timeZone), times, job.config.timeZone).getTime();
        return { queued: await queueLateReminders(job, new Date(Math.max(last - LATE_OVERLAP_MS, earliest)), times) };
      },
    },
    {
      // Last, so what the jobs above queued goes out in the same tick.
      name: 'message.send',
      schedule: { everyMs: 60_000 },
      leaseMs: 55_000,
      run: async (job) => ({ ...(await sendDueMessages(job, { settings: job.messageSettings, sender: job.messages, budgetMs: 40_000 })) }),
    },
  ];
}
