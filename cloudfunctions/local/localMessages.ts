// Subscription messages for the local host and tests: the real service when WX_APPID/WX_APPSECRET are set,
// otherwise the stand-in with the production HTTPS adapter pointed at it. The consents the app records
// (message.consent) reach the stand-in's quota through its control API, as WeChat learns them from the
// prompt; that hook exists only here, never in a production adapter.
import type { Clock } from '../shared/clock';
import { createHttpMessageSender } from '../shared/messages/httpMessageSender';
import type { MessageSender } from '../shared/messages/messageSender';
import type { TemplateTable } from '../shared/messages/templates';
import { parseWxApiConfig } from '../shared/wxPhone/httpWxPhone';
import { startMessageStandIn, type MessageStandIn } from './messageStandIn';

/** The HTTPS adapter on this stand-in, plus the consent hook that feeds the stand-in's quota. */
export function standInSender(standIn: MessageStandIn): MessageSender {
  const config = parseWxApiConfig(standIn.env);
  if (!config) throw new Error('the message stand-in produced no configuration');
  const sender = createHttpMessageSender(config);
  return {
    send: (message) => sender.send(message),
    async reportConsent(consent) {
      standIn.consent(consent.openid, consent.templateId, consent.result);
    },
  };
}

export async function startLocalMessages(
  env: Record<string, string | undefined>,
  templates: TemplateTable,
  clock?: Clock,
): Promise<{ client?: MessageSender; standIn?: MessageStandIn }> {
  if (parseWxApiConfig(env)) return {}; // the runtime builds the real adapter from the same variables
  const standIn = await startMessageStandIn({ templates, clock });
  return { client: standInSender(standIn), standIn };
}
