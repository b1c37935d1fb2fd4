// A local stand-in for WeChat's subscription messages over HTTPS, enforcing WeChat's rules, for `npm start` and tests.
/*
 *   POST /cgi-bin/stable_token {grant_type: "client_credential", appid, secret} -> {access_token, expires_in: 7200}
 *   POST /cgi-bin/message/subscribe/send?access_token=  {touser, template_id, page, data, miniprogram_state, lang}
 *        -> {errcode: 0, errmsg: "ok"}
 *        40001 unknown token; 40003 bad openid; 40037 unknown template; 47003 a value that breaks its key's type
 *        (errmsg names the key); 41030 a page that is not in the app (src/app.config.ts); 43101 no quota
 *        (one-time: one message per accepted prompt; long-term: until rejected or banned).
 * Control (unsigned, this machine only):
 *   POST /__control/consent {openid, templateId, result: accept|reject|ban|filter}  what the person chose in the prompt
 *   POST /__control/failures {next: [-1, 45009, "timeout"], delayMs?}  the next sends fail so (a number: that errcode;
 *        "timeout": no answer at all); delayMs holds every send that long before deciding
 *   GET  /__control/delivered  -> [{touser, templateId, page, data, at}] oldest first
 * Like WeChat, a send that arrived is delivered even if its caller died waiting for the answer: the outbox then
 * sends it again after its lease ends (the one double-send window, docs/API.md "`message`").
 */
import { systemClock, type Clock } from '../shared/clock';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { z } from 'zod';
import { listen, parseJson, readBody } from '../shared/http/httpHelpers';
import { localControlRefusal } from '../shared/http/localControl';
import { createWxAccessTokens, sendWxJson as send } from './wxAccessTokenStandIn';
import type { ConsentResult } from '../shared/messages/messageSender';
import { keyType, type TemplateTable, type ValueType } from '../shared/messages/templates';

export interface Delivery {
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, { value: string }>;
  at: Date;
}

export interface MessageStandIn {
  url: string;
  /** WX_* settings pointing the HTTPS adapter at this stand-in. */
  env: { WX_APPID: string; WX_APPSECRET: string; WX_API_ORIGIN: string };
  consent(openid: string, templateId: string, result: ConsentResult): void;
  /** The next sends fail in order: an errcode, or 'timeout' (no answer). */
  failNext(failures: (number | 'timeout')[]): void;
  setDelayMs(ms: number): void;
  deliveries(): Delivery[];
  close(): Promise<void>;
}

interface RegisteredTemplate {
  kind: 'once' | 'long';
  keys: Record<string, ValueType>;
}

const ROOT = path.resolve(__dirname, '../..');

/** The pages of the mini program: the main package's and each subpackage's under its root (src/app.config.ts). */
export function appPages(configFile = path.join(ROOT, 'src/app.config.ts')): Set<string> {
  const text = readFileSync(configFile, 'utf8');
  const [main, sub = ''] = text.split('subPackages');
  const pages = new Set([...main.matchAll(/'(pages\/[^']+)'/g)].map((match) => match[1]));
  for (const block of sub.split(/root:\s*/).slice(1)) {
    const root = /^'([^']+)'/.exec(block)?.[1];
    if (root) for (const match of block.matchAll(/'(pages\/[^']+)'/g)) pages.add(`${root}/${match[1]}`);
  }
  return pages;
}

const HAN = /^\p{Script=Han}+$/u;
const length = (value: string) => [...value].length;

