// The app's only door to the backend: cloud functions on weapp, the local host over HTTP on h5.
import Taro from '@tarojs/taro'
import { getDevOpenid } from './devIdentity'

export const NETWORK_ERROR_MESSAGE = '网络不太稳定，请稍后再试'
const UNKNOWN_ERROR_MESSAGE = '出了点小问题，请稍后再试'
const API_BASE = process.env.TARO_APP_API_BASE || '/api'
const DEV_BASE = process.env.TARO_APP_DEV_BASE || ''
const REQUEST_TIMEOUT_MS = 15000

/** One bad field of an INVALID_PARAMS answer: `path` names the field, `message` is for the user. */
export interface ApiFieldError {
  path: string
  message: string
  code?: string
}

/** A failure the user should read: `message` is Chinese and says what to do. */
export class ApiError extends Error {
  readonly code: string
  readonly requestId?: string
  /** Set on INVALID_PARAMS, so a form can show each sentence next to its field. */
  readonly fields?: ApiFieldError[]

  constructor(code: string, message: string, requestId?: string, fields?: ApiFieldError[]) {
    super(message)
    // Babel's ES5 output breaks `instanceof` on Error subclasses in some runtimes.
    Object.setPrototypeOf(this, ApiError.prototype)
    this.name = 'ApiError'
    this.code = code
    this.requestId = requestId
    this.fields = fields
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError || (error instanceof Error && error.name === 'ApiError')
}

type Envelope =
  | { ok: true; data: unknown }
  | { ok: false; code: string; message?: string; requestId?: string; fields?: ApiFieldError[] }

function isEnvelope(body: unknown): body is Envelope {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false
  return (body as Envelope).ok === true || typeof (body as { code?: unknown }).code === 'string'
}

function unwrap<T>(body: unknown): T {
  // Without an envelope the answer came from a proxy or gateway, not from our functions.
  if (!isEnvelope(body)) throw new ApiError('NETWORK_ERROR', NETWORK_ERROR_MESSAGE)
  if (body.ok) return body.data as T
  const fields = Array.isArray(body.fields) ? body.fields : undefined
  throw new ApiError(body.code, body.message || UNKNOWN_ERROR_MESSAGE, body.requestId, fields)
}

let cloudReady = false

/** Initialises WeChat cloud once; app launch calls it, and every call makes sure of it. */
export function initBackend(): void {
  if (process.env.TARO_ENV !== 'weapp' || cloudReady) return
  const env = process.env.TARO_APP_CLOUD_ENV
  Taro.cloud.init(env ? { env, traceUser: true } : { traceUser: true })
  cloudReady = true
}

async function send(request: () => Promise<unknown>): Promise<unknown> {
  try {
    return await request()
  } catch {
    throw new ApiError('NETWORK_ERROR', NETWORK_ERROR_MESSAGE)
  }
}

async function httpJson(url: string, method: 'GET' | 'POST', data?: object): Promise<unknown> {
  const openid = getDevOpenid()
  const header: Record<string, string> = { 'content-type': 'application/json' }
  if (openid) header['x-dev-openid'] = openid
  const res = await send(() => Taro.request({ url, method, data, header, timeout: REQUEST_TIMEOUT_MS }))
  return (res as { data?: unknown }).data
}

/** Calls `action` on cloud function `name`; resolves with `data` or throws an ApiError. */
export async function callFunction<T>(name: string, action: string, params: object = {}): Promise<T> {
  const payload = { ...params, action }
  if (process.env.TARO_ENV === 'h5') {
    return unwrap<T>(await httpJson(`${API_BASE}/${name}`, 'POST', payload))
  }
  initBackend()
  const res = await send(() => Taro.cloud.callFunction({ name, data: payload }))
  return unwrap<T>((res as { result?: unknown }).result)
}

export interface DevIdentity {
  openid: string
  name: string
  role: string
  description: string
}

/** Demo identities offered by the local host; H5 only. */
export async function fetchDevIdentities(): Promise<DevIdentity[]> {
  if (process.env.TARO_ENV !== 'h5') return []
  return unwrap<DevIdentity[]>(await httpJson(`${DEV_BASE}/dev/identities`, 'GET'))
}

/** A local host route of the H5 sandbox (e.g. the 模拟支付 cashier's `/dev/wxpay/pay`); the production host refuses them. */
export async function callDevRoute<T>(path: string, body: object): Promise<T> {
  if (process.env.TARO_ENV !== 'h5') throw new ApiError('NOT_FOUND', '这个功能只在本地测试版里有。')
  return unwrap<T>(await httpJson(`${DEV_BASE}${path}`, 'POST', body))
}
