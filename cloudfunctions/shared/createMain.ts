// Builds a cloud function's `main(event, context)`: route by action, validate with zod, map every error.
import { randomUUID } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import { z } from 'zod';
import { createContext, requireAccount, requireAdmin, requireIdentity, requireUser, type AccountContext, type Context, type IdentityContext, type UserContext } from './context';
import { ConfigError } from './config';
import { AppError, errorResult, type FieldError, type Result } from './errors';
import { readPlatformCall } from './identity';
import { describeError, formatLogLine } from './log';
import { getRuntime, prepareOnce, type Runtime } from './runtime';
import { checkPlatformEvent, type HttpEvent } from './platformEvents';

export { isHttpEvent, type HttpEvent } from './platformEvents';

z.config(z.locales.zhCN());

type Auth = 'user' | 'account' | 'identity' | 'admin';
type ContextFor<A extends Auth> = A extends 'identity' ? IdentityContext : A extends 'account' ? AccountContext : UserContext;

export interface ActionDef<A extends Auth, S extends z.ZodType, R> {
  /**
   * 'user': a logged-in hospital user; 'account': the same, known by the account's id alone (the user
   * document is not read: release-morning hot paths); 'identity': any caller with an openid (login itself); 'admin': hospital
   * staff (the admin role and still on ADMIN_OPENIDS). Checked before the payload is parsed, so a caller
   * without the right learns nothing about the fields.
   */
  auth: A;
  input: S;
  run(context: ContextFor<A>, input: z.output<S>): Promise<R>;
}

