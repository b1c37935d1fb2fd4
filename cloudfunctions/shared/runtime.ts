// One runtime per process: configuration, database, personal-data keys and the HIS link, opened once
// and reused by warm invocations.
import { hkdfSync } from 'node:crypto';
import type { Db } from 'mongodb';
import { ConfigError, parseServerConfig, type ServerConfig } from './config';
import { createPersonalDataCipher, type PersonalDataCipher } from './crypto/personalData';
import { loadPersonalDataKeys } from './crypto/personalDataKeys';
import { connectDb } from './db/connect';
import { ensureIndexesOnce } from './dbIndexes';
import { HisError, type HisClient } from './his/his';
import { createHttpHisClient, parseHisConfig } from './his/httpHisClient';
import { createLogger, describeError, type Logger } from './log';
import { PayError, type PayClient } from './payment/wechatPay';
import { payClientFromEnv } from './payment/wechatPayClient';
import { productionReadiness } from './productionRequirements';
import { SmsError, type SmsClient } from './sms/sms';
import { createTencentSmsClient, parseSmsConfig } from './sms/tencentSms';
import { createCloudWxPhoneClient } from './wxPhone/cloudWxPhone';
import { createHttpWxPhoneClient, parseWxApiConfig } from './wxPhone/httpWxPhone';
import { WxPhoneError, type WxPhoneClient } from './wxPhone/wxPhone';

export interface Runtime {
  config: ServerConfig;
  db: Db;
  log: Logger;
  /** Encrypts ID and phone numbers at rest and computes their blind indexes. */
  pii: PersonalDataCipher;
  /** Signs visit codes; derived from the personal-data hash key so there is one secret less to manage. */
  visitCodeKey: Buffer;
  his: HisClient;
  /** WeChat Pay, configured by WXPAY_* variables (the local host passes its stand-in). */
  pay: PayClient;
  /** SMS codes, configured by SMS_* variables (the local host passes its stand-in). */
  sms: SmsClient;
  /** WeChat's phone-number check: cloud.openapi inside WeChat cloud, HTTPS with WX_APPID/WX_APPSECRET elsewhere. */
  wxPhone: WxPhoneClient;
  /** Keys the hashes of one-time phone codes; derived like visitCodeKey. */
  phoneCodeKey: Buffer;
  close(): Promise<void>;
}

export interface RuntimeServices {
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Defaults to the HTTP adapter configured by HIS_* variables. */
  his?: HisClient;
  pay?: PayClient;
  sms?: SmsClient;
  wxPhone?: WxPhoneClient;
}

let current: Promise<Runtime> | undefined;

export async function openRuntime(config: ServerConfig, services: RuntimeServices = {}): Promise<Runtime> {
  const env = services.env ?? process.env;
  const log = services.log ?? createLogger(config.logLevel);
  const keys = loadPersonalDataKeys({ env, dataDir: config.dataDir, log });
  const handle = await connectDb({ mongodbUri: config.mongodbUri, dbName: config.dbName, dataDir: config.dataDir, acceptDataLoss: config.acceptDataLoss, log });
  return {
    config,
    db: handle.db,
    log,
    pii: createPersonalDataCipher(keys),
    visitCodeKey: Buffer.from(hkdfSync('sha256', keys.hashKey, Buffer.alloc(0), 'yiyue visit code v1', 32)),
    his: services.his ?? configuredHisClient(env, log),
    pay: services.pay ?? configuredPayClient(env, log),
    sms: services.sms ?? configuredSmsClient(env, log),
    wxPhone: services.wxPhone ?? configuredWxPhoneClient(env, log),
    phoneCodeKey: Buffer.from(hkdfSync('sha256', keys.hashKey, Buffer.alloc(0), 'yiyue phone code v1', 32)),
    close: () => handle.close(),
  };
}

/**
 * The HIS adapter from HIS_* variables. A missing or bad configuration is logged once and every call
 * then fails as "HIS unavailable", so login and browsing keep working while binding says "try later".
 */
function configuredHisClient(env: Record<string, string | undefined>, log: Logger): HisClient {
  let client: HisClient | undefined;
  let reported = false;
  const resolve = (): HisClient => {
    try {
      client ??= createHttpHisClient(parseHisConfig(env), { log });
      return client;
    } catch (error) {
      if (!reported) log.error('HIS is not configured', describeError(error));
      reported = true;
      throw new HisError('unavailable', 'HIS is not configured', { reason: 'network' });
    }
  };
  return {
    findPatient: (query) => resolve().findPatient(query),
    registerPatient: (input) => resolve().registerPatient(input),
    confirmRegistration: (input) => resolve().confirmRegistration(input),
    cancelRegistration: (bookingId) => resolve().cancelRegistration(bookingId),
  };
}