/** Why a value breaks its type's rule (WeChat's 47003), or undefined when it is fine. */
export function valueProblem(type: ValueType, value: string): string | undefined {
  if (value === '') return 'is empty';
  if (/[\r\n]/.test(value)) return 'has a line break';
  const tooLong = (max: number) => (length(value) > max ? `is longer than ${max}` : undefined);
  switch (type) {
    case 'thing':
      return tooLong(20);
    case 'character_string':
      return /^[\x21-\x7e]{1,32}$/.test(value) ? undefined : 'must be up to 32 letters, digits or symbols';
    case 'number':
      return /^\d+(\.\d+)?$/.test(value) ? tooLong(32) : 'must be a number';
    case 'letter':
      return /^[A-Za-z]{1,32}$/.test(value) ? undefined : 'must be up to 32 letters';
    case 'symbol':
      return tooLong(5);
    case 'phrase':
      return HAN.test(value) && length(value) <= 5 ? undefined : 'must be up to 5 Chinese characters';
    case 'name':
      return (HAN.test(value) && length(value) <= 10) || /^[A-Za-z ]{1,20}$/.test(value) ? undefined : 'must be up to 10 Chinese characters or 20 letters';
    case 'time':
      return /^(\d{4}年\d{1,2}月\d{1,2}日 |\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}(~(\d{4}年\d{1,2}月\d{1,2}日 |\d{4}-\d{2}-\d{2} )?\d{2}:\d{2})?$/.test(value) &&
        [...value.matchAll(/(\d{2}):(\d{2})/g)].every((match) => Number(match[1]) < 24 && Number(match[2]) < 60)
        ? undefined
        : 'must be a 24-hour time (ranges joined with ~)';
    case 'date':
      return /^(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2})(~(\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{2}-\d{2}))?$/.test(value) ? undefined : 'must be a date';
    case 'amount':
      return /^[¥￥$]?\d{1,10}(\.\d{1,2})?元?$/.test(value) && !/^[¥￥$].*元$/.test(value) ? undefined : 'must be one currency symbol and at most 10 digits (may end in 元)';
    case 'phone_number':
      return /^[\d+-]{1,17}$/.test(value) ? undefined : 'must be a phone number of at most 17 characters';
    case 'car_number':
      return tooLong(8);
  }
}

const zSend = z.object({
  touser: z.string(),
  template_id: z.string(),
  page: z.string().optional(),
  data: z.record(z.string(), z.object({ value: z.string() })),
  miniprogram_state: z.enum(['developer', 'trial', 'formal']).optional(),
  lang: z.enum(['zh_CN', 'en_US', 'zh_HK', 'zh_TW']).optional(),
});
const zConsent = z.object({ openid: z.string().min(1).max(64), templateId: z.string().min(1).max(64), result: z.enum(['accept', 'reject', 'ban', 'filter']) });
const zFailures = z.object({ next: z.array(z.union([z.number().int(), z.literal('timeout')])).max(100).default([]), delayMs: z.number().int().min(0).max(60_000).optional() });

