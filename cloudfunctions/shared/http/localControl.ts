// Who may drive a local stand-in's unsigned control API: a developer's curl or a test on the same
// machine, never another machine and never a web page. A browser always sends `Origin` on a
// cross-site POST (and could reach 127.0.0.1 through DNS rebinding), so any Origin is refused; the
// answers never carry Access-Control-Allow-Origin, so no page can read them either.
import type { IncomingMessage } from 'node:http';

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4 === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** Why this request may not use the control API, or undefined when it may. */
export function localControlRefusal(request: IncomingMessage): string | undefined {
  if (!isLoopbackAddress(request.socket.remoteAddress)) return 'the control API answers callers on this machine only';
  if (request.headers.origin !== undefined) return 'the control API does not answer web pages';
  return undefined;
}