export function defineAction<A extends Auth, S extends z.ZodType, R>(def: ActionDef<A, S, R>): ActionDef<A, S, R> {
  return def;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a table of actions with unrelated input types
export type ActionTable = Record<string, ActionDef<Auth, any, unknown>>;

/** A platform-initiated call (timer trigger): no caller identity, no action. */
export type TriggerTable = Record<string, (context: Context) => Promise<void>>;

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** What an HTTP-access event is answered with: the integrated-response shape, always complete. */
export interface HttpAnswer extends HttpResponse {
  headers: Record<string, string>;
  isBase64Encoded: false;
}

/**
 * The gateway reads `statusCode`, `headers`, `body` and `isBase64Encoded` only from a complete answer; a
 * bare object would be sent as a 200 with itself as JSON, which WeChat Pay takes as "received".
 * @see https://docs.cloudbase.net/service/access-cloud-function
 */
function httpAnswer(response: HttpResponse): HttpAnswer {
  return { statusCode: response.statusCode, headers: { 'content-type': 'application/json; charset=utf-8', ...response.headers }, body: response.body, isBase64Encoded: false };
}

/** Our own failure, as an HTTP caller (WeChat Pay) reads it: 500 means "send it again later". */
const httpFailure = (message: string): HttpAnswer => httpAnswer({ statusCode: 500, body: JSON.stringify({ code: 'FAIL', message }) });

export interface FunctionOptions {
  prepare?: (db: Runtime['db']) => Promise<void>;
  triggers?: TriggerTable;
  /** Handles HTTP-triggered events (no caller identity); answers with a status, never an envelope. */
  http?: (context: Context, request: HttpEvent & { rawBody: string }) => Promise<HttpResponse>;
}

/** The platform's invocation context; the local host passes the same fields. */
export interface InvocationContext {
  request_id?: string;
  function_name?: string;
}

export function createMain(area: string, actions: ActionTable, options: FunctionOptions = {}) {
  function main(event: HttpEvent, invocation?: InvocationContext): Promise<Result<unknown> | HttpAnswer>;
  function main(event: unknown, invocation?: InvocationContext): Promise<Result<unknown>>;
  async function main(event: unknown, invocation: InvocationContext = {}): Promise<Result<unknown> | HttpAnswer> {
    // The platform context first, synchronously: it belongs to this invocation only.
    const call = readPlatformCall();
    const { identity } = call;
    const requestId = invocation.request_id ?? randomUUID();
    // Known before anything can fail: an accepted HTTP-access event is answered with a status from here on, so
    // that whatever goes wrong (runtime, database, index creation) is a 500 and WeChat Pay delivers again.
    const platform = checkPlatformEvent(event, call, { http: Boolean(options.http) });
    const answersHttp = platform?.shape === 'http' && !platform.refused && Boolean(options.http);
    let runtime: Runtime;
    try {
      runtime = await getRuntime(area);
    } catch (error) {
      // No logger without a runtime; stderr is what the platform keeps. A configuration problem is one line, no stack.
      const why = error instanceof ConfigError ? { detail: error.message } : describeError(error);
      process.stderr.write(formatLogLine({ level: 'error', message: 'runtime unavailable', requestId, area, ...why }) + '\n');
      const failure = errorResult(new AppError('INTERNAL'), requestId);
      return answersHttp ? httpFailure(failure.message) : failure;
    }
    const context = createContext({ runtime, identity, requestId });
    try {
      if (options.prepare) await prepareOnce(runtime, area, options.prepare);
      if (platform?.refused) {
        context.log.warn('platform-shaped event refused', { requestId, area, shape: platform.shape, source: call.source ?? null, withIdentity: Boolean(identity) });
        throw new AppError('PLATFORM_ONLY');
      }
      if (answersHttp && options.http) {
        const request = event as HttpEvent;
        const rawBody = request.isBase64Encoded ? Buffer.from(request.body ?? '', 'base64').toString('utf8') : (request.body ?? '');
        return httpAnswer(await options.http(context, { ...request, rawBody }));
      }
      if (platform?.shape === 'timer') {
        const triggers = options.triggers ?? {};
        if (!Object.hasOwn(triggers, platform.triggerName)) throw new AppError('UNKNOWN_ACTION');
        await triggers[platform.triggerName](context);
        return { ok: true, data: null };
      }
      return { ok: true, data: await dispatch(actions, context, event) };
    } catch (error) {
      const failure = errorResult(toAppError(error, context, area), context.requestId);
      return answersHttp ? httpFailure(failure.message) : failure;
    }
  }
  return main;
}

async function dispatch(actions: ActionTable, context: Context, event: unknown): Promise<unknown> {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new AppError('BAD_REQUEST');
  // `userInfo` is injected by WeChat into events from the mini program; identity never comes from it.
  const { action, userInfo: _platform, ...params } = event as Record<string, unknown>;
  if (typeof action !== 'string' || action === '') throw new AppError('BAD_REQUEST', '请求缺少要执行的操作，请更新小程序后再试。');
  if (!Object.hasOwn(actions, action)) throw new AppError('UNKNOWN_ACTION');
  const def = actions[action];
  // Who may call comes before what was sent: a caller without the right never sees the field list.
  const bound =
    def.auth === 'identity' ? requireIdentity(context) : def.auth === 'account' ? await requireAccount(context) : def.auth === 'admin' ? await requireAdmin(context) : await requireUser(context);
  const parsed = def.input.safeParse(params);
  if (!parsed.success) throw new AppError('INVALID_PARAMS', undefined, toFieldErrors(parsed.error));
  return def.run(bound as never, parsed.data);
}

export function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => {
    const code = issue.code === 'custom' ? (issue.params as { code?: unknown } | undefined)?.code : undefined;
    return {
      path: issue.path.map(String).join('.') || '(payload)',
      message: issue.message,
      ...(typeof code === 'string' ? { code } : {}),
    };
  });
}

function toAppError(error: unknown, context: Context, area: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof MongoServerError && error.code === 11000) {
    context.log.warn('duplicate key', { requestId: context.requestId, area, index: error.message.split(' index: ')[1]?.split(' ')[0] });
    return new AppError('CONFLICT');
  }
  context.log.error('unexpected error', { requestId: context.requestId, area, ...describeError(error) });
  return new AppError('INTERNAL');
}
