// Admin actions: the caller must hold the admin role (declare `auth: 'admin'`); every change is written to the audit trail.
import { ObjectId } from 'mongodb';
import { recordAudit } from '../shared/audit';
import type { UserContext } from '../shared/context';

/** Prefer `auth: 'admin'` in defineAction: it checks the role before the payload is parsed. */
export { assertAdmin as requireAdmin } from '../shared/context';

/** Ids in `details` are stored as hex strings so the audit trail reads the same in every tool. */
export function auditAdmin(context: UserContext, action: string, details: Record<string, string | number | boolean | ObjectId>): Promise<void> {
  const plain = Object.fromEntries(Object.entries(details).map(([key, value]) => [key, value instanceof ObjectId ? value.toHexString() : value]));
  return recordAudit(context.db, {
    at: context.now,
    actorUserId: context.user._id,
    action: `admin.${action}`,
    requestId: context.requestId,
    details: plain,
  });
}
