// Starts the local host in-process on a free port, on a fresh test runtime.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEV_ADMIN_OPENIDS } from '../../cloudfunctions/local/devIdentities';
import { HOSTED_FUNCTIONS, type HostedFunction } from '../../cloudfunctions/local/functions';
import { createHost } from '../../cloudfunctions/local/host';
import type { HostConfig } from '../../cloudfunctions/local/hostConfig';
import type { WeChatPayStandIn } from '../../cloudfunctions/local/wechatPayStandIn';
import type { HisClient } from '../../cloudfunctions/shared/his/his';
import { createLogger } from '../../cloudfunctions/shared/log';
import type { PayClient } from '../../cloudfunctions/shared/payment/wechatPay';
import type { SmsStandIn } from '../../cloudfunctions/local/smsStandIn';
import type { SmsClient } from '../../cloudfunctions/shared/sms/sms';
import type { WxPhoneClient } from '../../cloudfunctions/shared/wxPhone/wxPhone';
import type { ControlledClock } from '../../cloudfunctions/shared/clock';
import { setRuntime } from '../../cloudfunctions/shared/runtime';
import type { MessageStandIn } from '../../cloudfunctions/local/messageStandIn';
import type { MessageSender } from '../../cloudfunctions/shared/messages/messageSender';
import { openTestRuntime, type TestRuntime } from './runtime';

export interface TestHost {
  url: string;
  runtime: TestRuntime;
  post(fn: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
  /** Stops serving and closes the store but keeps its data folder, to hand it to a host process. */
  closeKeepingData(): Promise<void>;
}

export async function startTestHost(
  options: {
    production?: boolean;
    functions?: HostedFunction[];
    adminOpenids?: string[];
    his?: HisClient;
    pay?: PayClient;
    payStandIn?: WeChatPayStandIn;
    sms?: SmsClient;
    /** Read by the host's /dev/sms. */
    smsStandIn?: SmsStandIn;
    wxPhone?: WxPhoneClient;
    /** Subscription messages (e.g. standInSender of a message stand-in), also read by the host's /dev/messages. */
    messages?: MessageSender;
    messageStandIn?: MessageStandIn;
    /** The runtime's clock, also moved by the host's /dev/clock (a running clock from now when absent). */
    clock?: ControlledClock;
  } = {},
): Promise<TestHost> {
  const adminOpenids = options.production ? [] : [...DEV_ADMIN_OPENIDS, ...(options.adminOpenids ?? [])];
  const runtime = await openTestRuntime({ adminOpenids }, { his: options.his, pay: options.pay, sms: options.sms, smsStandIn: options.smsStandIn, wxPhone: options.wxPhone, messages: options.messages, clock: options.clock });
  const config: HostConfig = {
    port: 0,
    host: '127.0.0.1',
    h5Dir: path.resolve(__dirname, '../../dist-h5'),
    devLogin: !options.production,
    server: runtime.config,
  };
  const server: Server = createHost({ config, functions: options.functions ?? HOSTED_FUNCTIONS, log: createLogger('silent'), payStandIn: options.payStandIn, smsStandIn: runtime.smsStandIn, messageStandIn: options.messageStandIn, clock: runtime.clock });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // WeChat Pay's notifications come back to this host, as they reach the payment function's HTTP access in the cloud.
  runtime.config.payNotifyBase = `${url}/http/payment/notify`;
  return {
    url,
    runtime,
    async post(fn, body, headers = {}) {
      const response = await fetch(`${url}/api/${fn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.dispose();
    },
    async closeKeepingData() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      setRuntime(undefined);
      await runtime.close();
    },
  };
}
