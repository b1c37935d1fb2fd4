// Admin actions: the caller must hold the admin role; every change is written to the audit trail.
import { ObjectId } from 'mongodb';
import { recordAudit } from '../shared/audit';
import type { UserContext } from '../shared/context';
import { AppError } from '../shared/errors';

/** The admin role, and still on ADMIN_OPENIDS: taking someone off the list takes effect at once, not at their next login. */
export function requireAdmin(context: UserContext): void {
  if (!context.user.roles.includes('admin') || !context.config.adminOpenids.includes(context.identity.openid)) throw new AppError('FORBIDDEN', '这里是医院工作人员使用的管理功能，您的账号暂时没有权限。');
}

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
