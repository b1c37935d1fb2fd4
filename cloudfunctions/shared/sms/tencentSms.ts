// The production SMS adapter: Tencent Cloud SMS API 3.0, action SendSms (version 2021-01-11), signed with TC3-HMAC-SHA256.
/*
 * Protocol (the local stand-in, cloudfunctions/local/smsStandIn.ts, speaks exactly this):
 *   POST https://sms.tencentcloudapi.com/   (SMS_ENDPOINT)
 *   headers  Authorization (TC3), Content-Type: application/json; charset=utf-8, Host,
 *            X-TC-Action: SendSms, X-TC-Timestamp, X-TC-Version: 2021-01-11, X-TC-Region
 *   body     {PhoneNumberSet: ["+8613800000000"], SmsSdkAppId, SignName, TemplateId, TemplateParamSet: [code, minutes]}
 *   200      {Response: {SendStatusSet: [{PhoneNumber, Code: "Ok" | <failure code>, Message, ...}], RequestId}}
 *            {Response: {Error: {Code, Message}, RequestId}}   (any failure of the request itself)
 * Bodies are never logged: they hold the phone number and the code.
 */
import { z } from 'zod';
import { ConfigError, describeSecretSettingIssue, emptyToUndefined } from '../config';
import { parseJson } from '../http/httpHelpers';
import type { Logger } from '../log';
import { SmsError, type SmsClient } from './sms';
import { tc3Authorization } from './tc3';

export const SMS_ACTION = 'SendSms';
export const SMS_VERSION = '2021-01-11';
export const SMS_SERVICE = 'sms';
export const SMS_CONTENT_TYPE = 'application/json; charset=utf-8';

const smsConfigSchema = z.object({
  SMS_SECRET_ID: z.string().min(1, 'must not be empty'),
  SMS_SECRET_KEY: z.string().min(1, 'must not be empty'),
  SMS_SDK_APP_ID: z.string().regex(/^\d{6,20}$/, 'must be the SMS application id (digits, e.g. 1400006666)'),
  SMS_SIGN_NAME: z.string().min(1, 'must not be empty').max(32, 'must be at most 32 characters'),
  SMS_TEMPLATE_ID: z.string().regex(/^\d{1,20}$/, 'must be the approved template id (digits)'),
  SMS_REGION: z.string().regex(/^[a-z]+-[a-z]+$/, 'must be a region such as ap-guangzhou').default('ap-guangzhou'),
  SMS_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://sms.tencentcloudapi.com' }).default('https://sms.tencentcloudapi.com'),
  SMS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
});

export interface SmsConfig {
  secretId: string;
  secretKey: string;
  sdkAppId: string;
  signName: string;
  templateId: string;
  region: string;
  endpoint: string;
  timeoutMs: number;
}

export const SMS_ENV_KEYS = ['SMS_SECRET_ID', 'SMS_SECRET_KEY', 'SMS_SDK_APP_ID', 'SMS_SIGN_NAME', 'SMS_TEMPLATE_ID'] as const;

/** The settings from SMS_* variables; null when none of the required ones is set, a ConfigError when only some are. */
export function parseSmsConfig(env: Record<string, string | undefined> = process.env): SmsConfig | null {
  const clean = emptyToUndefined(env);
  if (SMS_ENV_KEYS.every((key) => clean[key] === undefined)) return null;
  const parsed = smsConfigSchema.safeParse(clean);
  if (!parsed.success) throw new ConfigError(describeSecretSettingIssue(parsed.error, clean, (key) => key === 'SMS_SECRET_KEY'));
  const value = parsed.data;
  return {
    secretId: value.SMS_SECRET_ID,
    secretKey: value.SMS_SECRET_KEY,
    sdkAppId: value.SMS_SDK_APP_ID,
    signName: value.SMS_SIGN_NAME,
    templateId: value.SMS_TEMPLATE_ID,
    region: value.SMS_REGION,
    endpoint: value.SMS_ENDPOINT,
    timeoutMs: value.SMS_TIMEOUT_MS,
  };
}

