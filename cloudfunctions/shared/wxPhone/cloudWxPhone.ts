// WeChat's phone-number check inside WeChat cloud: wx-server-sdk's cloud.openapi, which needs no AppSecret or
// token (the platform signs the call; config.json grants "phonenumber.getPhoneNumber").
// cloud.openapi only works inside the cloud and raises an unhandled rejection elsewhere, so the runtime
// uses this adapter only when it runs there; locally and in tests the HTTPS adapter talks to the stand-in.
import { WxPhoneError, wxPhoneErrorFor, type WxPhoneClient } from './wxPhone';

interface OpenApiPhoneAnswer {
  errCode?: number;
  errMsg?: string;
  phoneInfo?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string | number };
}

type WxServerSdk = typeof import('wx-server-sdk');
let sdk: WxServerSdk | undefined;

/**
 * Loaded at the first phone check, not when the bundle loads: the SDK takes longer to require than the
 * rest of a function (npm run bench:coldstart), and only the calls to cloud.openapi need it (also messages/cloudMessageSender.ts).
 */
export function loadWxServerSdk(): WxServerSdk {
  if (!sdk) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred on purpose, see above
    sdk = require('wx-server-sdk') as WxServerSdk;
    // The SDK's own typings omit the symbol its docs prescribe for "the environment this function runs in".
    sdk.init({ env: sdk.DYNAMIC_CURRENT_ENV as unknown as string });
  }
  return sdk;
}

export function createCloudWxPhoneClient(): WxPhoneClient {
  return {
    async getPhoneNumber(code) {
      const { openapi } = loadWxServerSdk();
      let answer: OpenApiPhoneAnswer;
      try {
        answer = (await openapi.phonenumber.getPhoneNumber({ code })) as OpenApiPhoneAnswer;
      } catch (error) {
        const errCode = (error as { errCode?: unknown }).errCode;
        if (typeof errCode === 'number') throw wxPhoneErrorFor(errCode, (error as { errMsg?: string }).errMsg);
        throw new WxPhoneError('unavailable', 'cloud.openapi.phonenumber.getPhoneNumber failed', { cause: error });
      }
      if (answer.errCode && answer.errCode !== 0) throw wxPhoneErrorFor(answer.errCode, answer.errMsg);
      const info = answer.phoneInfo;
      if (!info?.purePhoneNumber || !info.phoneNumber) throw new WxPhoneError('unavailable', 'getPhoneNumber answered without a phone number');
      return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: String(info.countryCode ?? '86') };
    },
  };
}
