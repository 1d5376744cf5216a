/**
 * The local HTTP adapter: turns requests under /api/ into API Gateway v2 events for the same
 * handlers Lambda runs, and serves the built web app and channels.json with the production
 * security headers. It records nothing about who connects.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { SECURITY_HEADERS } from '../../shared/http/headers.ts';
import type { HttpEvent, HttpHandler } from '../http.ts';
import { matchRoute, type FunctionName } from '../routes.ts';
import { PresignRefused, verifyPresigned, type SigningIdentity } from './presigned.ts';
import { PART_NUMBER, UPLOAD_ID } from './s3.ts';

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

/** What keeps idle or slow clients from holding the server's file descriptors. */
export interface ConnectionLimits {
  /** A connection that sends or receives nothing for this long is closed. @default 30 000 */
  idleMs: number;
  /** The whole request, headers and body, must arrive within this time. @default 120 000 */
  requestMs: number;
  /** Connections beyond this many are refused. @default 1024 */
  maxConnections: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = { idleMs: 30_000, requestMs: 120_000, maxConnections: 1024 };

/** Failures the tests switch on, to see uploads recover. */
export interface FileFaults {
  /** The next this-many part uploads answer 503. */
  failParts: number;
}

export interface LocalServerOptions {
  handlers: Record<FunctionName, HttpHandler>;
  /** Folder of the built web app (`web/dist`). */
  webRoot: string;
  /** Body of `/channels.json`: what the web app encrypts to. */
  channelsJson: string;
  /** Body of `/per-post.txt`: the paper route (shared/config/schema.ts `paperText`). */
  paperText: string;
  limits?: Partial<ConnectionLimits>;
  /** The bucket behind `/files/` (s3rver on `socketPath`), as CloudFront routes it to S3 in AWS, and what its URLs are signed with. */
  files?: { socketPath: string; bucket: string; signing: SigningIdentity; faults: FileFaults };
}

/** Largest part body passed on (the config's largest part size). */
const MAX_PART_BYTES = 64 * 1024 * 1024;
const FILE_PATH = /^\/files\/[0-9A-Z]{16}\/[A-Za-z0-9_-]{22}$/;
const RANGE = /^bytes=\d{1,15}-\d{0,15}$/;

/** The query a presigned URL of each operation the product issues carries besides its signature. */
function operation(method: string, params: Map<string, string>): { query: string } | { refused: string } {
  const names = [...params.keys()].sort().join(',');
  if (method === 'GET') return names === 'x-id' && params.get('x-id') === 'GetObject' ? { query: '' } : { refused: 'Only file downloads are allowed here.' };
  if (names !== 'partNumber,uploadId,x-id' || params.get('x-id') !== 'UploadPart') return { refused: 'Only file part uploads are allowed here.' };
  const part = params.get('partNumber')!;
  const upload = params.get('uploadId')!;
  if (!PART_NUMBER.test(part) || !UPLOAD_ID.test(upload)) return { refused: 'Not a valid upload address.' };
  return { query: `?partNumber=${part}&uploadId=${upload}` };
}

/**
 * `/files/...`: presigned part uploads (PUT) and downloads (GET), as S3 checks them: the SigV4
 * signature and expiry, and only the two operations the product issues. Then the request goes to
 * the bucket rebuilt from checked values alone, with no header that could identify anyone.
 */
async function files(options: NonNullable<LocalServerOptions['files']>, req: IncomingMessage, res: ServerResponse, url: URL) {
  const refuse = (status: number, message: string) => {
    req.resume();
    send(res, status, { 'content-type': TYPES['.txt']!, connection: 'close' }, message);
  };
  if (req.method !== 'GET' && req.method !== 'PUT') return refuse(405, 'Only GET and PUT are allowed here.');
  if (!FILE_PATH.test(url.pathname)) return refuse(403, 'Not a valid file address.');
  let params: Map<string, string>;
  try {
    params = await verifyPresigned(options.signing, req.method, `/${options.bucket}${url.pathname}`, url.searchParams);
  } catch (e) {
    if (e instanceof PresignRefused) return refuse(403, e.message);
    throw e;
  }
  const op = operation(req.method, params);
  if ('refused' in op) return refuse(403, op.refused);
  const headers: Record<string, string> = {};
  if (req.method === 'PUT') {
    const length = req.headers['content-length'];
    if (length === undefined || !/^\d{1,12}$/.test(length)) return refuse(411, 'An upload part must say its length.');
    if (Number(length) > MAX_PART_BYTES) return refuse(413, 'An upload part is too large.');
    headers['content-length'] = length;
    if (options.faults.failParts > 0) {
      options.faults.failParts--;
      return refuse(503, 'This part failed on purpose (test fault); send it again.');
    }
  } else if (typeof req.headers.range === 'string') {
    if (!RANGE.test(req.headers.range)) return refuse(416, 'Only one byte range can be asked for.');
    headers.range = req.headers.range;
  }
  const upstream = request({ socketPath: options.socketPath, path: `/${options.bucket}${url.pathname}${op.query}`, method: req.method, headers }, (answer) => {
    const status = answer.statusCode ?? 502;
    if (status >= 400) {
      answer.resume();
      if (status === 404) return refuse(404, req.method === 'PUT' ? 'This upload is finished or was never started.' : 'There is no such file.');
      if (status === 416) return refuse(416, 'That byte range is not in the file.');
      // What a client sent that storage refused is the client's to fix, not a server fault.
      if (status < 500) return refuse(400, 'File storage did not accept this request.');
      return refuse(502, 'File storage did not accept this; try again.');
    }
    const passed: Record<string, string> = { 'cache-control': 'no-store', 'content-type': 'application/octet-stream' };
    for (const name of ['etag', 'content-length', 'content-range', 'accept-ranges']) if (typeof answer.headers[name] === 'string') passed[name] = answer.headers[name];
    res.writeHead(status, { ...SECURITY_HEADERS, ...passed });
    answer.pipe(res);
  });
  // A client that stops reading (or sending) midway must not leave the storage connection stalled:
  // enough of those would hold the bucket's connections and file descriptors for good.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  upstream.on('error', () => (res.headersSent ? res.destroy() : refuse(502, 'File storage is not reachable.')));
  req.pipe(upstream);
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
  if (path === '/per-post.txt') return send(res, 200, { 'content-type': TYPES['.txt']!, 'cache-control': 'no-cache' }, options.paperText);
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
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const server = createServer(
    {
      requestTimeout: limits.requestMs,
      headersTimeout: Math.min(limits.requestMs, 20_000),
      keepAliveTimeout: Math.min(limits.idleMs, 5_000),
      connectionsCheckingInterval: Math.min(limits.idleMs, 1_000),
    },
    (req, res) => {
      // API paths stay percent-encoded, as API Gateway's rawPath does; routes decode their parameters once.
      let raw: string;
      try {
        raw = new URL(req.url ?? '/', 'http://localhost').pathname;
      } catch {
        return sendJson(res, 400, { error: { code: 'bad-path', message: 'The address is not valid.' } });
      }
      let work: Promise<void>;
      if (raw.startsWith('/files/') && options.files) work = files(options.files, req, res, new URL(req.url ?? '/', 'http://localhost'));
      else if (raw.startsWith('/api/')) work = api(options, req, res, raw);
      else if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(res, 405, { 'content-type': TYPES['.txt']!, allow: 'GET, HEAD' }, 'Only GET and HEAD are allowed here.');
      } else {
        let path: string;
        try {
          path = decodeURIComponent(raw);
        } catch {
          return send(res, 400, { 'content-type': TYPES['.txt']! }, 'The address is not valid.');
        }
        work = staticFile(options, res, path);
      }
      work.catch(() => {
        if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'Something went wrong on our side.' } });
        else res.destroy();
      });
    },
  );
  server.maxConnections = limits.maxConnections;
  // Without this an idle connection is kept forever (Node's default): enough of them exhaust the file descriptors.
  server.setTimeout(limits.idleMs, (socket) => socket.destroy());
  return server;
}
