// WeChat Pay for the local host: the real service when WXPAY_* credentials are set, otherwise the stand-in with the production client pointed at it.
import type { Logger } from '../shared/log';
import { createWeChatPayClient, payClientFromEnv, type WeChatPayClient } from '../shared/payment/wechatPayClient';
import { parsePayConfig } from '../shared/payment/wechatPayConfig';
import { startWeChatPayStandIn, type WeChatPayStandIn, type WeChatPayStandInOptions } from './wechatPayStandIn';

export interface LocalPay {
  client: WeChatPayClient;
  /** Present when the stand-in is used (drive its cashier through standIn or its /__control API). */
  standIn?: WeChatPayStandIn;
  close(): Promise<void>;
}

/**
 * The same client code runs in both cases, so `npm start` exercises real request signing, answer verification and
 * notification decryption. A ConfigError from half-set WXPAY_* variables is thrown, never papered over by the stand-in.
 */
export async function startLocalPay(
  env: Record<string, string | undefined>,
  options: { log?: Logger; standIn?: WeChatPayStandInOptions } = {},
): Promise<LocalPay> {
  const real = payClientFromEnv(env, { log: options.log });
  if (real) {
    options.log?.info('wechat pay: using the real service', { origin: real.settings.origin, mchid: real.settings.mchid, mode: real.settings.mode });
    return { client: real, close: async () => {} };
  }
  const standIn = await startWeChatPayStandIn({
    log: (message) => options.log?.warn(message),
    ...options.standIn,
  });
  const config = parsePayConfig(standIn.config);
  if (!config) throw new Error('the WeChat Pay stand-in produced no configuration');
  options.log?.info('wechat pay: using the local stand-in (set WXPAY_* to use the real service)', { origin: standIn.origin, mode: standIn.mode });
  return { client: createWeChatPayClient(config, { log: options.log }), standIn, close: () => standIn.close() };
}
