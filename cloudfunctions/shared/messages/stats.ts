// Delivery figures for staff: per day (hospital time) how many messages were queued, sent, refused by the
// person (no consent or WeChat's 43101) and failed, and the latest errors WeChat answered.
import type { Db } from 'mongodb';
import { addDays, dateIn, zonedInstant } from '../domain/releaseRules';
import { messagesOf } from './outbox';

export interface DayFigures {
  date: string;
  queued: number;
  sent: number;
  /** No consent, turned off, or refused by WeChat (43101 and other permanent errors). */
  refused: number;
  failed: number;
  /** Still waiting to be sent (or retried). */
  waiting: number;
}

export async function messageStats(db: Db, now: Date, timeZone: string, days: number) {
  const today = dateIn(now, timeZone);
  const first = addDays(today, -(days - 1));
  const since = zonedInstant(first, '00:00', timeZone);
  const messages = await messagesOf(db)
    .find({ createdAt: { $gte: since } }, { projection: { createdAt: 1, wechat: 1, attempts: 1, event: 1 } })
    .toArray();
  const figures = new Map<string, DayFigures>();
  for (let offset = 0; offset < days; offset += 1) {
    const date = addDays(first, offset);
    figures.set(date, { date, queued: 0, sent: 0, refused: 0, failed: 0, waiting: 0 });
  }
  const errors: { at: string; event: string; errcode: number; errmsg: string }[] = [];
  for (const message of messages) {
    const day = figures.get(dateIn(message.createdAt, timeZone));
    if (day) {
      day.queued += 1;
      if (message.wechat === 'sent') day.sent += 1;
      else if (message.wechat === 'refused' || message.wechat === 'no_consent' || message.wechat === 'off') day.refused += 1;
      else if (message.wechat === 'failed') day.failed += 1;
      else if (message.wechat === 'pending' || message.wechat === 'sending') day.waiting += 1;
    }
    for (const attempt of message.attempts) if (attempt.errcode !== 0) errors.push({ at: attempt.at.toISOString(), event: message.event, errcode: attempt.errcode, errmsg: attempt.errmsg });
  }
  errors.sort((a, b) => b.at.localeCompare(a.at));
  return { days: [...figures.values()].reverse(), lastErrors: errors.slice(0, 20) };
}
