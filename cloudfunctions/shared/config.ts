// Server configuration, parsed once from the environment; a bad value stops start-up with one clear line.
import path from 'node:path';
import { z } from 'zod';

const commaList = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean));

const serverConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
    .optional(),
  MONGODB_DB: z.string().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be 1-63 letters, digits, _ or -').default('yiyue'),
  DATA_DIR: z.string().min(1).default('.data'),
  ADMIN_OPENIDS: commaList,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  HOSPITAL_TIMEZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai').default('Asia/Shanghai'),
  PATIENT_CARD_LIMIT: z.coerce.number().int().min(1).max(20).default(5),
  GUARDIAN_PATH_ALLOWED: z.enum(['true', 'false']).default('true'),
  PAYMENT_HOLD_MINUTES: z.coerce.number({ error: 'must be a whole number of minutes from 1 to 60' }).int('must be a whole number of minutes from 1 to 60').min(1, 'must be a whole number of minutes from 1 to 60').max(60, 'must be a whole number of minutes from 1 to 60').default(10),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  PATIENT_BINDS_PER_30_DAYS: z.coerce.number({ error: 'must be a whole number from 1 to 50' }).int('must be a whole number from 1 to 50').min(1, 'must be a whole number from 1 to 50').max(50, 'must be a whole number from 1 to 50').default(5),
  BOOKING_PEOPLE_PER_DAY: z.coerce.number({ error: 'must be a whole number from 1 to 20' }).int('must be a whole number from 1 to 20').min(1, 'must be a whole number from 1 to 20').max(20, 'must be a whole number from 1 to 20').default(3),
  STORE_ACCEPT_DATA_LOSS: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  PAY_NOTIFY_BASE: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://example.com/http/payment/notify' }).optional(),
});

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export interface ServerConfig {
  nodeEnv: 'development' | 'test' | 'production';
  mongodbUri?: string;
  dbName: string;
  dataDir: string;
  /** Openids granted the admin role at login (bootstrap for hospital staff accounts). */
  adminOpenids: string[];
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Dates (today, ages, release days) are computed in the hospital's zone; instants are stored in UTC. */
  timeZone: string;
  /** At most this many patient cards per account (P2). */
  patientCardLimit: number;
  /** Per-hospital policy: may a guardian bind a child who has no ID number? */
  guardianPathAllowed: boolean;
  /**
   * Where WeChat Pay sends notifications: <base>/transaction and <base>/refund (the payment
   * function's HTTP access). The local host sets it to its own /http/payment/notify once it listens.
   */
  payNotifyBase: string;
  /** How long a priced appointment waits for payment before its place goes back (B2, Y1). */
  paymentHoldMinutes: number;
  /** Per-account, per-card and per-address rate limits (X1); off only for tests that fire bursts on purpose. */
  rateLimits: boolean;
  /**
   * New card links (binds, invite accepts, proof joins) one account may create in any 30 days (P2, X1).
   * Counted from a durable record, so unbinding a card does not give the link back: an account cannot
   * churn through strangers' cards to take places.
   */
  patientBindsPer30Days: number;
  /** Different people one account may book for on one visit day (X1); beyond it the hold is refused and recorded for staff. */
  bookingPeoplePerDay: number;
  /**
   * Embedded store only: open a damaged journal with the writes before the damage (the rest kept aside). Defaults to
   * true outside production; in production only STORE_ACCEPT_DATA_LOSS=true allows it.
   */
  acceptDataLoss: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Turns the first zod issue into one line a hospital IT person can act on. */
export function describeConfigIssue(error: z.ZodError, env: Record<string, string | undefined>): string {
  const issue = error.issues[0];
  const key = String(issue.path[0] ?? '');
  const got = env[key];
  return `Invalid configuration: ${key} ${issue.message}${got === undefined ? '' : ` (got "${got}")`}`;
}

/**
 * The same line for an outside service's settings (WXPAY_*, SMS_*), which hold secrets: a missing
 * setting "is required", and a value is repeated only when `isSecret` says it may be shown.
 */
export function describeSecretSettingIssue(error: z.ZodError, values: Record<string, string | undefined>, isSecret: (key: string, value: string) => boolean): string {
  const issue = error.issues[0];
  const key = String(issue.path[0] ?? '');
  const value = values[key];
  if (value === undefined) return `Invalid configuration: ${key} ${issue.code === 'custom' ? issue.message : 'is required'}`;
  return `Invalid configuration: ${key} ${issue.message}${isSecret(key, value) ? '' : ` (got "${value}")`}`;
}

export function parseServerConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
  const parsed = serverConfigSchema.safeParse(emptyToUndefined(env));
  if (!parsed.success) throw new ConfigError(describeConfigIssue(parsed.error, env));
  const value = parsed.data;
  return {
    nodeEnv: value.NODE_ENV,
    mongodbUri: value.MONGODB_URI,
    dbName: value.MONGODB_DB,
    dataDir: path.resolve(value.DATA_DIR),
    adminOpenids: value.ADMIN_OPENIDS,
    logLevel: value.LOG_LEVEL,
    timeZone: value.HOSPITAL_TIMEZONE,
    patientCardLimit: value.PATIENT_CARD_LIMIT,
    guardianPathAllowed: value.GUARDIAN_PATH_ALLOWED === 'true',
    paymentHoldMinutes: value.PAYMENT_HOLD_MINUTES,
    rateLimits: value.RATE_LIMITS === 'on',
    patientBindsPer30Days: value.PATIENT_BINDS_PER_30_DAYS,
    bookingPeoplePerDay: value.BOOKING_PEOPLE_PER_DAY,
    acceptDataLoss: value.STORE_ACCEPT_DATA_LOSS === undefined ? value.NODE_ENV !== 'production' : value.STORE_ACCEPT_DATA_LOSS === 'true',
    payNotifyBase: (value.PAY_NOTIFY_BASE ?? 'http://127.0.0.1:8080/http/payment/notify').replace(/\/+$/, ''),
  };
}

/** An empty variable (`PORT=`) means "use the default", as most twelve-factor tools read it. */
export function emptyToUndefined(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const result: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) result[key] = value === '' ? undefined : value;
  return result;
}
