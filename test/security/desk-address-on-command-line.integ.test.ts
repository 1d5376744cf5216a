/**
 * Attack: the desk opened the browser with `xdg-open <address with the secret>`. Every local user
 * can read that in `/proc/*\/cmdline`, and the browser keeps it on its own command line for its
 * whole life. Now the browser is opened on a redirect file only the user can read.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDesk } from '../../officer/desk/open.ts';
import { unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-open-'));
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('the desk opening the browser', () => {
  it('puts no secret on any command line, only the path of a file the user alone can read', async () => {
    // A stand-in for the system's opener that writes down the command line it was given.
    const bin = join(work, 'bin');
    const argv = join(work, 'argv');
    mkdirSync(bin);
    for (const name of ['xdg-open', 'open']) {
      writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$0" "$@" > '${argv}'\n`);
      chmodSync(join(bin, name), 0o755);
    }
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    const key = await unlockPrivateKey(stack.officer.privateKey, stack.officer.passphrase);
    const runtime = join(work, 'runtime');
    const desk = await openDesk({ api: stack.url, key: { key, armored: stack.officer.privateKey }, now: () => new Date(), out: () => undefined, port: 0, open: true, idleMinutes: 5, folder: join(work, 'desk'), runtimeFolder: runtime });
    try {
      for (let i = 0; i < 50 && !existsSync(argv); i++) await new Promise((ok) => setTimeout(ok, 50));
      const given = readFileSync(argv, 'utf8');
      expect(given).not.toContain(desk.secret);
      const fileUrl = given.trim().split('\n').at(-1)!;
      expect(fileUrl).toMatch(/^file:\/\//);
      const file = fileURLToPath(fileUrl);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(runtime).mode & 0o777).toBe(0o700);
      // The file sends the browser on to the desk, secret and all.
      const target = /url=([^"]+)"/.exec(readFileSync(file, 'utf8'))![1]!.replace(/&#38;/g, '&');
      expect(target).toBe(desk.url);
      expect((await fetch(target)).status).toBe(200);
      await desk.close();
      expect(existsSync(file)).toBe(false);
    } finally {
      process.env.PATH = path;
      await desk.close().catch(() => undefined);
    }
  });
});
