// Sends due messages (the message function's timer job). At least once, with the double-send window kept
// small: each message is claimed ('sending' with a lease) right before its one send, and marked 'sent' right
// after WeChat answers. A process killed mid-send leaves the claim; when the lease ends another run sends it
// again. WeChat has no idempotency key, so the one residual window for a double notice is the one send in
// flight when this process dies (WeChat took it, 'sent' was never written; docs/API.md "`message`").
import type { ObjectId } from 'mongodb';
import { appointmentsOf } from '../booking/appointments';
import type { Context } from '../context';
import { forgetQuota, takeQuota } from './consents';
import { isPermanent, NO_QUOTA_ERRCODE, type MessageSender } from './messageSender';
import type { MessageSettings } from './messageSettings';
import { messagesOf, type MessageDoc, type WechatState } from './outbox';
import { remindersOff } from './preferences';
import { templateData } from './templates';

/** Longer than one send's timeout (5 s) with room: a claim older than this belongs to a process that died. */
export const SEND_LEASE_MS = 30_000;
/** Temporary errors are retried this many times in all, 30 s, 1, 2, 4 ... minutes apart (at most an hour). */
export const MAX_ATTEMPTS = 8;

export function retryDelayMs(attempts: number): number {
  return Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
}

export type DeliveryReport = Partial<Record<WechatState | 'retry', number>>;

export interface DeliveryOptions {
  settings: MessageSettings;
  sender: MessageSender;
  /** At most this many messages per run... */
  batch?: number;
  /** ...and no new send after this much real time, so a run ends inside the function's timeout. */
  budgetMs?: number;
}

export async function sendDueMessages(context: Pick<Context, 'db' | 'log' | 'now'>, options: DeliveryOptions): Promise<DeliveryReport> {
  const report: DeliveryReport = {};
  const deadline = Date.now() + (options.budgetMs ?? 40_000);
  const batch = options.batch ?? 200;
  for (let count = 0; count < batch && Date.now() < deadline; count += 1) {
    const message = await claimNext(context);
    if (!message) break;
    const outcome = await deliver(context, options, message);
    report[outcome] = (report[outcome] ?? 0) + 1;
  }
  return report;
}

/** The next due message, claimed: pending and due, or 'sending' whose claimer's lease ran out. */
async function claimNext(context: Pick<Context, 'db' | 'now'>): Promise<MessageDoc | null> {
  const { now } = context;
  return messagesOf(context.db).findOneAndUpdate(
    { $or: [{ wechat: 'pending', nextAttemptAt: { $lte: now } }, { wechat: 'sending', leaseUntil: { $lte: now } }] },
    { $set: { wechat: 'sending', leaseUntil: new Date(now.getTime() + SEND_LEASE_MS) } },
    { sort: { nextAttemptAt: 1 }, returnDocument: 'after' },
  );
}

async function finish(context: Pick<Context, 'db'>, message: MessageDoc, state: WechatState, extra: Partial<MessageDoc> = {}, attempt?: MessageDoc['attempts'][number]): Promise<WechatState> {
  await messagesOf(context.db).updateOne(
    { _id: message._id, wechat: 'sending', leaseUntil: message.leaseUntil },
    { $set: { wechat: state, leaseUntil: new Date(0), ...extra }, ...(attempt && { $push: { attempts: attempt } }) },
  );
  return state;
}

/** Whether the appointment still is what the message is about (a closing notice once paid is not sent). */
async function stillRelevant(context: Pick<Context, 'db' | 'now'>, message: MessageDoc): Promise<boolean> {
  const reminder = message.event === 'visit_reminder' || message.event === 'visit_day_reminder';
  if (message.event !== 'payment_closing' && !reminder) return true;
  const appointment = message.appointmentId && (await appointmentsOf(context.db).findOne({ _id: message.appointmentId as ObjectId }));
  if (!appointment) return false;
  if (message.event === 'payment_closing') return appointment.status === 'pending_payment' && (appointment.holdExpiresAt?.getTime() ?? 0) > context.now.getTime();
  return appointment.status === 'booked';
}

async function deliver(context: Pick<Context, 'db' | 'log' | 'now'>, options: DeliveryOptions, message: MessageDoc): Promise<WechatState | 'retry'> {
  const { db, now } = context;
  const template = options.settings.templates[message.event];
  if (!template) return finish(context, message, 'unconfigured');
  if (!(await stillRelevant(context, message))) return finish(context, message, 'obsolete');
  if ((message.event === 'visit_reminder' || message.event === 'visit_day_reminder') && (await remindersOff(db, message.userId))) return finish(context, message, 'off');
  let touser = message.touser;
  if (!message.quotaTaken || !touser) {
    const openid = await takeQuota(db, message.userId, template.id);
    if (!openid) return finish(context, message, 'no_consent', { templateId: template.id });
    touser = openid;
    await messagesOf(db).updateOne({ _id: message._id, leaseUntil: message.leaseUntil }, { $set: { quotaTaken: true, touser, templateId: template.id } });
  }
  const answer = await options.sender.send({
    touser,
    templateId: template.id,
    page: message.page,
    data: templateData(template, message.facts),
    miniprogramState: options.settings.miniprogramState,
    lang: 'zh_CN',
  });
  const at = new Date();
  if (answer.ok) return finish(context, message, 'sent', { sentAt: now }, { at, errcode: 0, errmsg: 'ok' });
  const attempt = { at, errcode: answer.errcode, errmsg: answer.errmsg.slice(0, 200) };
  if (isPermanent(answer.errcode)) {
    if (answer.errcode === NO_QUOTA_ERRCODE) await forgetQuota(db, message.userId, template.id);
    context.log.warn('message refused by WeChat', { event: message.event, errcode: answer.errcode });
    return finish(context, message, 'refused', {}, attempt);
  }
  const attempts = message.attempts.length + 1;
  if (attempts >= MAX_ATTEMPTS) return finish(context, message, 'failed', {}, attempt);
  await finish(context, message, 'pending', { nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) }, attempt);
  return 'retry';
}
