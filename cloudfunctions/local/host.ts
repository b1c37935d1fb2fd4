// The local host: every cloud function at POST /api/<name> (and its HTTP access at /http/<name>/...), the H5 build, dev login, one Node process.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ControlledClock } from '../shared/clock';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpEvent, HttpResponse } from '../shared/createMain';
import { AppError, errorResult, httpStatusFor, type ErrorCode, type Result } from '../shared/errors';
import { CLIENT_SOURCE, withPlatformCall, type WxIdentity } from '../shared/identity';
import { describeError, type Logger } from '../shared/log';
import { DEV_APPID, DEV_IDENTITIES } from './devIdentities';
import type { HostedFunction } from './functions';
import type { HostConfig } from './hostConfig';
import { parseJson, readBody } from '../shared/http/httpHelpers';
import { serveStatic } from './staticFiles';
import type { WeChatPayStandIn } from './wechatPayStandIn';
import type { MessageStandIn } from './messageStandIn';
import type { SmsStandIn } from './smsStandIn';
import { maskPhone } from '../shared/domain/mask';
import { localControlRefusal } from '../shared/http/localControl';

const MAX_BODY_BYTES = 256 * 1024;
const DEV_OPENID = /^[A-Za-z0-9_-]{1,64}$/;

export interface HostOptions {
  config: HostConfig;
  /** The local WeChat Pay stand-in, driven by the H5 sandbox cashier through /dev/wxpay/*. */
  payStandIn?: WeChatPayStandIn;
  /** The local SMS stand-in, whose sent codes a developer reads on /dev/sms. */
  smsStandIn?: SmsStandIn;
  /** The local subscription-message stand-in, whose deliveries a developer reads on /dev/messages. */
  messageStandIn?: MessageStandIn;
  /** Business time of the runtime these functions use; /dev/clock sets or advances it (never in production). */
  clock?: ControlledClock;
  /** Starts a function's timer triggers now (POST /dev/timers); absent in production. */
  runTimers?: (functionName: string) => number;
  functions: HostedFunction[];
  log: Logger;
}

/** POST /dev/clock: jump to an instant, or move by some minutes (negative moves back). */
const TimerRun = z.object({ function: z.string().min(1).max(40) }).strict();
const ClockChange = z.union([z.object({ at: z.string().datetime({ offset: true }) }).strict(), z.object({ advanceMs: z.number().int().min(-366 * 86_400_000).max(366 * 86_400_000) }).strict()]);

