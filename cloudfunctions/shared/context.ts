// The per-invocation context handed to every action: who is calling, when, and the runtime's services.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { ServerConfig } from './config';
import { AppError } from './errors';
import type { WxIdentity } from './identity';
import type { Logger } from './log';
import type { Runtime } from './runtime';
import { findAccountId, findUserByIdentity, type UserDoc } from './users/userRepository';

export interface Context {
  requestId: string;
  now: Date;
  db: Db;
  config: ServerConfig;
  log: Logger;
  pii: Runtime['pii'];
  his: Runtime['his'];
  pay: Runtime['pay'];
  sms: Runtime['sms'];
  wxPhone: Runtime['wxPhone'];
  messages: Runtime['messages'];
  messageSettings: Runtime['messageSettings'];
  visitCodeKey: Buffer;
  phoneCodeKey: Buffer;
  identity: WxIdentity | null;
}

export interface IdentityContext extends Context {
  identity: WxIdentity;
}

/** A logged-in caller known by the account's id alone (its identity link): for hot paths that read nothing else of the user. */
export interface AccountContext extends IdentityContext {
  user: Pick<UserDoc, '_id'>;
}

export interface UserContext extends AccountContext {
  user: UserDoc;
}

export function createContext(options: {
  runtime: Runtime;
  identity: WxIdentity | null;
  requestId?: string;
  now?: Date;
}): Context {
  const { runtime } = options;
  return {
    requestId: options.requestId ?? randomUUID(),
    now: options.now ?? runtime.clock.now(),
    db: runtime.db,
    config: runtime.config,
    log: runtime.log,
    pii: runtime.pii,
    his: runtime.his,
    pay: runtime.pay,
    sms: runtime.sms,
    wxPhone: runtime.wxPhone,
    messages: runtime.messages,
    messageSettings: runtime.messageSettings,
    visitCodeKey: runtime.visitCodeKey,
    phoneCodeKey: runtime.phoneCodeKey,
    identity: options.identity,
  };
}

export function requireIdentity(context: Context): IdentityContext {
  if (!context.identity) throw new AppError('UNAUTHENTICATED');
  return context as IdentityContext;
}

/** The account behind the caller's openid, from its identity link (remembered by the instance); callers who never logged in must log in first. */
export async function requireAccount(context: Context): Promise<AccountContext> {
  const withIdentity = requireIdentity(context);
  const userId = await findAccountId(context.db, withIdentity.identity);
  if (!userId) throw new AppError('UNAUTHENTICATED');
  return withUser(withIdentity, { _id: userId });
}

/** Resolves the hospital user behind the caller's openid; callers who never logged in must log in first. */
export async function requireUser(context: Context): Promise<UserContext> {
  const withIdentity = requireIdentity(context);
  const user = await findUserByIdentity(context.db, withIdentity.identity);
  if (!user) throw new AppError('UNAUTHENTICATED');
  return withUser(withIdentity, user);
}

/** The invocation's own context, now with its caller's account: given the field, not copied (a copy is ~16 fields on every call). */
function withUser<U>(context: IdentityContext, user: U): IdentityContext & { user: U } {
  return Object.assign(context, { user });
}

/**
 * Hospital staff only: the admin role, and still on ADMIN_OPENIDS, so taking someone off the list takes effect
 * at once, not at their next login.
 */
export async function requireAdmin(context: Context): Promise<UserContext> {
  const bound = await requireUser(context);
  assertAdmin(bound);
  return bound;
}

export function assertAdmin(context: UserContext): void {
  if (!context.user.roles.includes('admin') || !context.config.adminOpenids.includes(context.identity.openid)) {
    throw new AppError('FORBIDDEN', '这里是医院工作人员使用的管理功能，您的账号暂时没有权限。');
  }
}
