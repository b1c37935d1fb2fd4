// The caller's identity, read from the platform context the way WeChat cloud functions receive it.
import { getWXContext } from 'wx-server-sdk';

export interface WxIdentity {
  openid: string;
  appid: string;
  unionid?: string;
  /** The caller's address as the platform saw it (CLIENTIP); used for per-address rate limits only. */
  clientIp?: string;
}

/**
 * Reads OPENID/APPID/UNIONID from `cloud.getWXContext()`, which takes them from the invocation's
 * environment (WX_CONTEXT_KEYS and WX_*). Returns null for timer and other platform-initiated calls.
 * Must be called synchronously at the start of an invocation: the local host sets these variables
 * only for the synchronous part of the call, exactly as one cloud instance serves one call at a time.
 * @see https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-server-api/utils/getWXContext.html
 */
export function readIdentity(): WxIdentity | null {
  const context = getWXContext() as Record<string, unknown>;
  // getWXContext turns all-digit values into numbers; identifiers are always strings here.
  const openid = context.OPENID === undefined ? '' : String(context.OPENID);
  if (!openid) return null;
  const unionid = context.UNIONID === undefined ? '' : String(context.UNIONID);
  const clientIp = context.CLIENTIP === undefined ? '' : String(context.CLIENTIP);
  return { openid, appid: String(context.APPID ?? ''), ...(unionid ? { unionid } : {}), ...(clientIp ? { clientIp } : {}) };
}

const CONTEXT_KEYS = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP'] as const;

/**
 * Runs `call` with the WX_* variables set as the cloud sets them for one invocation, and clears
 * them before returning, so nothing leaks into the next call. Used by the local host only.
 */
export function withPlatformIdentity<T>(identity: WxIdentity | null, call: () => T): T {
  if (!identity) return call();
  process.env.WX_CONTEXT_KEYS = CONTEXT_KEYS.join(',');
  process.env.WX_OPENID = identity.openid;
  process.env.WX_APPID = identity.appid;
  if (identity.unionid) process.env.WX_UNIONID = identity.unionid;
  if (identity.clientIp) process.env.WX_CLIENTIP = identity.clientIp;
  try {
    return call();
  } finally {
    delete process.env.WX_CONTEXT_KEYS;
    for (const key of CONTEXT_KEYS) delete process.env[key];
  }
}
