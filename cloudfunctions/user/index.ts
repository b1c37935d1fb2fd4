// Cloud function `user`: login and preferences. Thin entry; the work is in ./actions.
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../shared/audit';
import { createMain } from '../shared/createMain';
import { ensureRateLimitIndexes } from '../shared/rateLimit';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { userActions } from './actions';

export async function prepare(db: Db): Promise<void> {
  await ensureUserIndexes(db);
  await ensureRateLimitIndexes(db);
  await ensureAuditIndexes(db);
}

export const main = createMain('user', userActions, { prepare });
