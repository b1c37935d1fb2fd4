// One runtime per process: configuration, database, personal-data keys and the HIS link, opened once
// and reused by warm invocations.
import { hkdfSync } from 'node:crypto';
import type { Db } from 'mongodb';
import { systemClock, type Clock } from './clock';
import { ConfigError, parseServerConfig, type ServerConfig } from './config';
import { createPersonalDataCipher, type PersonalDataCipher } from './crypto/personalData';
import { loadPersonalDataKeys } from './crypto/personalDataKeys';
import { connectDb } from './db/connect';
import { ensureIndexesOnce } from './dbIndexes';
import { HisError, type HisClient } from './his/his';
import { createHttpHisClient, parseHisConfig } from './his/httpHisClient';
import { createLogger, describeError, type Logger } from './log';
import { createCloudMessageSender } from './messages/cloudMessageSender';
import { createHttpMessageSender } from './messages/httpMessageSender';
import { NETWORK_ERRCODE, type MessageSender } from './messages/messageSender';
import { parseMessageSettings, type MessageSettings } from './messages/messageSettings';
import { PayError, type PayClient } from './payment/wechatPay';
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
  /** Business time for every action, sweep and job: the system clock in production. */
  clock: Clock;
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
  /** WeChat subscription messages: cloud.openapi inside WeChat cloud, HTTPS with WX_APPID/WX_APPSECRET elsewhere. */
  messages: MessageSender;
  /** The templates per event and the reminder hour (MESSAGE_* variables; demo templates outside production). */
  messageSettings: MessageSettings;
  close(): Promise<void>;
}

export interface RuntimeServices {
  env?: Record<string, string | undefined>;
  log?: Logger;
  /** Defaults to the system clock; tests and the local host pass a controlled one. */
  clock?: Clock;
  /** Defaults to the HTTP adapter configured by HIS_* variables. */
  his?: HisClient;
  pay?: PayClient;
  sms?: SmsClient;
  wxPhone?: WxPhoneClient;
  messages?: MessageSender;
  messageSettings?: MessageSettings;
}

type Env = Record<string, string | undefined>;

let current: Promise<Runtime> | undefined;

export async function openRuntime(config: ServerConfig, services: RuntimeServices = {}): Promise<Runtime> {
  // A copy taken now: the outside services are configured at their first use, and by then the local host's
  // platform simulation has cleared WX_APPID (in WeChat cloud the caller's appid per invocation).
  const env = { ...(services.env ?? process.env) };
  const log = services.log ?? createLogger(config.logLevel);
  const keys = loadPersonalDataKeys({ env, dataDir: config.dataDir, log });
  const handle = await connectDb({ mongodbUri: config.mongodbUri, dbName: config.dbName, dataDir: config.dataDir, acceptDataLoss: config.acceptDataLoss, log });
  return {
    config,
    db: handle.db,
    log,
    clock: services.clock ?? systemClock,
    pii: createPersonalDataCipher(keys),
    visitCodeKey: Buffer.from(hkdfSync('sha256', keys.hashKey, Buffer.alloc(0), 'yiyue visit code v1', 32)),
    his: services.his ?? configuredHisClient(env, log),
    pay: services.pay ?? configuredPayClient(env, log),
    sms: services.sms ?? configuredSmsClient(env, log),
    wxPhone: services.wxPhone ?? configuredWxPhoneClient(env, log),
    phoneCodeKey: Buffer.from(hkdfSync('sha256', keys.hashKey, Buffer.alloc(0), 'yiyue phone code v1', 32)),
    messages: services.messages ?? configuredMessageSender(env, log),
    messageSettings: services.messageSettings ?? parseMessageSettings({ NODE_ENV: config.nodeEnv, ...env }),
    close: () => handle.close(),
  };
}

/**
 * An outside service configured from the environment, created at its first use. A missing or bad
 * configuration is logged once (never the values) and every call then fails as that service's
 * "unavailable", so login and browsing keep working while the action that needs it says "try later".
 */
