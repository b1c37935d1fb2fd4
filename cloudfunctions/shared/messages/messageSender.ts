// The port to WeChat's subscription messages: subscribeMessage.send, one message to one openid. An
// answer is ok or WeChat's errcode; a network failure or timeout is an errcode of its own (NETWORK_ERRCODE)
// so the outbox records every attempt the same way. Adapters: cloudMessageSender (wx-server-sdk inside
// WeChat cloud), httpMessageSender (HTTPS elsewhere, and locally against local/messageStandIn.ts).

export interface SubscribeMessage {
  touser: string;
  templateId: string;
  /** The mini program page the notice opens, with its query (pages/booking/result/index?id=...). */
  page: string;
  data: Record<string, { value: string }>;
  miniprogramState: 'developer' | 'trial' | 'formal';
  lang: 'zh_CN';
}

export type SendAnswer = { ok: true } | { ok: false; errcode: number; errmsg: string };

export interface MessageSender {
  send(message: SubscribeMessage): Promise<SendAnswer>;
  /**
   * Local runs only: tells the stand-in what the person chose in the subscription prompt, as WeChat learns it from
   * the client. Production adapters have none (WeChat saw the prompt itself).
   */
  reportConsent?(consent: { openid: string; templateId: string; result: ConsentResult }): Promise<void>;
}

export type ConsentResult = 'accept' | 'reject' | 'ban' | 'filter';

/** Our errcode for "WeChat did not answer" (network, timeout, unreadable answer): temporary. */
export const NETWORK_ERRCODE = -2;

/**
 * Errors that no retry will fix: 43101 refused or no quota, 47003 a bad value, 40003 a bad openid, 40037 a bad
 * template id, 41030 a page not in the released version. Everything else (-1 busy, 45009 daily limit, network) is
 * temporary.
 */
export const PERMANENT_ERRCODES: ReadonlySet<number> = new Set([43101, 47003, 40003, 40037, 41030]);
export const NO_QUOTA_ERRCODE = 43101;

export function isPermanent(errcode: number): boolean {
  return PERMANENT_ERRCODES.has(errcode);
}