export async function startMessageStandIn(options: {
  templates: TemplateTable;
  port?: number;
  pagesFile?: string;
  /** When a message was delivered, in business time (the host's /dev/clock moves it); the token's lifetime stays real time. */
  clock?: Clock;
}): Promise<MessageStandIn> {
  const clock = options.clock ?? systemClock;
  const credential = createWxAccessTokens();
  const pages = appPages(options.pagesFile);
  const registry = new Map<string, RegisteredTemplate>();
  for (const template of Object.values(options.templates)) {
    const keys = Object.fromEntries(Object.keys(template.keys).map((key) => [key, keyType(key) ?? 'thing']));
    registry.set(template.id, { kind: template.kind, keys: { ...registry.get(template.id)?.keys, ...keys } });
  }
  /** `${openid}/${templateId}` -> one-time messages left, or Infinity for an accepted long-term template. */
  const quota = new Map<string, number>();
  const delivered: Delivery[] = [];
  let failures: (number | 'timeout')[] = [];
  let delayMs = 0;

  function consent(openid: string, templateId: string, result: ConsentResult): void {
    const template = registry.get(templateId);
    if (!template) return;
    const key = `${openid}/${templateId}`;
    if (result === 'accept') quota.set(key, template.kind === 'long' ? Infinity : (quota.get(key) ?? 0) + 1);
    // 'filter' (the template was filtered out of the prompt) leaves things as they were; a rejection ends a long-term one.
    else if ((result === 'reject' || result === 'ban') && template.kind === 'long') quota.delete(key);
  }

  /** The answer to one send; records the delivery and spends the quota only when it is delivered. */
  function judge(request: z.infer<typeof zSend>): { errcode: number; errmsg: string } {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(request.touser)) return { errcode: 40003, errmsg: 'invalid openid' };
    const template = registry.get(request.template_id);
    if (!template) return { errcode: 40037, errmsg: 'invalid template_id' };
    if (request.page !== undefined && !pages.has(request.page.split('?')[0].replace(/^\//, ''))) return { errcode: 41030, errmsg: 'invalid page' };
    for (const [key, type] of Object.entries(template.keys)) {
      const value = request.data[key]?.value;
      const problem = value === undefined ? 'is missing' : valueProblem(type, value);
      if (problem) return { errcode: 47003, errmsg: `argument invalid! data.${key}.value ${problem}` };
    }
    const unknownKey = Object.keys(request.data).find((key) => !(key in template.keys));
    if (unknownKey) return { errcode: 47003, errmsg: `argument invalid! data.${unknownKey} is not in the template` };
    const key = `${request.touser}/${request.template_id}`;
    const left = quota.get(key) ?? 0;
    if (left <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
    return { errcode: 0, errmsg: 'ok' };
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const raw = await readBody(req, 64 * 1024);
      const body = parseJson(raw ?? '') as Record<string, unknown> | undefined;
      if (url.pathname.startsWith('/__control/')) {
        if (localControlRefusal(req)) return send(res, { errcode: 48001, errmsg: 'the control API answers callers on this machine only, never a web page' });
        if (url.pathname === '/__control/delivered' && req.method === 'GET') return send(res, delivered);
        if (url.pathname === '/__control/consent' && req.method === 'POST') {
          const parsed = zConsent.safeParse(body);
          if (!parsed.success) return send(res, { errcode: 47001, errmsg: 'openid, templateId and result are required' });
          consent(parsed.data.openid, parsed.data.templateId, parsed.data.result);
          return send(res, { errcode: 0, errmsg: 'ok' });
        }
        if (url.pathname === '/__control/failures' && req.method === 'POST') {
          const parsed = zFailures.safeParse(body);
          if (!parsed.success) return send(res, { errcode: 47001, errmsg: 'next must be a list of errcodes or "timeout"' });
          failures = [...parsed.data.next];
          if (parsed.data.delayMs !== undefined) delayMs = parsed.data.delayMs;
          return send(res, { errcode: 0, errmsg: 'ok' });
        }
        return send(res, { errcode: 404, errmsg: 'unknown control route' });
      }
      if (req.method !== 'POST') return send(res, { errcode: 43002, errmsg: 'require POST method' });
      if (url.pathname === '/cgi-bin/stable_token') return send(res, credential.issue(body));
      if (url.pathname !== '/cgi-bin/message/subscribe/send') return res.writeHead(404).end();
      const refusal = credential.refusal(url);
      if (refusal) return send(res, refusal);
      const parsed = zSend.safeParse(body);
      if (!parsed.success) return send(res, { errcode: 47001, errmsg: 'data format error' });
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      const failure = failures.shift();
      if (failure === 'timeout') return; // no answer: the caller's own timeout ends it, nothing is delivered
      if (failure !== undefined) return send(res, { errcode: failure, errmsg: failure === 45009 ? 'reach max api daily quota limit' : 'system error' });
      // Like WeChat, a request received is processed even if its caller has gone away meanwhile.
      const verdict = judge(parsed.data);
      if (verdict.errcode === 0) {
        const key = `${parsed.data.touser}/${parsed.data.template_id}`;
        quota.set(key, (quota.get(key) ?? 0) - 1);
        delivered.push({ touser: parsed.data.touser, templateId: parsed.data.template_id, page: parsed.data.page ?? '', data: parsed.data.data, at: clock.now() });
      }
      return send(res, verdict);
    })().catch(() => {
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
    });
  });
  const url = await listen(server, options.port ?? 0, '127.0.0.1', 'WeChat subscription-message stand-in');
  return {
    url,
    env: { WX_APPID: credential.appid, WX_APPSECRET: credential.secret, WX_API_ORIGIN: url },
    consent,
    failNext: (next) => {
      failures = [...next];
    },
    setDelayMs: (ms) => {
      delayMs = ms;
    },
    deliveries: () => delivered.map((delivery) => ({ ...delivery })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
