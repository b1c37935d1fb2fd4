// The `message` function's actions (N1): record what a person chose in the subscription prompt, the message
// center (list, mark read), and 消息设置 (turn the day-before reminder off; which templates to ask for at each tap).

import { z } from 'zod';
import type { UserContext } from '../shared/context';
import { defineAction } from '../shared/createMain';
import { AppError } from '../shared/errors';
import { consentsFor, recordConsent } from '../shared/messages/consents';
import { messagesOf, type MessageDoc } from '../shared/messages/outbox';
import { remindersOff, setReminders } from '../shared/messages/preferences';
import { subscriptionPrompts } from '../shared/messages/prompts';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';

const templateId = z.string({ error: '缺少消息模板，请更新小程序后再试。' }).regex(/^[A-Za-z0-9_-]{1,64}$/, '消息模板的格式不对，请更新小程序后再试。');
const messageId = z.string({ error: '请选择消息' }).min(1).max(120);

function toMessageView(message: MessageDoc) {
  return {
    id: message._id,
    event: message.event,
    title: message.title,
    text: message.text,
    at: message.dueAt.toISOString(),
    appointmentId: message.appointmentId?.toHexString() ?? null,
    page: message.page,
    wechat: message.wechat,
    noticeSent: message.wechat === 'sent',
    read: message.readAt !== null,
  };
}

async function unreadCount(context: UserContext): Promise<number> {
  return messagesOf(context.db).countDocuments({ userId: context.user._id, readAt: null, dueAt: { $lte: context.now } });
}

async function settingsView(context: UserContext) {
  const consents = await consentsFor(context.db, context.user._id);
  const templates = Object.entries(context.messageSettings.templates).map(([event, template]) => {
    const consent = consents.find((entry) => entry.templateId === template.id);
    return { event, templateId: template.id, kind: template.kind, subscribed: template.kind === 'long' ? Boolean(consent?.longTerm) : (consent?.quota ?? 0) > 0, quota: consent?.quota ?? 0 };
  });
  return { reminders: !(await remindersOff(context.db, context.user._id)), prompts: subscriptionPrompts(context.messageSettings.templates), templates };
}

export const messageActions = {
  consent: defineAction({
    auth: 'user',
    input: z.object({
      results: z
        .array(z.object({ templateId, result: z.enum(['accept', 'reject', 'ban', 'filter'], { error: '订阅结果只能是 accept、reject、ban 或 filter' }) }))
        .min(1, '请至少给出一个订阅结果')
        .max(3, '一次最多订阅 3 个消息模板'),
    }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.consentPerUser);
      const configured = Object.values(context.messageSettings.templates);
      const kinds = input.results.map((entry) => configured.find((template) => template.id === entry.templateId)?.kind);
      if (kinds.some((kind) => kind === undefined)) throw new AppError('MESSAGE_TEMPLATE_UNKNOWN');
      for (const [index, entry] of input.results.entries()) {
        await recordConsent(context.db, { userId: context.user._id, openid: context.identity.openid, templateId: entry.templateId, kind: kinds[index]!, result: entry.result, now: context.now });
        // Local runs: the stand-in learns the choice as WeChat would from the prompt (no such hook in production).
        await context.messages.reportConsent?.({ openid: context.identity.openid, templateId: entry.templateId, result: entry.result });
      }
      return settingsView(context);
    },
  }),

  list: defineAction({
    auth: 'user',
    input: z.object({
      before: z.iso.datetime({ offset: true, error: '时间格式不对，请刷新后再试。' }).optional(),
      limit: z.number({ error: '条数要是 1 到 50 的整数' }).int('条数要是整数').min(1, '至少 1 条').max(50, '最多 50 条').default(20),
    }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.messagesPerUser);
      const upTo = input.before ? new Date(Math.min(new Date(input.before).getTime(), context.now.getTime() + 1)) : new Date(context.now.getTime() + 1);
      const found = await messagesOf(context.db)
        .find({ userId: context.user._id, dueAt: { $lt: upTo } })
        .sort({ dueAt: -1 })
        .limit(input.limit)
        .toArray();
      return { messages: found.map(toMessageView), unread: await unreadCount(context) };
    },
  }),

  markRead: defineAction({
    auth: 'user',
    input: z.union([
      z.object({ ids: z.array(messageId, { error: '请选择消息' }).min(1, '请至少选择一条消息').max(100, '一次最多 100 条') }).strict(),
      z.object({ all: z.literal(true, { error: '全部已读请传 all: true' }) }).strict(),
    ]),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.messagesPerUser);
      // Only the caller's own messages: another person's id matches nothing.
      const filter = { userId: context.user._id, readAt: null, dueAt: { $lte: context.now }, ...('ids' in input ? { _id: { $in: input.ids } } : {}) };
      const result = await messagesOf(context.db).updateMany(filter, { $set: { readAt: context.now } });
      return { marked: result.modifiedCount, unread: await unreadCount(context) };
    },
  }),

  settings: defineAction({
    auth: 'user',
    input: z.object({ reminders: z.boolean({ error: '提醒开关只能是开或关' }).optional() }).strict(),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.messagesPerUser);
      if (input.reminders !== undefined) await setReminders(context.db, context.user._id, input.reminders, context.now);
      return settingsView(context);
    },
  }),
};

export type MessageActions = typeof messageActions;
