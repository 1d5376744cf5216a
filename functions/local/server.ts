/**
 * The local HTTP adapter: turns requests under /api/ into API Gateway v2 events for the same
 * handlers Lambda runs, and serves the built web app and channels.json with the production
 * security headers. It records nothing about who connects.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from '../../shared/http/headers.ts';
import type { HttpEvent, HttpHandler } from '../http.ts';
import { matchRoute, type FunctionName } from '../routes.ts';

/** Hard cap before any handler runs; handlers enforce their own, smaller limits. */
export const MAX_REQUEST_BYTES = 1024 * 1024;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export interface LocalServerOptions {
  handlers: Record<FunctionName, HttpHandler>;
  /** Folder of the built web app (`web/dist`). */
  webRoot: string;
  /** Body of `/channels.json`: what the web app encrypts to. */
  channelsJson: string;
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, body: unknown) =>
  send(res, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, JSON.stringify(body));

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

async function api(options: LocalServerOptions, req: IncomingMessage, res: ServerResponse, path: string) {
  const method = req.method ?? 'GET';
  const match = matchRoute(method, path);
  if (!match) return sendJson(res, 404, { error: { code: 'no-route', message: `There is no ${method} ${path}.` } });
  const body = await readBody(req);
  if (body === null) {
    return sendJson(res, 413, { error: { code: 'too-large', message: `The request is too large (at most ${MAX_REQUEST_BYTES / 1024} KB).` } });
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
  const event: HttpEvent = {
    version: '2.0',
    routeKey: `${match.route.method} ${match.route.path}`,
    rawPath: path,
    headers,
    pathParameters: match.params,
    body: body.toString('utf8'),
    isBase64Encoded: false,
    // No sourceIp and no userAgent: the local adapter does not pass on what AWS would not log either.
    requestContext: { http: { method, path } },
  };
  const result = await options.handlers[match.route.fn](event);
  send(res, result.statusCode, result.headers, result.body);
}

async function staticFile(options: LocalServerOptions, res: ServerResponse, path: string) {
  if (path === '/channels.json') {
    return send(res, 200, { 'content-type': TYPES['.json']!, 'cache-control': 'no-cache' }, options.channelsJson);
  }
  const root = normalize(options.webRoot + sep);
  // Paths without an extension are app pages: the app decides what to show.
  const relative = extname(path) ? path : '/index.html';
  const file = normalize(join(root, relative));
  if (!file.startsWith(root)) return send(res, 404, { 'content-type': TYPES['.txt']! }, 'Not found');
  try {
    const body = await readFile(file);
    const cache = relative.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
    send(res, 200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': cache }, body);
  } catch {
    if (relative === '/index.html') {
      return send(res, 503, { 'content-type': TYPES['.txt']! }, 'The web app is not built yet: run `npm run build:web`.');
    }
    send(res, 404, { 'content-type': TYPES['.txt']! }, 'Not found');
  }
}

export function createLocalServer(options: LocalServerOptions): Server {
  return createServer((req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return sendJson(res, 400, { error: { code: 'bad-path', message: 'The address is not valid.' } });
    }
    const work = path.startsWith('/api/') ? api(options, req, res, path) : staticFile(options, res, path);
    work.catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Something went wrong on our side.' } });
      else res.destroy();
    });
  });
}
