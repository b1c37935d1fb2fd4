// Cloud function `patient`: patient cards, family proxies and visit codes. Thin entry; the work is in ./actions.
import type { Db } from 'mongodb';
import { ensureAuditIndexes } from '../shared/audit';
import { createMain } from '../shared/createMain';
import { ensureInviteIndexes } from '../shared/patients/invites';
import { ensureNoticeIndexes } from '../shared/patients/notices';
import { ensurePhoneProofIndexes } from '../shared/patients/phoneProofs';
import { ensurePatientIndexes } from '../shared/patients/patientRepository';
import { ensureRateLimitIndexes } from '../shared/rateLimit';
import { ensureUserIndexes } from '../shared/users/userRepository';
import { patientActions } from './actions';

export async function prepare(db: Db): Promise<void> {
  await ensureUserIndexes(db);
  await ensurePatientIndexes(db);
  await ensureInviteIndexes(db);
  await ensureAuditIndexes(db);
  await ensureRateLimitIndexes(db);
  await ensurePhoneProofIndexes(db);
  await ensureNoticeIndexes(db);
}

export const main = createMain('patient', patientActions, { prepare });
