// The SMS and WeChat phone-number stand-ins on free ports, with the production adapters pointed at them.
import { startSmsStandIn, type SmsStandIn } from '../../cloudfunctions/local/smsStandIn';
import { startWxPhoneStandIn, type WxPhoneStandIn } from '../../cloudfunctions/local/wxPhoneStandIn';
import type { Clock } from '../../cloudfunctions/shared/clock';
import type { SmsClient } from '../../cloudfunctions/shared/sms/sms';
import { createTencentSmsClient, parseSmsConfig } from '../../cloudfunctions/shared/sms/tencentSms';
import { createHttpWxPhoneClient, parseWxApiConfig } from '../../cloudfunctions/shared/wxPhone/httpWxPhone';
import type { WxPhoneClient } from '../../cloudfunctions/shared/wxPhone/wxPhone';

export interface TestSms {
  standIn: SmsStandIn;
  client: SmsClient;
}

/** `clock`: the business time stamped on sent messages (the runtime's, so /dev/sms follows a moved clock). */
export async function startTestSms(clock?: Clock): Promise<TestSms> {
  const standIn = await startSmsStandIn({ clock });
  return { standIn, client: createTencentSmsClient(parseSmsConfig(standIn.env)!) };
}

export interface TestWxPhone {
  standIn: WxPhoneStandIn;
  client: WxPhoneClient;
}

export async function startTestWxPhone(): Promise<TestWxPhone> {
  const standIn = await startWxPhoneStandIn();
  return { standIn, client: createHttpWxPhoneClient(parseWxApiConfig(standIn.env)!) };
}
