// Builds a cloud function's `main(event, context)`: route by action, validate with zod, map every error.
import { randomUUID } from 'node:crypto';
import { MongoServerError } from 'mongodb';
import { z } from 'zod';
import { createContext, requireIdentity, requireUser, type Context, type IdentityContext, type UserContext } from './context';
import { AppError, errorResult, type FieldError, type Result } from './errors';
import { readIdentity } from './identity';
import { describeError } from './log';
import { getRuntime, prepareOnce, type Runtime } from './runtime';

z.config(z.locales.zhCN());

type Auth = 'user' | 'identity';
type ContextFor<A extends Auth> = A extends 'user' ? UserContext : IdentityContext;

export interface ActionDef<A extends Auth, S extends z.ZodType, R> {
  /** 'user': a logged-in hospital user; 'identity': any caller with an openid (login itself). */
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

/**
 * An HTTP-triggered call (cloud functions' HTTP access; the local host's /http/<function>/...):
 * the raw request, so a signature can be checked on the exact bytes that were sent.
 */
export interface HttpEvent {
  httpMethod: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: string;
  isBase64Encoded?: boolean;
}

export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

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

interface TimerEvent {
  Type: 'Timer';
  TriggerName: string;
  Time?: string;
}

export const isHttpEvent = (event: unknown): event is HttpEvent =>
  typeof event === 'object' && event !== null && typeof (event as HttpEvent).httpMethod === 'string' && typeof (event as HttpEvent).path === 'string';

const isTimerEvent = (event: unknown): event is TimerEvent =>
  typeof event === 'object' && event !== null && (event as TimerEvent).Type === 'Timer' && typeof (event as TimerEvent).TriggerName === 'string';

export function createMain(area: string, actions: ActionTable, options: FunctionOptions = {}) {
  function main(event: HttpEvent, invocation?: InvocationContext): Promise<Result<unknown> | HttpResponse>;
  function main(event: unknown, invocation?: InvocationContext): Promise<Result<unknown>>;
  async function main(event: unknown, invocation: InvocationContext = {}): Promise<Result<unknown> | HttpResponse> {
    // Identity first, synchronously: the platform context belongs to this invocation only.
    const identity = readIdentity();
    const requestId = invocation.request_id ?? randomUUID();
    let runtime: Runtime;
    try {
      runtime = await getRuntime();
    } catch (error) {
      // No logger without a runtime; stderr is what the platform keeps.
      process.stderr.write(JSON.stringify({ level: 'error', message: 'runtime unavailable', requestId, area, ...describeError(error) }) + '\n');
      return errorResult(new AppError('INTERNAL'), requestId);
    }
    const context = createContext({ runtime, identity, requestId });
    try {
      if (options.prepare) await prepareOnce(runtime, area, options.prepare);
      if (!identity && options.http && isHttpEvent(event)) {
        const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
        return await options.http(context, { ...event, rawBody });
      }
      if (!identity && isTimerEvent(event)) {
        const trigger = options.triggers?.[event.TriggerName];
        if (!trigger) throw new AppError('UNKNOWN_ACTION');
        await trigger(context);
        return { ok: true, data: null };
      }
      return { ok: true, data: await dispatch(actions, context, event) };
    } catch (error) {
      const failure = errorResult(toAppError(error, context, area), context.requestId);
      // An HTTP caller (WeChat Pay) reads the status: 500 makes it retry later.
      if (options.http && isHttpEvent(event) && !identity) return { statusCode: 500, body: JSON.stringify({ code: 'FAIL', message: failure.ok ? '' : failure.message }) };
      return failure;
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
  const parsed = def.input.safeParse(params);
  if (!parsed.success) throw new AppError('INVALID_PARAMS', undefined, toFieldErrors(parsed.error));
  const bound = def.auth === 'user' ? await requireUser(context) : requireIdentity(context);
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
