// WeChat's phone-number check over HTTPS (for servers outside WeChat cloud, and locally against the stand-in):
// a stable access token from /cgi-bin/stable_token, then POST /wxa/business/getuserphonenumber?access_token=.
/*
 *   POST {origin}/cgi-bin/stable_token  {grant_type: "client_credential", appid, secret}
 *     -> {access_token, expires_in} | {errcode, errmsg}
 *   POST {origin}/wxa/business/getuserphonenumber?access_token=TOKEN  {code}
 *     -> {errcode: 0, errmsg: "ok", phone_info: {phoneNumber, purePhoneNumber, countryCode, watermark: {timestamp, appid}}}
 *     -> {errcode, errmsg}   40001/42001: token invalid or expired (fetched again once), 40029: bad code, -1: busy
 * The stable token is used rather than /cgi-bin/token because fetching a plain token invalidates the one every
 * other server of the same app holds.
 */
import { z } from 'zod';
import { ConfigError, emptyToUndefined } from '../config';
import { parseJson } from '../http/httpHelpers';
import { WxPhoneError, wxPhoneErrorFor, type WxPhoneClient, type WxPhoneNumber } from './wxPhone';

export interface WxApiConfig {
  appid: string;
  secret: string;
  origin: string;
  timeoutMs: number;
}

const wxApiSchema = z.object({
  WX_APPID: z.string().regex(/^wx[0-9a-f]{16}$|^[A-Za-z0-9_-]{4,32}$/, 'must be the mini program appid (wx + 16 hex)'),
  WX_APPSECRET: z.string().min(16, 'must be the mini program AppSecret'),
  WX_API_ORIGIN: z.url({ protocol: /^https?$/, error: 'must be an http(s) origin such as https://api.weixin.qq.com' }).default('https://api.weixin.qq.com'),
});

/** WX_APPID + WX_APPSECRET (+ WX_API_ORIGIN); null when neither is set, a ConfigError when one is missing. */
export function parseWxApiConfig(env: Record<string, string | undefined>): WxApiConfig | null {
  const clean = emptyToUndefined(env);
  if (clean.WX_APPID === undefined && clean.WX_APPSECRET === undefined) return null;
  const parsed = wxApiSchema.safeParse(clean);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0] ?? '');
    const missing = clean[key] === undefined;
    throw new ConfigError(`Invalid configuration: ${key} ${missing ? 'is required' : issue.message}${missing || key === 'WX_APPSECRET' ? '' : ` (got "${env[key]}")`}`);
  }
  return { appid: parsed.data.WX_APPID, secret: parsed.data.WX_APPSECRET, origin: parsed.data.WX_API_ORIGIN.replace(/\/+$/, ''), timeoutMs: 5000 };
}

const zToken = z.object({ access_token: z.string().min(1), expires_in: z.number().int().positive() });
const zError = z.object({ errcode: z.number().int(), errmsg: z.string().optional() });
const zPhone = z.object({
  errcode: z.literal(0),
  phone_info: z.object({
    phoneNumber: z.string(),
    purePhoneNumber: z.string(),
    countryCode: z.union([z.string(), z.number()]).transform(String),
    watermark: z.object({ timestamp: z.number(), appid: z.string() }),
  }),
});

const TOKEN_EXPIRED = new Set([40001, 42001, 40014]);

export function createHttpWxPhoneClient(config: WxApiConfig, options: { fetch?: typeof fetch; now?: () => number } = {}): WxPhoneClient {
  const fetchImpl = options.fetch ?? fetch;
  // The access token's lifetime is WeChat's real time, not business time.
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
      throw new WxPhoneError('unavailable', `WeChat API could not be reached (${path.split('?')[0]})`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async function accessToken(): Promise<string> {
    if (token && token.until > now()) return token.value;
    const answer = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: config.appid, secret: config.secret });
    const parsed = zToken.safeParse(answer);
    if (!parsed.success) {
      const failure = zError.safeParse(answer);
      throw new WxPhoneError('unavailable', `stable_token failed: ${failure.success ? failure.data.errcode : 'unreadable answer'}`);
    }
    // Renewed five minutes early, so a token never expires between our check and WeChat's.
    token = { value: parsed.data.access_token, until: now() + (parsed.data.expires_in - 300) * 1000 };
    return token.value;
  }

  return {
    async getPhoneNumber(code): Promise<WxPhoneNumber> {
      for (let attempt = 1; ; attempt += 1) {
        const answer = await post(`/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(await accessToken())}`, { code });
        const phone = zPhone.safeParse(answer);
        if (phone.success) {
          const info = phone.data.phone_info;
          if (info.watermark.appid !== config.appid) throw new WxPhoneError('unavailable', 'getPhoneNumber answered for another appid');
          return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode };
        }
        const failure = zError.safeParse(answer);
        if (!failure.success) throw new WxPhoneError('unavailable', 'getPhoneNumber answered with something unreadable');
        if (TOKEN_EXPIRED.has(failure.data.errcode) && attempt === 1) {
          token = undefined;
          continue;
        }
        throw wxPhoneErrorFor(failure.data.errcode, failure.data.errmsg);
      }
    },
  };
}
