// `admin.suspicions`: the patterns recorded for staff (an account booking for more people on one day
// than a family does), newest first. Staff only: `auth: 'admin'` is checked before the payload is read.
import { z } from 'zod';
import { defineAction } from '../shared/createMain';
import { recentSuspicions } from '../shared/suspicions';

const suspicionsQuery = z.object({
  days: z.number({ error: '请选择要查看最近几天的记录（1 到 90 天）' }).int('天数要是整数').min(1, '至少查看 1 天').max(90, '最多查看 90 天').default(7),
  limit: z.number({ error: '条数要是 1 到 200 的整数' }).int('条数要是整数').min(1, '至少 1 条').max(200, '最多 200 条').default(50),
});

export const suspicionsAction = defineAction({
  auth: 'admin',
  input: suspicionsQuery,
  async run(context, query) {
    const since = new Date(context.now.getTime() - query.days * 86_400_000);
    const records = await recentSuspicions(context.db, since, query.limit);
    return {
      suspicions: records.map((record) => ({
        id: record._id,
        kind: record.kind,
        userId: record.userId.toHexString(),
        date: record.date,
        people: record.patientIds.length,
        patientIds: record.patientIds.map((id) => id.toHexString()),
        limit: record.limit,
        attempts: record.attempts,
        firstAt: record.firstAt.toISOString(),
        lastAt: record.lastAt.toISOString(),
      })),
    };
  },
});
