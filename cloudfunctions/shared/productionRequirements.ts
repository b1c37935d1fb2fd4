// What production needs before it may serve anyone: every setting in one list, checked at start-up (local host)
// and when a deployed function opens its runtime. Add a setting here when a feature cannot work without it.

type Env = Record<string, string | undefined>;

/** The cloud functions that reach each outside service; the local host runs them all. */
export const ALL_FUNCTIONS = ['user', 'patient', 'catalog', 'admin', 'booking', 'payment', 'message'] as const;
const HIS_USERS = ['patient', 'booking', 'payment'];
const PAY_USERS = ['booking', 'payment'];

export interface ProductionRequirement {
  /** The functions that need it; absent: every function. */
  functions?: readonly string[];
  /** What the start-up line names when the requirement is not met; undefined when it is. */
  problem(env: Env): { missing: string } | { refused: string } | undefined;
}

const isSet = (env: Env, name: string) => (env[name] ?? '').trim() !== '';
const required = (name: string, functions?: readonly string[]): ProductionRequirement => ({
  functions,
  problem: (env) => (isSet(env, name) ? undefined : { missing: name }),
});

export const PRODUCTION_REQUIREMENTS: ProductionRequirement[] = [
  // The embedded store is for development: production data lives in MongoDB.
  required('MONGODB_URI'),
  // ID and phone numbers at rest (a generated local key file would be lost with the instance).
  required('PII_ENCRYPTION_KEY'),
  required('PII_HASH_KEY'),
  required('PII_KEY_ID'),
  // The hospital's HIS: without it binding and booking would only say "try later".
  required('HIS_BASE_URL', HIS_USERS),
  required('HIS_APP_ID', HIS_USERS),
  required('HIS_SECRET', HIS_USERS),
  // WeChat Pay: the merchant's keys and a way to check WeChat's signatures.
  required('WXPAY_MCHID', PAY_USERS),
  required('WXPAY_APPID', PAY_USERS),
  required('WXPAY_SERIAL_NO', PAY_USERS),
  required('WXPAY_PRIVATE_KEY', PAY_USERS),
  required('WXPAY_APIV3_KEY', PAY_USERS),
  {
    functions: PAY_USERS,
    problem: (env) => (isSet(env, 'WXPAY_PUBLIC_KEY') || isSet(env, 'WXPAY_PLATFORM_CERT') ? undefined : { missing: 'WXPAY_PUBLIC_KEY_ID+WXPAY_PUBLIC_KEY or WXPAY_PLATFORM_CERT' }),
  },
  // SMS codes prove the phone on record when a second account joins a card (WeChat's phone check needs no secret in the cloud).
  required('SMS_SECRET_ID', ['patient']),
  required('SMS_SECRET_KEY', ['patient']),
  required('SMS_SDK_APP_ID', ['patient']),
  required('SMS_SIGN_NAME', ['patient']),
  required('SMS_TEMPLATE_ID', ['patient']),
  // Without it WeChat Pay would be told to send payment and refund results to 127.0.0.1; it notifies HTTPS only.
  required('PAY_NOTIFY_BASE', PAY_USERS),
  {
    functions: PAY_USERS,
    problem: (env) => (isSet(env, 'PAY_NOTIFY_BASE') && !/^https:\/\//.test((env.PAY_NOTIFY_BASE ?? '').trim()) ? { refused: 'PAY_NOTIFY_BASE without https' } : undefined),
  },
  // The hospital's own subscription-message templates (the demo ones exist only in the local stand-in).
  required('MESSAGE_TEMPLATES', ['message']),
  {
    problem: (env) => ((env.RATE_LIMITS ?? '').trim() === 'off' ? { refused: 'RATE_LIMITS=off' } : undefined),
  },
];

/**
 * The one line an operator reads when production is not ready for these functions (all of them by default),
 * naming everything at once; undefined when ready.
 */
export function productionReadiness(env: Env, functions: readonly string[] = ALL_FUNCTIONS): string | undefined {
  const problems = PRODUCTION_REQUIREMENTS.filter((requirement) => !requirement.functions || requirement.functions.some((name) => functions.includes(name)))
    .map((requirement) => requirement.problem(env))
    .filter((problem) => problem !== undefined);
  const missing = problems.flatMap((problem) => ('missing' in problem ? [problem.missing] : []));
  const refused = problems.flatMap((problem) => ('refused' in problem ? [problem.refused] : []));
  if (!missing.length && !refused.length) return undefined;
  const parts = [...(missing.length ? [`missing ${missing.join(', ')}`] : []), ...(refused.length ? [`not allowed: ${refused.join(', ')}`] : [])];
  return `Invalid configuration for production: ${parts.join('; ')} (see "Production checklist" in the README)`;
}
