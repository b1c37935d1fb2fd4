// Serves the H5 build; unknown paths fall back to index.html so deep links open the app.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export async function serveStatic(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://local').pathname);
  let file = path.join(root, pathname);
  // path.join normalises "..": anything that escapes the root is treated as unknown.
  if (!file.startsWith(root + path.sep) || !(await isFile(file))) file = path.join(root, 'index.html');
  if (!(await isFile(file))) {
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('H5 页面还没有构建，请先运行 npm run build:h5。');
    return;
  }
  const extension = path.extname(file);
  response.writeHead(200, {
    'content-type': TYPES[extension] ?? 'application/octet-stream',
    'cache-control': extension === '.html' ? 'no-cache' : 'public, max-age=3600',
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file).pipe(response);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
