// The stand-in's notification pusher: signed, encrypted, and retried on WeChat's schedule until the merchant answers 2xx within 5 seconds.
import { randomUUID } from 'node:crypto';
import { encryptForMerchant, signingHeaders, type PlatformIdentity } from './wechatPayStandInKeys';

/** Seconds between attempts after the first, as WeChat documents it (16 attempts over about 24 hours). */
export const WECHAT_NOTIFY_RETRY_SECONDS = [15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600] as const;

export interface NotificationEvent {
  url: string;
  eventType: string;
  summary: string;
  originalType: 'transaction' | 'refund';
  resource: Record<string, unknown>;
  /** Encrypted instead of the resource's JSON (a resource that does not parse). */
  plaintext?: string;
  /** For the delivery log: which order or refund this is about. */
  subject: string;
}

export interface DeliveryAttempt {
  notificationId: string;
  eventType: string;
  subject: string;
  url: string;
  attempt: number;
  at: Date;
  /** The HTTP status, or undefined when the receiver did not answer in time or could not be reached. */
  status?: number;
  error?: 'timeout' | 'network';
  /** Exactly what was sent, so a test can replay a genuine notification. */
  headers: Record<string, string>;
  body: string;
}

export interface NotifierOptions {
  platform: () => PlatformIdentity;
  apiV3Key: string;
  /** Real time: signatures and retries are judged on the wire, not on the business clock. */
  now: () => Date;
  /** Multiplies WECHAT_NOTIFY_RETRY_SECONDS (1 = real time; tests use e.g. 0.001). */
  retryScale: number;
  /** How long the receiver has to answer one attempt. */
  answerTimeoutMs: number;
  log?: (message: string) => void;
}

export interface Notifier {
  send(event: NotificationEvent): string;
  /** Builds the envelope (id, create_time, encrypted resource) and its signing headers without sending it. */
  build(event: Omit<NotificationEvent, 'url' | 'subject'>, id?: string): { id: string; body: string; headers: Record<string, string> };
  attempts(): DeliveryAttempt[];
  /** Resolves when no notification is in flight or waiting for a retry. */
  idle(): Promise<void>;
  close(): void;
}

export function createNotifier(options: NotifierOptions): Notifier {
  const log: DeliveryAttempt[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const controllers = new Set<AbortController>();
  let pending = 0;
  let idleWaiters: (() => void)[] = [];
  let closed = false;

  function settle(): void {
    if (closed) return;
    pending -= 1;
    if (pending === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  function build(event: Omit<NotificationEvent, 'url' | 'subject'>, id: string = randomUUID()) {
    const now = options.now();
    const envelope = {
      id,
      create_time: rfc3339Beijing(now),
      resource_type: 'encrypt-resource',
      event_type: event.eventType,
      summary: event.summary,
      resource: { original_type: event.originalType, ...encryptForMerchant(event.plaintext ?? JSON.stringify(event.resource), options.apiV3Key, event.originalType) },
    };
    const body = JSON.stringify(envelope);
    return { id, body, headers: { 'Content-Type': 'application/json', ...signingHeaders(options.platform(), body, now) } };
  }

  async function attempt(event: NotificationEvent, id: string, body: string, number: number): Promise<void> {
    if (closed) return settle();
    // Each attempt is signed afresh: a retry hours later must not look stale.
    const headers = { 'Content-Type': 'application/json', ...signingHeaders(options.platform(), body, options.now()) };
    const record: DeliveryAttempt = { notificationId: id, eventType: event.eventType, subject: event.subject, url: event.url, attempt: number, at: options.now(), headers, body };
    const controller = new AbortController();
    controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), options.answerTimeoutMs);
    try {
      const response = await fetch(event.url, { method: 'POST', headers, body, signal: controller.signal });
      await response.arrayBuffer().catch(() => undefined);
      record.status = response.status;
    } catch {
      record.error = controller.signal.aborted ? 'timeout' : 'network';
    } finally {
      clearTimeout(timer);
      controllers.delete(controller);
    }
    log.push(record);
    const delivered = record.status !== undefined && record.status >= 200 && record.status < 300;
    const delaySeconds = WECHAT_NOTIFY_RETRY_SECONDS[number - 1];
    if (delivered || delaySeconds === undefined || closed) {
      if (!delivered) options.log?.(`notification ${id} (${event.eventType} ${event.subject}) given up after ${number} attempts`);
      return settle();
    }
    const retry = setTimeout(() => {
      timers.delete(retry);
      void attempt(event, id, body, number + 1);
    }, delaySeconds * 1000 * options.retryScale);
    timers.add(retry);
  }

  return {
    send(event) {
      const { id, body } = build(event);
      pending += 1;
      void attempt(event, id, body, 1);
      return id;
    },
    build,
    attempts: () => [...log],
    idle: () => (pending === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const controller of controllers) controller.abort();
      pending = 0;
      for (const wake of idleWaiters) wake();
      idleWaiters = [];
    },
  };
}

const beijing = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** `2026-11-29T09:00:05+08:00`, the form WeChat uses for every time it sends. */
export function rfc3339Beijing(instant: Date): string {
  return beijing.format(instant).replace(' ', 'T') + '+08:00';
}