export function createHost({ config, functions, log, payStandIn, smsStandIn, messageStandIn, clock, runTimers }: HostOptions): Server {
  const byName = new Map(functions.map((fn) => [fn.name, fn]));

  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log.error('host failure', { url: request.url, ...describeError(error) });
      if (!response.headersSent) sendResult(response, errorResult(new AppError('INTERNAL'), randomUUID()));
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = requestPath(request);
    if (pathname === undefined) return sendError(response, 'BAD_REQUEST', undefined, '网址的格式不对，请从首页重新进入。');
    if (pathname.startsWith('/api/')) return handleApi(request, response, pathname.slice('/api/'.length));
    if (pathname === '/healthz') return sendJson(response, 200, { ok: true, data: null });
    if (pathname.startsWith('/dev/')) return handleDev(request, response, pathname);
    if (pathname.startsWith('/http/')) return handleHttp(request, response, pathname.slice('/http/'.length));
    if (request.method !== 'GET' && request.method !== 'HEAD') return sendError(response, 'NOT_FOUND');
    return serveStatic(config.h5Dir, request, response);
  }

  /**
   * /http/<function>/<path>: the function's HTTP access, as WeChat Pay's notifications reach it in the
   * cloud. The raw body is passed through untouched (signatures are over its exact bytes).
   */
  async function handleHttp(request: IncomingMessage, response: ServerResponse, rest: string): Promise<void> {
    const [name, ...segments] = rest.split('/');
    const fn = byName.get(name);
    if (!fn) return sendError(response, 'UNKNOWN_FUNCTION');
    const body = await readRequestBody(request);
    if (body instanceof AppError) return sendError(response, body.code);
    const headers = Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(', ') : value]));
    const event: HttpEvent = { httpMethod: request.method ?? 'GET', path: `/${segments.join('/')}`, headers, body, isBase64Encoded: false };
    const answer = (await fn.main(event, { request_id: randomUUID(), function_name: fn.name })) as Result<unknown> | HttpResponse;
    if (!('statusCode' in answer)) return sendResult(response, answer);
    response.writeHead(answer.statusCode, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
    response.end(answer.body);
  }

  async function handleApi(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    const requestId = randomUUID();
    if (request.method !== 'POST') return sendError(response, 'BAD_REQUEST', requestId, '请使用 POST 调用云函数。');
    const fn = byName.get(name);
    if (!fn) return sendError(response, 'UNKNOWN_FUNCTION', requestId);

    const identity = readDevIdentity(request);
    if (identity instanceof AppError) return sendResult(response, errorResult(identity, requestId));

    const body = await readRequestBody(request);
    if (body instanceof AppError) return sendResult(response, errorResult(body, requestId));
    let event: unknown;
    try {
      event = JSON.parse(body);
    } catch {
      return sendError(response, 'BAD_REQUEST', requestId, '请求内容不是有效的 JSON，请刷新页面后再试。');
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return sendError(response, 'BAD_REQUEST', requestId);

    const started = performance.now();
    // Every /api call is a client's, as WeChat marks a mini program's calls: a function never takes it for a timer or HTTP access.
    const result = await withPlatformCall({ identity, source: CLIENT_SOURCE }, () => fn.main(event, { request_id: requestId, function_name: fn.name }));
    sendResult(response, result);
    const sent = (event as { action?: unknown }).action;
    const action = typeof sent === 'string' ? sent.slice(0, 64) : typeof sent;
    log.debug('request', { requestId, function: fn.name, action, outcome: result.ok ? 'ok' : result.code, ms: Math.round(performance.now() - started) });
  }

  /** Locally the caller's openid comes from the dev login's header; in production that header is refused. */
  function readDevIdentity(request: IncomingMessage): WxIdentity | null | AppError {
    const openid = request.headers['x-dev-openid'];
    if (openid === undefined) return null;
    if (!config.devLogin) return new AppError('DEV_LOGIN_DISABLED');
    if (typeof openid !== 'string' || !DEV_OPENID.test(openid)) return new AppError('BAD_REQUEST', '开发登录的身份格式不对，请重新选择身份。');
    const unionid = request.headers['x-dev-unionid'];
    // The address is the socket's, as the platform reports CLIENTIP; a forwarded-for header is never trusted.
    const clientIp = request.socket.remoteAddress;
    return {
      openid,
      appid: DEV_APPID,
      ...(typeof unionid === 'string' && DEV_OPENID.test(unionid) ? { unionid } : {}),
      ...(clientIp ? { clientIp } : {}),
    };
  }

  async function handleDev(request: IncomingMessage, response: ServerResponse, pathname: string): Promise<void> {
    if (!config.devLogin) return sendError(response, 'NOT_FOUND');
    if (pathname === '/dev/identities' && request.method === 'GET') return sendJson(response, 200, { ok: true, data: DEV_IDENTITIES });
    // The sandbox cashier (模拟支付): the payer pays or walks away, as WeChat's cashier would report it.
    if ((pathname === '/dev/wxpay/pay' || pathname === '/dev/wxpay/cancel') && request.method === 'POST') {
      if (!payStandIn) return sendError(response, 'NOT_FOUND', undefined, '本地没有启动微信支付模拟服务（已配置真实的微信支付）。');
      const body = await readRequestBody(request);
      if (body instanceof AppError) return sendResult(response, errorResult(body, randomUUID()));
      const outTradeNo = (parseJson(body) as { outTradeNo?: unknown } | null | undefined)?.outTradeNo;
      if (typeof outTradeNo !== 'string') return sendError(response, 'BAD_REQUEST', undefined, '支付页面的请求不完整，请返回预约记录重新支付。');
      if (!payStandIn.order(outTradeNo)) return sendError(response, 'NOT_FOUND', undefined, '没有找到这笔订单，请返回重新支付。');
      try {
        const order = pathname === '/dev/wxpay/pay' ? payStandIn.pay(outTradeNo) : payStandIn.cancel(outTradeNo);
        return sendJson(response, 200, { ok: true, data: { tradeState: order.tradeState } });
      } catch (error) {
        log.warn('sandbox cashier refused', { outTradeNo, reason: error instanceof Error ? error.message : String(error) });
        return sendError(response, 'CONFLICT', undefined, '这笔订单现在不能这样操作（可能已支付或已超时），请返回预约记录查看。');
      }
    }
    // The SMS stand-in's outbox, newest first: the codes a phone would have received. Only from this machine.
    if (pathname === '/dev/sms' && request.method === 'GET') {
      // Like a stand-in's control API: this machine only, and no web page (a page could reach it by DNS rebinding).
      if (localControlRefusal(request)) return sendError(response, 'NOT_FOUND');
      if (!smsStandIn) return sendError(response, 'NOT_FOUND', undefined, '本地没有启动短信模拟服务（已配置真实的短信服务）。');
      const messages = smsStandIn
        .messages()
        .reverse()
        .map((message) => ({ phone: maskPhone(message.phone), code: message.code, minutes: Number(message.minutes), sentAt: message.sentAt.toISOString() }));
      return sendJson(response, 200, { ok: true, data: messages });
    }
    // The subscription-message stand-in's deliveries, newest first: the WeChat notices a patient would get.
    if (pathname === '/dev/messages' && request.method === 'GET') {
      if (localControlRefusal(request)) return sendError(response, 'NOT_FOUND');
      if (!messageStandIn) return sendError(response, 'NOT_FOUND', undefined, '本地没有启动订阅消息模拟服务（已配置真实的微信接口）。');
      const delivered = messageStandIn
        .deliveries()
        .reverse()
        .map((delivery) => ({ touser: delivery.touser, templateId: delivery.templateId, page: delivery.page, data: delivery.data, at: delivery.at.toISOString() }));
      return sendJson(response, 200, { ok: true, data: delivered });
    }
    // The business clock, for trying reminders at 18:00 or a session that has ended without waiting for it.
    if (pathname === '/dev/clock') {
      if (localControlRefusal(request)) return sendError(response, 'NOT_FOUND');
      if (!clock) return sendError(response, 'NOT_FOUND', undefined, '这个服务没有可以调整的时钟。');
      if (request.method === 'POST') {
        const body = await readRequestBody(request);
        if (body instanceof AppError) return sendResult(response, errorResult(body, randomUUID()));
        const change = ClockChange.safeParse(parseJson(body));
        if (!change.success) return sendError(response, 'BAD_REQUEST', undefined, '请给出 {"at":"2026-12-01T18:00:00+08:00"} 或 {"advanceMs":60000}。');
        if ('at' in change.data) clock.set(new Date(change.data.at));
        else clock.advance(change.data.advanceMs);
        log.info('dev clock moved', { now: clock.now().toISOString() });
      } else if (request.method !== 'GET') return sendError(response, 'NOT_FOUND');
      return sendJson(response, 200, { ok: true, data: { now: clock.now().toISOString(), offsetMs: clock.now().getTime() - Date.now() } });
    }
    // A function's timer triggers started now ({"function":"message"}), so a reminder or a sweep need not wait for its second.
    if (pathname === '/dev/timers' && request.method === 'POST') {
      if (localControlRefusal(request) || !runTimers) return sendError(response, 'NOT_FOUND');
      const body = await readRequestBody(request);
      if (body instanceof AppError) return sendResult(response, errorResult(body, randomUUID()));
      const asked = TimerRun.safeParse(parseJson(body));
      if (!asked.success || !byName.has(asked.data.function)) return sendError(response, 'BAD_REQUEST', undefined, '请给出 {"function":"message"} 这样的函数名。');
      return sendJson(response, 200, { ok: true, data: { started: runTimers(asked.data.function) } });
    }
    // The benchmarks' baseline: the same HTTP path as a function call (body read, JSON parsed, JSON answered), no work.
    if (pathname === '/dev/noop' && request.method === 'POST') {
      const body = await readRequestBody(request);
      if (body instanceof AppError) return sendResult(response, errorResult(body, randomUUID()));
      if (parseJson(body || '{}') === undefined) return sendError(response, 'BAD_REQUEST');
      return sendJson(response, 200, { ok: true, data: null });
    }
    return sendError(response, 'NOT_FOUND');
  }
}

