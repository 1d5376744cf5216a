/** The officer's desk against the test stack, as `desk --no-open` starts it, with its folder in a temporary directory. */
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDesk } from '../../officer/desk/open.ts';
import type { RunningDesk } from '../../officer/desk/server.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import type { Identity, TestStack } from './stack.ts';

export interface TestDesk extends RunningDesk {
  folder: string;
  origin: string;
}

export async function startTestDesk(stack: Pick<TestStack, 'url'>, who: Identity, options: { idleMinutes?: number } = {}): Promise<TestDesk> {
  const key = await unlockPrivateKey(who.privateKey, who.passphrase);
  const folder = mkdtempSync(join(tmpdir(), 'meldpunt-desk-folder-'));
  const desk = await openDesk({
    api: stack.url,
    key: { key, armored: who.privateKey },
    now: () => new Date(),
    out: () => undefined,
    port: 0,
    open: false,
    idleMinutes: options.idleMinutes ?? 15,
    folder,
  });
  return Object.assign(desk, { folder, origin: `http://127.0.0.1:${desk.port}` });
}

/** The desk as a double-click starts it: no key given, its settings and key in `folder` (a first run when empty). */
export async function startAppDesk(folder = mkdtempSync(join(tmpdir(), 'meldpunt-desk-app-'))): Promise<TestDesk> {
  const desk = await openDesk({ api: '', app: { folder }, now: () => new Date(), out: () => undefined, port: 0, open: false, idleMinutes: 15, folder: join(folder, 'exports') });
  return Object.assign(desk, { folder, origin: `http://127.0.0.1:${desk.port}` });
}

/** App-mode desks a test file starts (`start`), all closed by `closeAll` in its afterAll. */
export function appDesks() {
  const desks: TestDesk[] = [];
  return {
    start: async (folder?: string) => {
      const desk = await startAppDesk(folder);
      desks.push(desk);
      return desk;
    },
    closeAll: async () => {
      for (const desk of desks.splice(0)) await desk.close();
    },
  };
}

/** A raw request with any headers (fetch will not send a Host of our choosing). */
export function rawRequest(port: number, path: string, given: Record<string, string>, method = 'GET', body = ''): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((ok, fail) => {
    const headers = Object.fromEntries(Object.entries(given).filter(([k, v]) => k !== 'host' || v !== ''));
    // An empty Host is sent as no Host header at all (node would otherwise fill in its own).
    const req = request({ host: '127.0.0.1', port, path, method, headers, setHost: given.host !== '' }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', fail);
    req.end(body);
  });
}
