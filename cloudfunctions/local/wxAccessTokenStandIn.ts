// WeChat's server credential as the local stand-ins speak it: POST /cgi-bin/stable_token hands out an access
// token for the app's appid and secret, and every API call carries it as ?access_token=.
//   wrong grant_type or appid -> {errcode: 40013}; wrong secret -> {errcode: 40125}; unknown or expired token -> {errcode: 40001}
import { randomBytes } from 'node:crypto';
import type http from 'node:http';

// The token's lifetime is WeChat's own real-time budget (the client's token cache counts the same way), not business time.
const TOKEN_TTL_S = 7200;

export interface WxAnswer {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

export interface WxAccessTokens {
  appid: string;
  secret: string;
  /** The answer to POST /cgi-bin/stable_token with this body. */
  issue(body: Record<string, unknown> | undefined): WxAnswer;
  /** WeChat's 40001 answer when the call's ?access_token= is unknown or expired; undefined when it may go on. */
  refusal(url: URL): WxAnswer | undefined;
}

export function createWxAccessTokens(appid = `wx${randomBytes(8).toString('hex')}`): WxAccessTokens {
  const secret = randomBytes(16).toString('hex');
  const tokens = new Map<string, number>();
  return {
    appid,
    secret,
    issue(body) {
      if (body?.grant_type !== 'client_credential' || body.appid !== appid) return { errcode: 40013, errmsg: 'invalid appid' };
      if (body.secret !== secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, Date.now() + TOKEN_TTL_S * 1000);
      return { access_token: token, expires_in: TOKEN_TTL_S };
    },
    refusal(url) {
      const until = tokens.get(url.searchParams.get('access_token') ?? '');
      if (!until || until < Date.now()) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
      return undefined;
    },
  };
}

/** WeChat answers every API call with HTTP 200 and a JSON body, errors included. */
export function sendWxJson(res: http.ServerResponse, body: unknown): void {
  if (res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
