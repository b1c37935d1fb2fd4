// Small pieces every HTTP server and client here needs: a size-capped body, lenient JSON, and
// listening on a port to learn its origin (the local host and the HIS and WeChat Pay stand-ins).
import type { IncomingMessage, Server } from 'node:http';

/** The request body as text, or undefined when it is larger than `maxBytes` (it is read to the end either way). */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > maxBytes ? undefined : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** The parsed JSON, or undefined for an empty or malformed text. */
export function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Listens on `port` (0 = any free one) and returns the server's origin, e.g. http://127.0.0.1:43121. */
export async function listen(server: Server, port: number, host: string, what: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error(`${what} did not get a TCP port`);
  const name = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${name}:${address.port}`;
}