/** The decoded path, or undefined when it cannot be decoded (`/%ZZ`): the request is malformed, not the host broken. */
function requestPath(request: IncomingMessage): string | undefined {
  try {
    const pathname = new URL(request.url ?? '/', 'http://local').pathname;
    decodeURIComponent(pathname);
    return pathname;
  } catch {
    return undefined;
  }
}

async function readRequestBody(request: IncomingMessage): Promise<string | AppError> {
  return (await readBody(request, MAX_BODY_BYTES)) ?? new AppError('PAYLOAD_TOO_LARGE');
}

function sendError(response: ServerResponse, code: ErrorCode, requestId = randomUUID(), message?: string): void {
  sendResult(response, errorResult(new AppError(code, message), requestId));
}

function sendResult(response: ServerResponse, result: Result<unknown>): void {
  sendJson(response, result.ok ? 200 : httpStatusFor(result.code), result);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  outgoing.push({ response, text });
  if (outgoing.length === 1) setImmediate(flushOutgoing);
}

/**
 * Answers finished in one turn of the event loop are written together at its end. Each write to a client
 * that is waiting wakes it; one wake-up then covers the batch. On release morning (bench:surge) this took the
 * host's socket writes from ~23 % to ~7 % of its time; it delays an answer by at most one turn.
 */
let outgoing: { response: ServerResponse; text: string }[] = [];
function flushOutgoing(): void {
  const batch = outgoing;
  outgoing = [];
  for (const { response, text } of batch) {
    try {
      response.end(text);
    } catch {
      response.destroy(); // this caller's connection only; the rest of the batch is still answered
    }
  }
}
