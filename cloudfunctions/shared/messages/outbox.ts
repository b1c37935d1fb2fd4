// The message outbox (N1): every message a person should get is a document here, written right after the
// state change that caused it and keyed `${event}:${appointmentId}:${userId}`, so a replayed event never
// queues twice. The message center reads these documents; the message function's timer sends the WeChat
// notice. Queueing never throws into the action that caused it: a failure is logged, the action stands.
import type { Db, ObjectId } from 'mongodb';
import { MongoServerError } from 'mongodb';
import type { Context } from '../context';
import { describeError, type Logger } from '../log';
import type { MessageEvent, MessageFacts } from './templates';

/**
 * The WeChat notice's state: 'pending' (due at `nextAttemptAt`), 'sending' (claimed until `leaseUntil`), 'sent',
 * 'no_consent' (no quota for the template: message center only), 'off' (the person turned this reminder off),
 * 'obsolete' (the appointment moved on before it was due: a closing notice after payment), 'refused' (a
 * permanent errcode), 'failed' (temporary errors until attempts ran out), 'unconfigured' (no template for the event).
 */
export type WechatState = 'pending' | 'sending' | 'sent' | 'no_consent' | 'off' | 'obsolete' | 'refused' | 'failed' | 'unconfigured';

export interface SendAttempt {
  at: Date;
  errcode: number;
  errmsg: string;
}

export interface MessageDoc {
  /** `${event}:${appointmentId}:${userId}`: the dedupe key. */
  _id: string;
  userId: ObjectId;
  event: MessageEvent;
  appointmentId: ObjectId | null;
  /** What the message center shows (Chinese, complete). */
  title: string;
  text: string;
  /** What the WeChat template is filled from (templates.ts). */
  facts: MessageFacts;
  /** The mini program page the notice and the message center open. */
  page: string;
  createdAt: Date;
  /** Shown and sent from this instant (a reminder queued ahead of time). */
  dueAt: Date;
  readAt: Date | null;
  wechat: WechatState;
  nextAttemptAt: Date;
  leaseUntil: Date;
  attempts: SendAttempt[];
  /** The one-time quota this message took (never taken twice when it is retried). */
  quotaTaken?: boolean;
  /** The openid the notice goes to (from the consent). */
  touser?: string;
  templateId?: string;
  sentAt?: Date;
}

export const messagesOf = (db: Db) => db.collection<MessageDoc>('messages');

export async function ensureMessageIndexes(db: Db): Promise<void> {
  const messages = messagesOf(db);
  // The sender's queue: what is due now.
  await messages.createIndex({ wechat: 1, nextAttemptAt: 1 });
  // The message center: one person's messages, newest first.
  await messages.createIndex({ userId: 1, dueAt: -1 });
  // Staff figures per day.
  await messages.createIndex({ createdAt: 1 });
}

export interface QueuedMessage {
  event: MessageEvent;
  userId: ObjectId;
  appointmentId: ObjectId | null;
  title: string;
  text: string;
  facts: MessageFacts;
  page: string;
  dueAt?: Date;
}

export const messageKey = (event: MessageEvent, appointmentId: ObjectId | null, userId: ObjectId) => `${event}:${appointmentId?.toHexString() ?? '-'}:${userId.toHexString()}`;

/**
 * Writes the messages (idempotent: an existing key is left as it is). Returns how many were new. Never throws:
 * a message that could not be written is logged, and the action that queued it carries on.
 */
export async function queueMessages(services: { db: Db; log: Logger; now: Date }, messages: QueuedMessage[]): Promise<number> {
  if (!messages.length) return 0;
  const docs: MessageDoc[] = messages.map((message) => {
    const dueAt = message.dueAt ?? services.now;
    return {
      _id: messageKey(message.event, message.appointmentId, message.userId),
      userId: message.userId,
      event: message.event,
      appointmentId: message.appointmentId,
      title: message.title,
      text: message.text,
      facts: message.facts,
      page: message.page,
      createdAt: services.now,
      dueAt,
      readAt: null,
      wechat: 'pending',
      nextAttemptAt: dueAt,
      leaseUntil: new Date(0),
      attempts: [],
    };
  });
  try {
    const result = await messagesOf(services.db).insertMany(docs, { ordered: false });
    return result.insertedCount;
  } catch (error) {
    // Duplicate keys are replays: the message is already queued.
    if (error instanceof MongoServerError && error.code === 11000) return (error as MongoServerError & { result?: { insertedCount?: number } }).result?.insertedCount ?? 0;
    const writeErrors = (error as { writeErrors?: { code?: number }[] }).writeErrors;
    if (Array.isArray(writeErrors) && writeErrors.every((entry) => entry.code === 11000)) return docs.length - writeErrors.length;
    services.log.error('message not queued', { events: messages.map((message) => message.event).join(','), ...describeError(error) });
    return 0;
  }
}

/** Queues from inside an action or job, as a last step after its state change (see events.ts). */
export type QueueServices = Pick<Context, 'db' | 'log' | 'now' | 'config'>;