const zSendSmsAnswer = z.object({
  Response: z.object({
    RequestId: z.string().optional(),
    Error: z.object({ Code: z.string(), Message: z.string().optional() }).optional(),
    SendStatusSet: z.array(z.object({ Code: z.string(), Message: z.string().optional() })).optional(),
  }),
});

/** Provider codes that mean "this number, not now or never": the rest (auth, internal, unknown) mean "try later". */
const REFUSAL_PREFIXES = ['LimitExceeded.', 'InvalidParameterValue.IncorrectPhoneNumber', 'FailedOperation.PhoneNumberInBlacklist', 'UnsupportedOperation.'];
const isRefusal = (code: string) => REFUSAL_PREFIXES.some((prefix) => code.startsWith(prefix));

const noLog: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export function createTencentSmsClient(config: SmsConfig, options: { log?: Logger; fetch?: typeof fetch; now?: () => Date } = {}): SmsClient {
  const log = options.log ?? noLog;
  const fetchImpl = options.fetch ?? fetch;
  // The TC3 signature's timestamp is checked against Tencent's real time, never the business clock.
  const now = options.now ?? (() => new Date());

  return {
    async sendCode({ phone, code, minutes }): Promise<void> {
      const url = new URL(config.endpoint);
      const payload = JSON.stringify({
        PhoneNumberSet: [`+86${phone}`],
        SmsSdkAppId: config.sdkAppId,
        SignName: config.signName,
        TemplateId: config.templateId,
        TemplateParamSet: [code, String(minutes)],
      });
      const timestamp = Math.floor(now().getTime() / 1000);
      const authorization = tc3Authorization({
        secretId: config.secretId,
        secretKey: config.secretKey,
        service: SMS_SERVICE,
        host: url.host,
        contentType: SMS_CONTENT_TYPE,
        timestamp,
        payload,
      });
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), config.timeoutMs);
      const started = Date.now();
      let status: number;
      let answer: unknown;
      try {
        const response = await fetchImpl(url, {
          method: 'POST',
          headers: {
            authorization,
            'content-type': SMS_CONTENT_TYPE,
            'x-tc-action': SMS_ACTION,
            'x-tc-timestamp': String(timestamp),
            'x-tc-version': SMS_VERSION,
            'x-tc-region': config.region,
          },
          body: payload,
          signal: controller.signal,
        });
        status = response.status;
        answer = parseJson(await response.text());
      } catch (error) {
        log.warn('sms request failed', { reason: controller.signal.aborted ? 'timeout' : 'network', durationMs: Date.now() - started });
        throw new SmsError('unavailable', 'SMS provider could not be reached', { cause: error });
      } finally {
        clearTimeout(timer);
      }
      const parsed = zSendSmsAnswer.safeParse(answer);
      if (status !== 200 || !parsed.success) {
        log.error('sms provider answered with something the protocol does not have', { status });
        throw new SmsError('unavailable', `SMS provider answered ${status}`);
      }
      const { Error: failure, SendStatusSet: statuses, RequestId: requestId } = parsed.data.Response;
      if (failure) {
        const kind = isRefusal(failure.Code) ? 'refused' : 'unavailable';
        (kind === 'refused' ? log.warn : log.error)('sms provider refused the request', { providerCode: failure.Code, providerRequestId: requestId });
        throw new SmsError(kind, `SMS provider said ${failure.Code}`, { providerCode: failure.Code });
      }
      const sent = statuses?.[0];
      if (!sent) throw new SmsError('unavailable', 'SMS provider answered without a send status');
      if (sent.Code !== 'Ok') {
        log.warn('sms not sent', { providerCode: sent.Code, providerRequestId: requestId });
        throw new SmsError(isRefusal(sent.Code) ? 'refused' : 'unavailable', `SMS not sent: ${sent.Code}`, { providerCode: sent.Code });
      }
      log.info('sms sent', { durationMs: Date.now() - started, providerRequestId: requestId });
    },
  };
}
