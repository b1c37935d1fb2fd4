// A WeChat Pay stand-in on a free port, the production client pointed at it, and a notification receiver that records what arrives.
import http from 'node:http';
import { startWeChatPayStandIn, type WeChatPayStandIn, type WeChatPayStandInOptions } from '../../cloudfunctions/local/wechatPayStandIn';
import { createWeChatPayClient, type WeChatPayClient, type WeChatPayClientOptions } from '../../cloudfunctions/shared/payment/wechatPayClient';
import { parsePayConfig, type PayConfig } from '../../cloudfunctions/shared/payment/wechatPayConfig';

export interface TestWeChatPay {
  standIn: WeChatPayStandIn;
  config: PayConfig;
  client: WeChatPayClient;
}

export async function startTestWeChatPay(
  options: WeChatPayStandInOptions = {},
  clientOptions: WeChatPayClientOptions = {},
): Promise<TestWeChatPay> {
  const standIn = await startWeChatPayStandIn({ notifyRetryScale: 0.001, notifyAnswerTimeoutMs: 1000, ...options });
  const config = parsePayConfig({ ...standIn.config, WXPAY_TIMEOUT_MS: '2000' });
  if (!config) throw new Error('the stand-in config did not parse');
  return { standIn, config, client: createWeChatPayClient(config, clientOptions) };
}

export interface ReceivedNotification {
  headers: Record<string, string | undefined>;
  body: string;
}

export interface NotifyReceiver {
  url: string;
  received: ReceivedNotification[];
  /** Decides the status of each delivery (default 204); may be async to make the stand-in wait. */
  answer: (notification: ReceivedNotification, index: number) => number | Promise<number>;
  close(): Promise<void>;
}

export async function startNotifyReceiver(): Promise<NotifyReceiver> {
  const receiver: NotifyReceiver = {
    url: '',
    received: [],
    answer: () => 204,
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
      const notification = { headers, body: Buffer.concat(chunks).toString('utf8') };
      const index = receiver.received.push(notification) - 1;
      Promise.resolve(receiver.answer(notification, index)).then(
        (status) => {
          if (!res.destroyed) res.writeHead(status).end();
        },
        () => res.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  receiver.url = `http://127.0.0.1:${address.port}/api/payment/notify`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
