// WeChat's phone-number check over HTTPS (for servers outside WeChat cloud, and locally against the stand-in):
// POST /wxa/business/getuserphonenumber?access_token= through the shared token code (wxApiCaller.ts).
/*
 *   POST {origin}/wxa/business/getuserphonenumber?access_token=TOKEN  {code}
 *     -> {errcode: 0, errmsg: "ok", phone_info: {phoneNumber, purePhoneNumber, countryCode, watermark: {timestamp, appid}}}
 *     -> {errcode, errmsg}   40029: bad code, -1: busy (an expired token is fetched again once by the caller)
 */
import { z } from 'zod';
import { ConfigError, emptyToUndefined } from '../config';
import { createWxApiCaller, WxApiUnreachable, type WxApiCaller } from './wxApiCaller';
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

export function createHttpWxPhoneClient(config: WxApiConfig, options: { fetch?: typeof fetch; now?: () => number; caller?: WxApiCaller } = {}): WxPhoneClient {
  const api = options.caller ?? createWxApiCaller(config, options);
  return {
    async getPhoneNumber(code): Promise<WxPhoneNumber> {
      let answer: unknown;
      try {
        answer = await api.call('/wxa/business/getuserphonenumber', { code });
      } catch (error) {
        if (error instanceof WxApiUnreachable) throw new WxPhoneError('unavailable', error.message, { cause: error });
        throw error;
      }
      const phone = zPhone.safeParse(answer);
      if (phone.success) {
        const info = phone.data.phone_info;
        if (info.watermark.appid !== config.appid) throw new WxPhoneError('unavailable', 'getPhoneNumber answered for another appid');
        return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode };
      }
      const failure = zError.safeParse(answer);
      if (!failure.success) throw new WxPhoneError('unavailable', 'getPhoneNumber answered with something unreadable');
      throw wxPhoneErrorFor(failure.data.errcode, failure.data.errmsg);
    },
  };
}
