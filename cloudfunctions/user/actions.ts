// The `user` function's actions: P1 login and the user's own preferences.
import { z } from 'zod';
import { recordAudit } from '../shared/audit';
import { defineAction } from '../shared/createMain';
import { AppError } from '../shared/errors';
import { PRIVACY_NOTICE_VERSION } from '../shared/domain/privacyNotice';
import { enforceRateLimit, limitCaller, RATE_RULES } from '../shared/rateLimit';
import { agreePrivacy, loginUser, setElderMode, toProfile } from '../shared/users/userRepository';

export const userActions = {
  /** Finds or creates the hospital user for the caller's openid; the app calls it on launch. */
  login: defineAction({
    auth: 'identity',
    input: z.object({}),
    async run(context) {
      const address = context.identity.clientIp;
      if (address) await enforceRateLimit(context, RATE_RULES.loginPerAddress, address);
      const user = await loginUser(context.db, context.identity, {
        now: context.now,
        grantAdmin: context.config.adminOpenids.includes(context.identity.openid),
      });
      return { user: toProfile(user) };
    },
  }),

  /** Elder mode: true or false is the user's choice; null means "follow the system font size". */
  setPreferences: defineAction({
    auth: 'user',
    input: z.object({
      elderMode: z.boolean({ error: '请选择是否开启长辈模式' }).nullable(),
    }),
    async run(context, input) {
      const user = await setElderMode(context.db, context.user._id, input.elderMode, context.now);
      if (!user) throw new AppError('NOT_FOUND');
      return { user: toProfile(user) };
    },
  }),

  /**
   * The person agreed to the privacy notice shown before their first card. The version is the one the app showed:
   * an older one (the text changed meanwhile) is refused, so the agreement always names what was read.
   */
  agreePrivacy: defineAction({
    auth: 'user',
    input: z.object({ version: z.string({ error: '请先阅读隐私说明' }).min(1).max(32) }),
    async run(context, input) {
      await limitCaller(context, RATE_RULES.privacyPerUser);
      if (input.version !== PRIVACY_NOTICE_VERSION) throw new AppError('PRIVACY_NOTICE_CHANGED');
      const user = await agreePrivacy(context.db, context.user._id, input.version, context.now);
      if (!user) throw new AppError('NOT_FOUND');
      // The user document keeps the latest agreement; the audit keeps every one, with its version.
      await recordAudit(context.db, { at: context.now, actorUserId: user._id, action: 'user.privacy.agree', requestId: context.requestId, details: { version: input.version } });
      return { user: toProfile(user) };
    },
  }),
};
