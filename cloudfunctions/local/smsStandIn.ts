// A local stand-in for Tencent Cloud SMS (API 3.0, SendSms 2021-01-11) on 127.0.0.1, for `npm start` and tests.
/*
 * POST /  with the headers and body the real service takes (see shared/sms/tencentSms.ts). The TC3 signature
 * is checked over the exact body bytes with the Host and Content-Type that arrived; errors answer 200 with
 * {Response: {Error: {Code, Message}, RequestId}} as Tencent does (AuthFailure.SignatureFailure,
 * AuthFailure.SignatureExpire, AuthFailure.SecretIdNotFound, InvalidParameter*, InternalError).
 * Sent messages are kept in memory only (never written), newest last; a developer reads the codes on the
 * local host's /dev/sms, tests through `messages()`. `setMode('fail')` answers InternalError to every send.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { z } from 'zod';
import { systemClock, type Clock } from '../shared/clock';
import { listen, parseJson, readBody } from '../shared/http/httpHelpers';
import { SMS_ACTION, SMS_SERVICE, SMS_VERSION } from '../shared/sms/tencentSms';
import { parseTc3Authorization, tc3Date, tc3Signature, tc3SignaturesMatch } from '../shared/sms/tc3';

export interface SentSms {
  /** 11 digits, without +86. */
  phone: string;
  code: string;
  minutes: string;
  templateId: string;
  sentAt: Date;
}

export interface SmsStandIn {
  url: string;
  /** SMS_* settings that point the production adapter at this stand-in. */
  env: Record<string, string>;
  messages(): SentSms[];
  /** The newest code sent to this phone, if any. */
  lastCodeFor(phone: string): string | undefined;
  setMode(mode: 'normal' | 'fail'): void;
  close(): Promise<void>;
}

