// Who is calling and through what, read from the platform context the way WeChat cloud functions receive it.

export interface WxIdentity {
  openid: string;
  appid: string;
  unionid?: string;
  /** The caller's address as the platform saw it (CLIENTIP); used for per-address rate limits only. */
  clientIp?: string;
}

/** One caller's account key, `<appid>/<openid>`: the identity link's id, and what rate limits and scripting signs count. */
export const identityKey = (identity: Pick<WxIdentity, 'appid' | 'openid'>) => `${identity.appid}/${identity.openid}`;

/**
 * One invocation as the platform describes it: the caller's identity (null for timer triggers and HTTP
 * access) and SOURCE, what triggered the run: `wx_client` (the mini program), `wx_trigger` (a timer
 * trigger), `wx_http`, `wx_devtools`, `scf`, ... comma-joined along a chain of calls.
 * @see https://developers.weixin.qq.com/miniprogram/dev/wxcloud/reference-sdk-api/utils/Cloud.getWXContext.html
 */
export interface PlatformCall {
  identity: WxIdentity | null;
  source?: string;
}

/** What the platform sets for a timer trigger's run. */
export const TIMER_SOURCE = 'wx_trigger';
/** What the platform sets for a call from the mini program; the local host marks every /api call with it. */
export const CLIENT_SOURCE = 'wx_client';

// wx-server-sdk never reports these (they are the platform's own credentials).
const HIDDEN_KEYS = new Set(['API_TOKEN', 'TRIGGER_API_TOKEN_V0', 'WX_API_TOKEN', 'WX_TRIGGER_API_TOKEN_V0']);

/**
 * Reads the invocation's context from the variables wx-server-sdk's `getWXContext()` reads (WX_CONTEXT_KEYS,
 * the WX_* values it lists, TCB_SOURCE), but keeps every value a string: getWXContext turns all-digit values
 * into numbers, so the openids `0123` and `123` would become one caller. SOURCE is read even when the
 * call carries no WX_CONTEXT_KEYS (getWXContext drops it then), so a timer run can be told from others.
 * Must be called synchronously at the start of an invocation: the local host sets these variables only for
 * the synchronous part of the call, exactly as one cloud instance serves one call at a time.
 */
export function readPlatformCall(env: Record<string, string | undefined> = process.env): PlatformCall {
  const values: Record<string, string> = {};
  for (const key of (env.WX_CONTEXT_KEYS ?? '').split(',')) {
    const value = key && !HIDDEN_KEYS.has(key) ? env[key] : undefined;
    if (value !== undefined) values[key.startsWith('WX_') && key.length > 3 ? key.slice(3) : key] = value;
  }
  const source = env.TCB_SOURCE || undefined;
  const openid = values.OPENID ?? '';
  if (!openid) return { identity: null, ...(source ? { source } : {}) };
  const identity: WxIdentity = {
    openid,
    appid: values.APPID ?? '',
    ...(values.UNIONID ? { unionid: values.UNIONID } : {}),
    ...(values.CLIENTIP ? { clientIp: values.CLIENTIP } : {}),
  };
  return { identity, ...(source ? { source } : {}) };
}

const CONTEXT_KEYS = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP'] as const;

/**
 * Runs `call` with the WX_* and TCB_SOURCE variables set as the cloud sets them for one invocation, and
 * clears them before returning, so nothing leaks into the next call. Used by the local host and tests only.
 */
export function withPlatformCall<T>(platform: PlatformCall, call: () => T): T {
  const { identity, source } = platform;
  if (source) process.env.TCB_SOURCE = source;
  if (identity) {
    process.env.WX_CONTEXT_KEYS = CONTEXT_KEYS.join(',');
    process.env.WX_OPENID = identity.openid;
    process.env.WX_APPID = identity.appid;
    if (identity.unionid) process.env.WX_UNIONID = identity.unionid;
    if (identity.clientIp) process.env.WX_CLIENTIP = identity.clientIp;
  }
  try {
    return call();
  } finally {
    delete process.env.TCB_SOURCE;
    delete process.env.WX_CONTEXT_KEYS;
    for (const key of CONTEXT_KEYS) delete process.env[key];
  }
}

/** A call from the mini program by this caller (no identity: a platform call with no SOURCE). */
export function withPlatformIdentity<T>(identity: WxIdentity | null, call: () => T): T {
  return withPlatformCall(identity ? { identity, source: CLIENT_SOURCE } : { identity: null }, call);
}
