/**
 * aws-ses-v2-local: a local SES whose web page shows every mail sent.
 *
 * Its SES API takes mail from anyone and checks no signature, and one plain GET
 * (`/get-emlContent` without a known message id) threw after answering and ended the whole
 * process. So the API is served on a private socket (functions/local/sockets.ts) for the stack's
 * own client, and the TCP port serves only what the mail page itself asks for, to that page
 * alone: not to another site's page (Sec-Fetch-Site, Origin), nor under another name for
 * 127.0.0.1 (Host: a name pointed there by DNS rebinding).
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import sesLocal from 'aws-ses-v2-local';
import { getStoreReadonly } from 'aws-ses-v2-local/dist/store.js';
import { SDK_OPTIONS } from '../sdk.ts';
import { socketHandler } from './sockets.ts';

export interface LocalMail {
  client: SESClient;
  /** The web view of sent mail; `${url}/store` lists it as JSON. */
  url: string;
  /** Where the SES API listens. */
  socketPath: string;
  stop(): Promise<void>;
}

const listen = (server: Server, at: { path: string } | { port: number; host: string }) =>
  new Promise<void>((resolve, reject) => server.once('error', reject).listen(at, () => resolve()));
const close = (server: Server) => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
};

/** What the mail page asks for: itself, the list, one mail as .eml, and emptying the list (from the page only). */
function allowedForPage(req: IncomingMessage, url: URL, origin: string): string | null {
  const hosts = [origin.slice('http://'.length), origin.replace('127.0.0.1', 'localhost').slice('http://'.length)];
  if (!hosts.includes(req.headers.host ?? '')) return 'Only http://127.0.0.1 may be used for this address.';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'Only the mail page itself may ask this.';
  const from = req.headers.origin;
  if (from !== undefined && !hosts.some((h) => from === `http://${h}`)) return 'Only the mail page itself may ask this.';
  const read = req.method === 'GET' || req.method === 'HEAD';
  if (read && (url.pathname === '/' || url.pathname === '/store')) return null;
  if (read && url.pathname === '/get-emlContent') {
    const ids = url.searchParams.getAll('messageId');
    const known = getStoreReadonly().emails.some((e) => e.messageId === ids[0]);
    return ids.length === 1 && known ? null : 'There is no such mail.';
  }
  if (req.method === 'POST' && url.pathname === '/clear-store' && from !== undefined) return null;
  return 'The mail page does not offer this.';
}

export async function startSesLocal(port: number, socketPath: string): Promise<LocalMail> {
  // The package is CommonJS; from ESM its function sits on `.default` (STACK-NOTES).
  const start = ((sesLocal as unknown as { default?: typeof sesLocal }).default ?? sesLocal) as typeof sesLocal;
  // It can only listen on TCP: it starts on a passing port, and its handler moves to the two servers below.
  const own = await start({ host: '127.0.0.1', port: 0 });
  const app = own.listeners('request')[0] as RequestListener;
  await close(own);
  const api = createServer(app);
  await listen(api, { path: socketPath });
  const page = createServer((req: IncomingMessage, res: ServerResponse) => {
    let refused: string | null;
    try {
      refused = allowedForPage(req, new URL(req.url ?? '/', 'http://localhost'), origin);
    } catch {
      refused = 'The address is not valid.';
    }
    if (refused === null) return app(req, res);
    req.resume();
    res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(refused);
  });
  await listen(page, { port, host: '127.0.0.1' }).catch(async (e: unknown) => {
    await close(api);
    throw e;
  });
  const origin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  const client = new SESClient({
    ...SDK_OPTIONS,
    endpoint: 'http://localhost',
    requestHandler: socketHandler(socketPath),
    region: 'eu-west-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    url: origin,
    socketPath,
    stop: async () => {
      client.destroy();
      await Promise.all([close(page), close(api)]);
    },
  };
}
