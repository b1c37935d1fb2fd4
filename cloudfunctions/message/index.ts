// Cloud function `message`: the message center (list, mark read, settings), subscription consents, staff
// delivery figures, and a timer that queues the timed notices (payment closing, day-before reminders) and
// sends every due WeChat notice from the outbox. Thin entry; the work is in ./actions and shared/messages.
import type { Db } from 'mongodb';
import { ensureAppointmentIndexes } from '../shared/booking/appointments';
import { createMain } from '../shared/createMain';
import { runDueJobs, TICK_TRIGGER } from '../shared/jobs';
import { ensureConsentIndexes } from '../shared/messages/consents';
import { messageJobs } from '../shared/messages/messageJobs';
import { ensureMessageIndexes } from '../shared/messages/outbox';
import { ensureRateLimitIndexes } from '../shared/rateLimit';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { messageActions } from './actions';

export async function prepare(db: Db): Promise<void> {
  await ensureUserIndexes(db);
  await ensureAppointmentIndexes(db);
  await ensureMessageIndexes(db);
  await ensureConsentIndexes(db);
  await ensureRateLimitIndexes(db);
}

export const main = createMain('message', messageActions, {
  prepare,
  triggers: {
    // The jobs depend on the settings (the reminder hour), so they are built per tick from the context.
    async [TICK_TRIGGER](context) {
      const outcomes = await runDueJobs(context, messageJobs(context));
      const done = outcomes.filter((outcome) => outcome.outcome === 'ran' || outcome.outcome === 'failed');
      if (done.length) context.log.debug('jobs', { requestId: context.requestId, jobs: done.map((outcome) => `${outcome.name}:${outcome.outcome}`).join(',') });
    },
  },
});
