// The `user` function's actions: P1 login and the user's own preferences.
import { z } from 'zod';
import { defineAction } from '../shared/createMain';
import { AppError } from '../shared/errors';
import { enforceRateLimit, RATE_RULES } from '../shared/rateLimit';
import { loginUser, setElderMode, toProfile } from '../shared/users/userRepository';

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
};
