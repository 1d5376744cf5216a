/**
 * Attack on the officer's side: a site (or whatever answers at its address) that redirects the
 * tool's signed requests elsewhere, never answers, drips its answer, or answers without end. The
 * tool followed redirects, waited for ever and read any answer whole into memory. Now it follows
 * none (the signed request never reaches the other address), stops after its time, stops reading
 * past 16 MB, and says so in a sentence; the desk and `npm run officer` show that sentence.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, OfficerClient } from '../../officer/client.ts';
import { CliError } from '../../officer/errors.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { startStack, type TestStack } from '../support/stack.ts';

async function serve(handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; server: Server }> {
  const server = createServer(handle);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let stack: TestStack;
let elsewhere: { url: string; server: Server };
const reachedElsewhere: string[] = [];
const servers: Server[] = [];
beforeAll(async () => {
  stack = await startStack();
  elsewhere = await serve((req, res) => {
    reachedElsewhere.push(`${req.method} ${req.url} signed=${Object.keys(req.headers).some((h) => h.startsWith('x-meldpunt'))}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"cases":[]}');
  });
  servers.push(elsewhere.server);
});
afterAll(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((ok) => s.close(ok));
  }
  await stack?.stop();
});

const client = async (api: string, ms?: number) => new OfficerClient(api, await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase), undefined, ms);
const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => (e instanceof CliError ? e.message : `not a CliError: ${String(e)}`),
  );

describe('the officer tool, talking to a hostile site', () => {
  it('works against the real one (the control)', async () => {
    expect(Array.isArray(await (await client(stack.url)).list())).toBe(true);
    expect((await (await client(stack.url)).channels()).channels.length).toBeGreaterThan(0);
  });

  it('follows no redirect: the signed request never reaches the other address', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const redirecting = await serve((req, res) => res.writeHead(status, { location: `${elsewhere.url}${req.url}` }).end());
      servers.push(redirecting.server);
      const tool = await client(redirecting.url);
      expect(await refusal(tool.list()), String(status)).toMatch(/follows no redirect/);
      expect(await refusal(tool.channels()), String(status)).toMatch(/follows no redirect/);
    }
    expect(reachedElsewhere).toEqual([]);
  });

  it('stops waiting for a site that does not answer, or drips its answer', async () => {
    const silent = await serve(() => undefined);
    const dripping = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(drip));
    });
    servers.push(silent.server, dripping.server);
    for (const site of [silent, dripping]) {
      const started = Date.now();
      expect(await refusal((await client(site.url, 1000)).list())).toMatch(/did not answer within 1 seconds/);
      expect(Date.now() - started).toBeLessThan(10_000);
    }
  });

  it('stops reading an answer past 16 MB', async () => {
    let sent = 0;
    const endless = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const more = () => {
        while (!res.destroyed && sent < 200 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    servers.push(endless.server);
    expect(await refusal((await client(endless.url)).list())).toMatch(/larger than 16 MB/);
    // It stopped reading: far less than the 200 MB on offer went out.
    await new Promise((r) => setTimeout(r, 200));
    expect(sent).toBeLessThan(MAX_ANSWER_BYTES + 32 * 1024 * 1024);
  });
});
