// SMS and WeChat's phone check for the local host: the real services when configured, otherwise the stand-ins
// with the production adapters pointed at them, so `npm start` exercises real signing and the real HTTP shapes.
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/log';
import type { SmsClient } from '../shared/sms/sms';
import { createTencentSmsClient, parseSmsConfig } from '../shared/sms/tencentSms';
import { createHttpWxPhoneClient, parseWxApiConfig } from '../shared/wxPhone/httpWxPhone';
import type { WxPhoneClient } from '../shared/wxPhone/wxPhone';
import { startSmsStandIn, type SmsStandIn } from './smsStandIn';
import { startWxPhoneStandIn, type WxPhoneStandIn } from './wxPhoneStandIn';

/** Half-set SMS_* variables throw a ConfigError rather than silently falling back to the stand-in. */
export async function startLocalSms(
  env: Record<string, string | undefined>,
  options: { log?: Logger; clock?: Clock } = {},
): Promise<{ client?: SmsClient; standIn?: SmsStandIn }> {
  if (parseSmsConfig(env)) return {}; // the runtime builds the real adapter from the same variables
  const standIn = await startSmsStandIn({ clock: options.clock });
  const config = parseSmsConfig(standIn.env);
  if (!config) throw new Error('the SMS stand-in produced no configuration');
  return { client: createTencentSmsClient(config, { log: options.log }), standIn };
}

export async function startLocalWxPhone(env: Record<string, string | undefined>): Promise<{ client?: WxPhoneClient; standIn?: WxPhoneStandIn }> {
  if (parseWxApiConfig(env)) return {};
  const standIn = await startWxPhoneStandIn();
  const config = parseWxApiConfig(standIn.env);
  if (!config) throw new Error('the WeChat phone stand-in produced no configuration');
  return { client: createHttpWxPhoneClient(config), standIn };
}
