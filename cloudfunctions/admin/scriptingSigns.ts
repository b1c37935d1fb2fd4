// `admin.scriptingSigns`: accounts showing signs of scripting (X1), most suspicious first, for staff to
// look into: holds before the release, sub-second repeats, rate-limit refusals, stranger cards. Accounts
// are masked; staff only (`auth: 'admin'` is checked before the payload is read).
import { z } from 'zod';
import { defineAction } from '../shared/createMain';
import { maskAccount, signsReached } from '../shared/domain/scriptingSigns';
import { limitCaller, RATE_RULES } from '../shared/rateLimit';
import { flushScriptingSigns, suspiciousAccounts } from '../shared/scriptingSigns';

const scriptingSignsQuery = z.object({
  days: z.number({ error: '请选择要查看最近几天的记录（1 到 90 天）' }).int('天数要是整数').min(1, '至少查看 1 天').max(90, '最多查看 90 天').default(7),
  limit: z.number({ error: '条数要是 1 到 200 的整数' }).int('条数要是整数').min(1, '至少 1 条').max(200, '最多 200 条').default(50),
});

export const scriptingSignsAction = defineAction({
  auth: 'admin',
  input: scriptingSignsQuery,
  async run(context, query) {
    await limitCaller(context, RATE_RULES.staffReportsPerUser);
    // This process's counts first; other instances add theirs within FLUSH_MS of their next request.
    await flushScriptingSigns(context.db);
    const since = new Date(context.now.getTime() - query.days * 86_400_000);
    const accounts = await suspiciousAccounts(context.db, since, query.limit);
    return {
      accounts: accounts.map((account) => ({
        account: maskAccount(account.openid),
        userId: account.userId?.toHexString() ?? null,
        score: account.score,
        signs: signsReached(account),
        early: account.early,
        subSecond: account.subSecond,
        throttled: account.throttled,
        strangerCards: account.strangerCards,
        cards: account.cards,
        firstAt: account.firstAt.toISOString(),
        lastAt: account.lastAt.toISOString(),
      })),
    };
  },
});
