// Subscription messages over HTTPS, for servers outside WeChat cloud (WX_APPID/WX_APPSECRET) and locally
// against the stand-in: POST /cgi-bin/message/subscribe/send?access_token= with snake_case fields.
/*
 *   {touser, template_id, page, data: {key: {value}}, miniprogram_state, lang} -> {errcode: 0, errmsg: "ok"} | {errcode, errmsg}
 */
import { z } from 'zod';
import type { WxApiConfig } from '../wxPhone/httpWxPhone';
import { createWxApiCaller, WxApiUnreachable, type WxApiCaller } from '../wxPhone/wxApiCaller';
import { NETWORK_ERRCODE, type MessageSender } from './messageSender';

const zAnswer = z.object({ errcode: z.number().int().default(0), errmsg: z.string().default('') });

export function createHttpMessageSender(config: WxApiConfig, options: { fetch?: typeof fetch; caller?: WxApiCaller } = {}): MessageSender {
  const api = options.caller ?? createWxApiCaller(config, options);
  return {
    async send(message) {
      let answer: unknown;
      try {
        answer = await api.call('/cgi-bin/message/subscribe/send', {
          touser: message.touser,
          template_id: message.templateId,
          page: message.page,
          data: message.data,
          miniprogram_state: message.miniprogramState,
          lang: message.lang,
        });
      } catch (error) {
        if (error instanceof WxApiUnreachable) return { ok: false, errcode: NETWORK_ERRCODE, errmsg: error.message };
        throw error;
      }
      const parsed = zAnswer.safeParse(answer);
      if (!parsed.success) return { ok: false, errcode: NETWORK_ERRCODE, errmsg: 'subscribe/send answered with something unreadable' };
      return parsed.data.errcode === 0 ? { ok: true } : { ok: false, errcode: parsed.data.errcode, errmsg: parsed.data.errmsg };
    },
  };
}