/** WeChat Pay from WXPAY_* variables; unconfigured, every call fails as "unavailable" and says so once in the log. */
function configuredPayClient(env: Record<string, string | undefined>, log: Logger): PayClient {
  let client: PayClient | null | undefined;
  let reported = false;
  const resolve = (): PayClient => {
    if (client === undefined) {
      try {
        client = payClientFromEnv(env);
      } catch (error) {
        if (!reported) log.error('WeChat Pay is misconfigured', describeError(error));
        reported = true;
        client = null;
      }
    }
    if (client) return client;
    if (!reported) log.error('WeChat Pay is not configured (WXPAY_* variables)');
    reported = true;
    throw new PayError('unavailable', 'WeChat Pay is not configured');
  };
  return {
    createJsapiOrder: (input) => resolve().createJsapiOrder(input),
    miniProgramPayParams: (prepayId) => resolve().miniProgramPayParams(prepayId),
    queryOrder: (outTradeNo) => resolve().queryOrder(outTradeNo),
    closeOrder: (outTradeNo) => resolve().closeOrder(outTradeNo),
    refund: (input) => resolve().refund(input),
    queryRefund: (outRefundNo) => resolve().queryRefund(outRefundNo),
    downloadTradeBill: (billDate) => resolve().downloadTradeBill(billDate),
    parseNotification: (input) => resolve().parseNotification(input),
    merchant: () => resolve().merchant(),
  };
}

/** SMS from SMS_* variables; unconfigured or misconfigured, every send fails as "unavailable" and the log says why once. */
function configuredSmsClient(env: Record<string, string | undefined>, log: Logger): SmsClient {
  let client: SmsClient | null | undefined;
  let reported = false;
  const resolve = (): SmsClient => {
    if (client === undefined) {
      try {
        const config = parseSmsConfig(env);
        client = config ? createTencentSmsClient(config, { log }) : null;
      } catch (error) {
        log.error('SMS is misconfigured', describeError(error));
        reported = true;
        client = null;
      }
    }
    if (client) return client;
    if (!reported) log.error('SMS is not configured (SMS_* variables)');
    reported = true;
    throw new SmsError('unavailable', 'SMS is not configured');
  };
  return { sendCode: (message) => resolve().sendCode(message) };
}

/** The function runs in WeChat cloud (or DevTools' local cloud debugging), where cloud.openapi works. */
function inWeChatCloud(env: Record<string, string | undefined>): boolean {
  return env.TENCENTCLOUD_RUNENV === 'SCF' || env.TENCENTCLOUD_RUNENV === 'WX_LOCAL_SCF' || Boolean(env.TCB_ENV);
}

/**
 * WeChat's phone check: inside WeChat cloud through cloud.openapi, which needs no secret or token; elsewhere
 * over HTTPS when WX_APPID and WX_APPSECRET are set; otherwise every call fails as "unavailable".
 */
function configuredWxPhoneClient(env: Record<string, string | undefined>, log: Logger): WxPhoneClient {
  let client: WxPhoneClient | null | undefined;
  let reported = false;
  const resolve = (): WxPhoneClient => {
    if (client === undefined) {
      try {
        const https = inWeChatCloud(env) ? null : parseWxApiConfig(env);
        client = inWeChatCloud(env) ? createCloudWxPhoneClient() : https ? createHttpWxPhoneClient(https) : null;
      } catch (error) {
        log.error('WeChat phone check is misconfigured', describeError(error));
        reported = true;
        client = null;
      }
    }
    if (client) return client;
    if (!reported) log.error('WeChat phone check is not available (not in WeChat cloud, WX_APPID/WX_APPSECRET unset)');
    reported = true;
    throw new WxPhoneError('unavailable', 'WeChat phone check is not configured');
  };
  return { getPhoneNumber: (code) => resolve().getPhoneNumber(code) };
}

/**
 * The process-wide runtime, opened from the environment on first use by the function `area` (a deployed
 * function). In production a function missing a setting it needs opens nothing: every call fails, and each
 * logs the one line naming what is missing, rather than half-working.
 */
export function getRuntime(area?: string): Promise<Runtime> {
  current ??= openFromEnvironment(area).catch((error: unknown) => {
    current = undefined; // let the next invocation try again, e.g. after a database outage or a fixed setting
    throw error;
  });
  return current;
}

async function openFromEnvironment(area: string | undefined): Promise<Runtime> {
  const config = parseServerConfig();
  const unready = config.nodeEnv === 'production' ? productionReadiness(process.env, area ? [area] : undefined) : undefined;
  if (unready) throw new ConfigError(unready);
  return openRuntime(config);
}

/** Installs a runtime opened elsewhere (the local host and tests). */
export function setRuntime(runtime: Runtime | undefined): void {
  current = runtime ? Promise.resolve(runtime) : undefined;
}

const prepared = new WeakMap<Runtime, Map<string, Promise<void>>>();

/** Runs an area's one-time preparation (index creation) once per runtime, and only when its indexes are older than the code's. */
export function prepareOnce(runtime: Runtime, key: string, prepare: (db: Db) => Promise<void>): Promise<void> {
  let done = prepared.get(runtime);
  if (!done) prepared.set(runtime, (done = new Map()));
  let promise = done.get(key);
  if (!promise) {
    promise = ensureIndexesOnce(runtime.db, key, prepare).then(
      () => undefined,
      (error: unknown) => {
        done.delete(key);
        throw error;
      },
    );
    done.set(key, promise);
  }
  return promise;
}