export interface SmsStandInOptions {
  port?: number;
  secretId?: string;
  secretKey?: string;
  sdkAppId?: string;
  signName?: string;
  templateId?: string;
  /** Real time for the signature's timestamp check, fixed in tests of a known request. */
  now?: () => Date;
  /** Business time stamped on sent messages (the host's clock locally). */
  clock?: Clock;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_CLOCK_SKEW_S = 300;
const KEPT_MESSAGES = 200;

const zSendSms = z.object({
  PhoneNumberSet: z.array(z.string().regex(/^\+861[3-9]\d{9}$/)).min(1).max(200),
  SmsSdkAppId: z.string(),
  SignName: z.string(),
  TemplateId: z.string(),
  TemplateParamSet: z.array(z.string()).max(10).default([]),
  SessionContext: z.string().optional(),
  ExtendCode: z.string().optional(),
  SenderId: z.string().optional(),
});

export async function startSmsStandIn(options: SmsStandInOptions = {}): Promise<SmsStandIn> {
  const secretId = options.secretId ?? `AKIDlocal${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const secretKey = options.secretKey ?? randomUUID().replace(/-/g, '');
  const sdkAppId = options.sdkAppId ?? '1400000000';
  const signName = options.signName ?? '医约';
  const templateId = options.templateId ?? '100001';
  const now = options.now ?? (() => new Date());
  const clock = options.clock ?? systemClock;
  const sent: SentSms[] = [];
  let mode: 'normal' | 'fail' = 'normal';

  const answer = (res: http.ServerResponse, response: Record<string, unknown>) => {
    const text = JSON.stringify({ Response: { ...response, RequestId: randomUUID() } });
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const fail = (res: http.ServerResponse, code: string, message: string) => answer(res, { Error: { Code: code, Message: message } });

  /** The signature and common parameters; a sentence naming the problem, or null when the request is genuine. */
  function checkRequest(req: http.IncomingMessage, body: string): [string, string] | null {
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    if (header('x-tc-action') !== SMS_ACTION) return ['InvalidAction', 'The action requested is invalid.'];
    if (header('x-tc-version') !== SMS_VERSION) return ['NoSuchVersion', 'The API version is invalid.'];
    if (!header('x-tc-region')) return ['MissingParameter', 'X-TC-Region is required.'];
    const timestamp = Number(header('x-tc-timestamp'));
    if (!Number.isInteger(timestamp)) return ['MissingParameter', 'X-TC-Timestamp is required.'];
    if (Math.abs(now().getTime() / 1000 - timestamp) > MAX_CLOCK_SKEW_S) return ['AuthFailure.SignatureExpire', 'Signature expired.'];
    const auth = parseTc3Authorization(header('authorization') ?? '');
    if (!auth) return ['AuthFailure.InvalidAuthorization', 'Authorization is malformed.'];
    if (auth.secretId !== secretId) return ['AuthFailure.SecretIdNotFound', 'The SecretId is not found.'];
    if (auth.service !== SMS_SERVICE || auth.date !== tc3Date(timestamp) || auth.signedHeaders !== 'content-type;host') {
      return ['AuthFailure.SignatureFailure', 'The provided credentials could not be validated.'];
    }
    const expected = tc3Signature({ secretKey, service: SMS_SERVICE, host: header('host') ?? '', contentType: header('content-type') ?? '', timestamp, payload: body });
    if (!tc3SignaturesMatch(expected, auth.signature)) return ['AuthFailure.SignatureFailure', 'The provided credentials could not be validated.'];
    return null;
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req, MAX_BODY_BYTES);
      if (req.method !== 'POST' || new URL(req.url ?? '/', 'http://local').pathname !== '/') return fail(res, 'UnsupportedProtocol', 'Only POST / is served.');
      if (body === undefined) return fail(res, 'RequestSizeLimitExceeded', 'The request body is too large.');
      const problem = checkRequest(req, body);
      if (problem) return fail(res, ...problem);
      const parsed = zSendSms.safeParse(parseJson(body));
      if (!parsed.success) return fail(res, 'InvalidParameter', 'The request body does not match SendSms.');
      const request = parsed.data;
      if (request.SmsSdkAppId !== sdkAppId) return fail(res, 'FailedOperation.SmsSdkAppIdVerifyFail', 'SmsSdkAppId does not belong to this account.');
      if (request.SignName !== signName) return fail(res, 'FailedOperation.SignatureIncorrectOrUnapproved', 'The signature is not approved.');
      if (request.TemplateId !== templateId) return fail(res, 'FailedOperation.TemplateIncorrectOrUnapproved', 'The template is not approved.');
      if (mode === 'fail') return fail(res, 'InternalError.Timeout', 'The request timed out.');
      const sendStatusSet = request.PhoneNumberSet.map((number) => {
        sent.push({ phone: number.slice(3), code: request.TemplateParamSet[0] ?? '', minutes: request.TemplateParamSet[1] ?? '', templateId: request.TemplateId, sentAt: clock.now() });
        return { SerialNo: randomUUID(), PhoneNumber: number, Fee: 1, SessionContext: request.SessionContext ?? '', Code: 'Ok', Message: 'send success', IsoCode: 'CN' };
      });
      sent.splice(0, Math.max(0, sent.length - KEPT_MESSAGES));
      return answer(res, { SendStatusSet: sendStatusSet });
    })().catch(() => {
      if (!res.headersSent) fail(res, 'InternalError', 'Unexpected error.');
    });
  });
  const url = await listen(server, options.port ?? 0, '127.0.0.1', 'SMS stand-in');

  return {
    url,
    env: { SMS_SECRET_ID: secretId, SMS_SECRET_KEY: secretKey, SMS_SDK_APP_ID: sdkAppId, SMS_SIGN_NAME: signName, SMS_TEMPLATE_ID: templateId, SMS_REGION: 'ap-guangzhou', SMS_ENDPOINT: `${url}/` },
    messages: () => sent.map((message) => ({ ...message })),
    lastCodeFor: (phone) => [...sent].reverse().find((message) => message.phone === phone)?.code,
    setMode: (next) => {
      mode = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
