// WeChat's server API over HTTPS (for servers outside WeChat cloud, and locally against the stand-ins):
// a stable access token from /cgi-bin/stable_token, then POST {path}?access_token=TOKEN. Shared by the
// phone-number check and subscription messages, so an app keeps one token per process.
/*
 *   POST {origin}/cgi-bin/stable_token  {grant_type: "client_credential", appid, secret}
 *     -> {access_token, expires_in} | {errcode, errmsg}
 *   POST {origin}{path}?access_token=TOKEN  {...}  -> {errcode: 0, ...} | {errcode, errmsg}
 *     40001/42001/40014: token invalid or expired (fetched again once)
 * The stable token is used rather than /cgi-bin/token because fetching a plain token invalidates the one every
 * other server of the same app holds.
 */
import { z } from 'zod';
import { parseJson } from '../http/httpHelpers';
import type { WxApiConfig } from './httpWxPhone';

/** WeChat could not be reached, answered unreadably, or refused our credentials: nobody's fault but ours or the network's. */
export class WxApiUnreachable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WxApiUnreachable';
  }
}

export interface WxApiCaller {
  /** The parsed JSON answer of POST {path}?access_token=, after one token refresh if WeChat said the token expired. */
  call(path: string, body: unknown): Promise<unknown>;
}

const zToken = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const zErrcode = z.object({ errcode: z.number().int() });
const TOKEN_EXPIRED = new Set([40001, 42001, 40014]);

export function createWxApiCaller(config: WxApiConfig, options: { fetch?: typeof fetch; now?: () => number } = {}): WxApiCaller {
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let token: { value: string; until: number } | undefined;

  async function post(path: string, body: unknown): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), config.timeoutMs);
    try {
      const response = await fetchImpl(`${config.origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      return parseJson(await response.text());
    } catch (error) {
      throw new WxApiUnreachable(`WeChat API could not be reached (${path.split('?')[0]})`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async function accessToken(): Promise<string> {
    if (token && token.until > now()) return token.value;
    const answer = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: config.appid, secret: config.secret });
    const parsed = zToken.safeParse(answer);
    if (!parsed.success) {
      const failure = zErrcode.safeParse(answer);
      throw new WxApiUnreachable(`stable_token failed: ${failure.success ? failure.data.errcode : 'unreadable answer'}`);
    }
    // Renewed five minutes early, so a token never expires between our check and WeChat's.
    token = { value: parsed.data.access_token, until: now() + (parsed.data.expires_in - 300) * 1000 };
    return token.value;
  }

  return {
    async call(path, body) {
      for (let attempt = 1; ; attempt += 1) {
        const answer = await post(`${path}?access_token=${encodeURIComponent(await accessToken())}`, body);
        const failure = zErrcode.safeParse(answer);
        if (failure.success && TOKEN_EXPIRED.has(failure.data.errcode) && attempt === 1) {
          token = undefined;
          continue;
        }
        return answer;
      }
    },
  };
}
