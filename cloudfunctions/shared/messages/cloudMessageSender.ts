// Subscription messages inside WeChat cloud: wx-server-sdk's cloud.openapi.subscribeMessage.send, which needs
// no AppSecret or token (the message function's config.json grants "subscribeMessage.send").
import { loadWxServerSdk } from '../wxPhone/cloudWxPhone';
import { NETWORK_ERRCODE, type MessageSender } from './messageSender';

interface OpenApiError {
  errCode?: unknown;
  errMsg?: unknown;
}

export function createCloudMessageSender(): MessageSender {
  return {
    async send(message) {
      const { openapi } = loadWxServerSdk();
      try {
        const answer = (await openapi.subscribeMessage.send({ ...message })) as OpenApiError;
        const errcode = typeof answer.errCode === 'number' ? answer.errCode : 0;
        return errcode === 0 ? { ok: true } : { ok: false, errcode, errmsg: String(answer.errMsg ?? '') };
      } catch (error) {
        // The SDK throws WeChat's refusals with errCode; anything else is the network or the platform.
        const { errCode, errMsg } = error as OpenApiError;
        if (typeof errCode === 'number') return { ok: false, errcode: errCode, errmsg: String(errMsg ?? '') };
        return { ok: false, errcode: NETWORK_ERRCODE, errmsg: error instanceof Error ? error.message.slice(0, 200) : 'cloud.openapi failed' };
      }
    },
  };
}
