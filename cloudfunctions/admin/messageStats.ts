// `admin.messageStats`: subscription-message delivery per day (queued, sent, refused, failed, waiting) and the
// latest errors WeChat answered, for the 医院管理 page. Staff only.
import { z } from 'zod';
import { defineAction } from '../shared/createMain';
import { messageStats } from '../shared/messages/stats';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';

export const messageStatsAction = defineAction({
  auth: 'admin',
  input: z.object({ days: z.number({ error: '请选择要查看最近几天（1 到 31 天）' }).int('天数要是整数').min(1, '至少查看 1 天').max(31, '最多查看 31 天').default(7) }),
  async run(context, input) {
    await limitCaller(context, RATE_RULES.staffReportsPerUser);
    return messageStats(context.db, context.now, context.config.timeZone, input.days);
  },
});