function lazyService<T>(log: Logger, what: string, create: () => T | null, unavailable: () => Error): () => T {
  let client: T | null | undefined;
  let reported = false;
  return () => {
    if (client === undefined) {
      try {
        client = create();
      } catch (error) {
        log.error(`${what} is misconfigured`, describeError(error));
        reported = true;
        client = null;
      }
    }
    if (client) return client;
    if (!reported) log.error(`${what} is not configured`);
    reported = true;
    throw unavailable();
  };
}

/** The HIS adapter from HIS_* variables. */
function configuredHisClient(env: Env, log: Logger): HisClient {
  const resolve = lazyService(log, 'HIS (HIS_* variables)', () => createHttpHisClient(parseHisConfig(env), { log }), () => new HisError('unavailable', 'HIS is not configured', { reason: 'network' }));
  return {
    findPatient: (query) => resolve().findPatient(query),
    registerPatient: (input) => resolve().registerPatient(input),
    confirmRegistration: (input) => resolve().confirmRegistration(input),
    cancelRegistration: (bookingId) => resolve().cancelRegistration(bookingId),
    moveRegistration: (input) => resolve().moveRegistration(input),
  };
}

/** WeChat Pay from WXPAY_* variables. */
function configuredPayClient(env: Env, log: Logger): PayClient {
  const resolve = lazyService(
    log,
    'WeChat Pay (WXPAY_* variables)',
    // Required at the first payment call, not when the bundle loads: wechatpay-node-v3 and its HTTP stack
    // take ~140 ms to load, which every cold start of a function that never pays would otherwise pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
    () => (require('./payment/wechatPayClient') as typeof import('./payment/wechatPayClient')).payClientFromEnv(env),
    () => new PayError('unavailable', 'WeChat Pay is not configured'),
  );
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

/** SMS from SMS_* variables. */
function configuredSmsClient(env: Env, log: Logger): SmsClient {
  const resolve = lazyService(
    log,
    'SMS (SMS_* variables)',
    () => {
      const config = parseSmsConfig(env);
      return config ? createTencentSmsClient(config, { log }) : null;
    },
    () => new SmsError('unavailable', 'SMS is not configured'),
  );
  return { sendCode: (message) => resolve().sendCode(message) };
}

/** The function runs in WeChat cloud (or DevTools' local cloud debugging), where cloud.openapi works. */
function inWeChatCloud(env: Env): boolean {
  return env.TENCENTCLOUD_RUNENV === 'SCF' || env.TENCENTCLOUD_RUNENV === 'WX_LOCAL_SCF' || Boolean(env.TCB_ENV);
}

/**
 * WeChat's phone check: inside WeChat cloud through cloud.openapi, which needs no secret or token; elsewhere
 * over HTTPS when WX_APPID and WX_APPSECRET are set.
 */
function configuredWxPhoneClient(env: Env, log: Logger): WxPhoneClient {
  const resolve = lazyService(
    log,
    'WeChat phone check (outside WeChat cloud: WX_APPID/WX_APPSECRET)',
    () => {
      if (inWeChatCloud(env)) return createCloudWxPhoneClient();
      const https = parseWxApiConfig(env);
      return https ? createHttpWxPhoneClient(https) : null;
    },
    () => new WxPhoneError('unavailable', 'WeChat phone check is not configured'),
  );
  return { getPhoneNumber: (code) => resolve().getPhoneNumber(code) };
}

/**
 * Subscription messages like the phone check: cloud.openapi inside WeChat cloud, HTTPS with WX_APPID/WX_APPSECRET
 * elsewhere. Unconfigured, every send answers a temporary failure: the outbox keeps the messages and retries.
 */
function configuredMessageSender(env: Env, log: Logger): MessageSender {
  const resolve = lazyService(
    log,
    'WeChat subscription messages (outside WeChat cloud: WX_APPID/WX_APPSECRET)',
    () => {
      if (inWeChatCloud(env)) return createCloudMessageSender();
      const https = parseWxApiConfig(env);
      return https ? createHttpMessageSender(https) : null;
    },
    () => new Error('subscription messages are not configured'),
  );
  return {
    async send(message) {
      let sender: MessageSender;
      try {
        sender = resolve();
      } catch (error) {
        return { ok: false, errcode: NETWORK_ERRCODE, errmsg: (error as Error).message };
      }
      return sender.send(message);
    },
  };
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
