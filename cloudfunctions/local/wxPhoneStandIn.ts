// A local stand-in for WeChat's phone-number check over HTTPS (stable_token + getuserphonenumber), for `npm start` and tests.
/*
 *   POST /cgi-bin/stable_token {grant_type: "client_credential", appid, secret}   -> {access_token, expires_in: 7200}
 *        wrong appid/secret -> {errcode: 40013 | 40125, errmsg}
 *   POST /wxa/business/getuserphonenumber?access_token=  {code}
 *        -> {errcode: 0, errmsg: "ok", phone_info: {phoneNumber, purePhoneNumber, countryCode, watermark: {timestamp, appid}}}
 *        unknown token -> 40001; unknown, used or expired (5 minutes) code -> 40029
 * Control (unsigned, loopback only; also the `issueCode` method): POST /__control/code {phone} -> {code}
 * is what the getPhoneNumber button would hand the mini program for a person whose WeChat phone is `phone`.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { z } from 'zod';
import { listen, parseJson, readBody } from '../shared/http/httpHelpers';
import { localControlRefusal } from '../shared/http/localControl';
import { createWxAccessTokens, sendWxJson as send } from './wxAccessTokenStandIn';

export interface WxPhoneStandIn {
  url: string;
  /** WX_* settings pointing the HTTPS adapter at this stand-in. */
  env: { WX_APPID: string; WX_APPSECRET: string; WX_API_ORIGIN: string };
  /** A one-time button code for a person whose WeChat-verified phone is `phone` (11 digits). */
  issueCode(phone: string): string;
  close(): Promise<void>;
}

// The code's lifetime is WeChat's own real-time budget, not business time.
const CODE_TTL_MS = 5 * 60_000;
const zPhone = z.object({ phone: z.string().regex(/^1[3-9]\d{9}$/) });

export async function startWxPhoneStandIn(options: { port?: number; appid?: string } = {}): Promise<WxPhoneStandIn> {
  const credential = createWxAccessTokens(options.appid);
  const { appid } = credential;
  const codes = new Map<string, { phone: string; expiresAt: number }>();

  function issueCode(phone: string): string {
    const code = randomBytes(16).toString('hex');
    codes.set(code, { phone, expiresAt: Date.now() + CODE_TTL_MS });
    return code;
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const body = parseJson((await readBody(req, 16 * 1024)) ?? '') as Record<string, unknown> | undefined;
      if (req.method !== 'POST') return send(res, { errcode: 43002, errmsg: 'require POST method' });
      if (url.pathname === '/cgi-bin/stable_token') return send(res, credential.issue(body));
      if (url.pathname === '/wxa/business/getuserphonenumber') {
        const refusal = credential.refusal(url);
        if (refusal) return send(res, refusal);
        const code = typeof body?.code === 'string' ? body.code : '';
        const issued = codes.get(code);
        codes.delete(code);
        if (!issued || issued.expiresAt < Date.now()) return send(res, { errcode: 40029, errmsg: 'invalid code' });
        return send(res, {
          errcode: 0,
          errmsg: 'ok',
          phone_info: { phoneNumber: issued.phone, purePhoneNumber: issued.phone, countryCode: '86', watermark: { timestamp: Math.floor(Date.now() / 1000), appid } },
        });
      }
      if (url.pathname === '/__control/code') {
        if (localControlRefusal(req)) return send(res, { errcode: 48001, errmsg: 'the control API answers callers on this machine only, never a web page' });
        const parsed = zPhone.safeParse(body);
        if (!parsed.success) return send(res, { errcode: 47001, errmsg: 'phone must be 11 digits' });
        return send(res, { code: issueCode(parsed.data.phone) });
      }
      res.writeHead(404).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const url = await listen(server, options.port ?? 0, '127.0.0.1', 'WeChat phone stand-in');
  return {
    url,
    env: { WX_APPID: appid, WX_APPSECRET: credential.secret, WX_API_ORIGIN: url },
    issueCode,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
