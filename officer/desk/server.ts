/**
 * The desk's web server: loopback only, one session secret in every path, its own Host only, strict
 * CSP. The private key and everything decrypted stay in this process; the page only shows them.
 * After `idleMs` without use it locks: the unlocked key and the decrypted cases are dropped, and the
 * passphrase is needed again.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, rmSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deskApi, DeskError, type Desk } from './api.ts';
import { CliError } from '../errors.ts';
import type { Assets } from './assets.ts';

export const DESK_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = {
  'content-security-policy': DESK_CSP,
  'x-content-type-options': 'nosniff',
  // The secret is in the address: it must never travel in a Referer.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
};

export interface DeskOptions {
  /** The desk's state; its `key` is dropped on lock and set again on unlock. */
  desk: Desk;
  assets: Assets;
  /** @default 0: a free port */
  port?: number;
  /** @default 15 minutes */
  idleMs?: number;
  /** After "Bureau afsluiten" has closed the desk (the program ends here; a test's desk only closes). */
  onQuit?: () => void;
}

export interface RunningDesk {
  /** The address to open, secret included. */
  url: string;
  port: number;
  secret: string;
  server: Server;
  close(): Promise<void>;
}

const send = (res: ServerResponse, status: number, type: string, body: string | Uint8Array, extra: Record<string, string> = {}) => {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
};

/** A scratch file, streamed (never whole in memory), then deleted whatever happens to the connection. */
function sendFile(res: ServerResponse, status: number, type: string, path: string, extra: Record<string, string> = {}) {
  const remove = () => rmSync(path, { force: true });
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(statSync(path).size), ...extra });
  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  stream.on('close', remove);
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

const refuse = (res: ServerResponse, status: number, message: string) => send(res, status, 'text/plain; charset=utf-8', message);

export async function startDesk(options: DeskOptions): Promise<RunningDesk> {
  const secret = randomBytes(24).toString('base64url');
  const idleMs = options.idleMs ?? 15 * 60_000;
  const state = options.desk;
  let idle: NodeJS.Timeout | undefined;
  const lock = () => {
    if (state.key && 'close' in state.key) (state.key as { close(): void }).close();
    state.key = null;
    state.client = null;
    state.cases.clear();
  };
  const touch = () => {
    clearTimeout(idle);
    if (state.key) idle = setTimeout(lock, idleMs).unref();
  };
  touch();
  // "Bureau afsluiten": the answer goes out first, then the desk closes (and the program ends).
  const quit = () => setTimeout(() => void running.close().then(() => options.onQuit?.()), 100);
  const api = deskApi(state, { lock, touch, quit });
  let origin = '';

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    try {
      // A page elsewhere can point a name it controls at 127.0.0.1 (DNS rebinding): only our own Host passes.
      if (req.headers.host !== origin.slice('http://'.length)) return refuse(res, 421, 'This desk answers only at its own address.');
      const [, given, ...rest] = (req.url ?? '/').split('?')[0]!.split('/');
      const ok = given !== undefined && given.length === secret.length && timingSafeEqual(Buffer.from(given), Buffer.from(secret));
      if (!ok) return refuse(res, 403, 'Open the desk with the address it printed when it started (it holds the session secret).');
      const site = req.headers['sec-fetch-site'];
      if (site && site !== 'same-origin' && site !== 'none') return refuse(res, 403, 'Requests from other sites are refused.');
      const path = rest.join('/');
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers.origin !== origin) return refuse(res, 403, 'Requests from other sites are refused.');
      if (path.startsWith('api/')) {
        const answer = await api(req, path.slice(4), new URL(req.url!, origin).searchParams);
        if (answer.file) return sendFile(res, answer.status, answer.type, answer.file, answer.headers);
        return send(res, answer.status, answer.type, answer.body, answer.headers);
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
      const asset = options.assets.get(path || 'index.html');
      if (!asset) return refuse(res, 404, 'Not found.');
      return send(res, 200, asset.type, asset.body);
    } catch (error) {
      if (error instanceof DeskError) return send(res, error.status, 'application/json', JSON.stringify({ error: error.message, code: error.code }));
      // The site refused or did not answer: the tool's own words for it, made to be read.
      if (error instanceof CliError) return send(res, 502, 'application/json', JSON.stringify({ error: error.message }));
      // Never the error's content: it may quote decrypted text.
      console.error('desk: unexpected error', error instanceof Error ? error.name : typeof error);
      if (!res.headersSent) send(res, 500, 'application/json', JSON.stringify({ error: 'Something went wrong in the desk. Try again; if it keeps happening, restart the desk.' }));
    }
  });
  server.requestTimeout = 0; // uploads of large files take their time; the socket is loopback only
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  const running: RunningDesk = {
    url: `${origin}/${secret}/`,
    port,
    secret,
    server,
    close: () =>
      new Promise<void>((ok) => {
        clearTimeout(idle);
        lock();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
  return running;
}
