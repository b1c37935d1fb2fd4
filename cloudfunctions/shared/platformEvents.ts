// Events only the platform may send (timer triggers, HTTP access), and how a function tells them from a caller dressed up as one.
import { CLIENT_SOURCE, TIMER_SOURCE, type PlatformCall } from './identity';

/**
 * An HTTP-triggered call (cloud functions' HTTP access; the local host's /http/<function>/...):
 * the raw request, so a signature can be checked on the exact bytes that were sent.
 */
export interface HttpEvent {
  httpMethod: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: string;
  isBase64Encoded?: boolean;
}

export const isHttpEvent = (event: unknown): event is HttpEvent =>
  typeof event === 'object' && event !== null && typeof (event as HttpEvent).httpMethod === 'string' && typeof (event as HttpEvent).path === 'string';

const isTimerShaped = (event: unknown): boolean => typeof event === 'object' && event !== null && (event as { Type?: unknown }).Type === 'Timer';

/** What a timer trigger's event holds in WeChat cloud (SCF): nothing else. */
const TIMER_FIELDS = new Set(['Type', 'TriggerName', 'Time', 'Message']);

/** SOURCE origins that mean a person's app made the call (the mini program, DevTools, WeChat's crawler). */
const CLIENT_ORIGINS = new Set([CLIENT_SOURCE, 'wx_devtools', 'wx_localdebug', 'wx_crawler']);

export type PlatformEventCheck =
  | { shape: 'timer'; refused: false; triggerName: string }
  | { shape: 'http'; refused: false }
  | { shape: 'timer' | 'http'; refused: true };

/**
 * undefined for an ordinary action call. A timer event is accepted only with no caller identity, no HTTP
 * fields and a SOURCE that is the timer trigger's (or none at all: only the platform's own tools invoke a
 * function without one, and the local host marks every call it passes on); an HTTP event only with no caller
 * identity and a SOURCE that is not a client's, and only by a function that has HTTP access. Anything else
 * shaped like either is refused, never run as an action: a client could otherwise run the hospital's timers.
 */
export function checkPlatformEvent(event: unknown, call: PlatformCall, options: { http: boolean }): PlatformEventCheck | undefined {
  const origin = call.source?.split(',')[0];
  if (isHttpEvent(event) || (typeof event === 'object' && event !== null && 'httpMethod' in event)) {
    const accepted = options.http && isHttpEvent(event) && !isTimerShaped(event) && !call.identity && !(origin && (CLIENT_ORIGINS.has(origin) || origin === TIMER_SOURCE));
    return accepted ? { shape: 'http', refused: false } : { shape: 'http', refused: true };
  }
  if (!isTimerShaped(event)) return undefined;
  const fields = event as Record<string, unknown>;
  const accepted =
    !call.identity &&
    (call.source === undefined || call.source === TIMER_SOURCE) &&
    typeof fields.TriggerName === 'string' &&
    Object.keys(fields).every((key) => TIMER_FIELDS.has(key));
  return accepted ? { shape: 'timer', refused: false, triggerName: fields.TriggerName as string } : { shape: 'timer', refused: true };
}
