/**
 * The desk as one program with Node inside (officer/executables.ts). The Linux program runs here
 * with no `node` on PATH: with no arguments it starts the desk on its setup page and opens the
 * browser on a local file (never the secret address on a command line). The Windows program is
 * checked for its structure: a PE file whose fuse is flipped and which carries the blob.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExecutables, SEA_FUSE, type Built } from '../officer/executables.ts';
import { launchChromium } from './support/browser.ts';
import { fileReport } from './support/reports.ts';
import { startStack } from './support/stack.ts';

const work = mkdtempSync(join(tmpdir(), 'meldpunt-program-'));
let built: Built[];
beforeAll(async () => {
  built = await buildExecutables(join(work, 'dist'), ['linux-x64', 'win-x64']);
}, 300_000);
const children: Array<ReturnType<typeof spawn>> = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

const fileOf = (platform: string) => built.find((b) => b.platform === platform)!.file;

describe('the desk program', () => {
  it('on Linux, with no node on PATH and no arguments, starts the desk on its setup page and opens the browser', async () => {
    // PATH holds only a stand-in for xdg-open that writes down what it was asked to open.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const opened = join(work, 'opened.txt');
    writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$@" > ${opened}\n`);
    chmodSync(join(bin, 'xdg-open'), 0o755);
    const home = join(work, 'home');
    mkdirSync(home);
    const started = Date.now();
    const child = spawn(fileOf('linux-x64'), [], { env: { PATH: bin, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c));
    const url = await new Promise<string>((ok, fail) => {
      child.stdout.on('data', (c: Buffer) => {
        output += c;
        const m = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\//.exec(output);
        if (m) ok(m[0]);
      });
      child.on('exit', () => fail(new Error(`the program stopped: ${output}`)));
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`desk program: address printed ${seconds.toFixed(2)} s after start`);
    expect(await (await fetch(`${url}api/state`)).json()).toEqual({ locked: true, setup: true });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('<desk-app>');
    // Its settings go to the user's own application data.
    expect(output).toContain(join(home, '.config', 'meldpunt-bureau'));
    // The browser was opened on a local redirect file, not on the address with its secret.
    await expect.poll(() => readFileSync(opened, 'utf8').trim(), { timeout: 5000 }).toMatch(/^file:\/\//);
    expect(readFileSync(opened, 'utf8')).not.toContain(new URL(url).pathname.slice(1, -1));
    child.kill();
  }, 60_000);

  it('from a start with no arguments to a decrypted case, in the browser only: setup, key, sheet, list, case', async () => {
    const stack = await startStack();
    const browser = await launchChromium();
    try {
      const { caseId } = await fileReport(stack, 'Het programma opent deze melding.');
      const home = join(work, 'home2');
      mkdirSync(home);
      const child = spawn(fileOf('linux-x64'), [], { env: { PATH: '/nonexistent', HOME: home }, stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(child);
      let output = '';
      const url = await new Promise<string>((ok) =>
        child.stdout.on('data', (c: Buffer) => {
          output += c;
          const m = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\//.exec(output);
          if (m) ok(m[0]);
        }),
      );
      const keyFile = join(work, 'officier.private.asc');
      writeFileSync(keyFile, stack.officer.privateKey);
      const page = await browser.newPage();
      await page.goto(url);
      await page.fill('#address', stack.url);
      await page.keyboard.press('Enter');
      await page.check('input[name="mode"][value="existing"]');
      await page.setInputFiles('#key-file', keyFile);
      await page.fill('#key-passphrase', stack.officer.passphrase);
      await page.click('desk-setup button[type="submit"]');
      await page.click('desk-handover button.primary');
      await page.click(`a[href="#/case/${caseId}"]`, { timeout: 30_000 });
      await page.waitForSelector('desk-message');
      expect(await page.textContent('desk-case-view')).toContain('Het programma opent deze melding.');
      expect(await page.textContent('verified-badge')).toContain('ECHT');
      // The key was saved locked, in the user's own application data.
      expect(readFileSync(join(home, '.config', 'meldpunt-bureau', 'sleutel.private.asc'), 'utf8')).toContain('PRIVATE KEY BLOCK');
      // "Bureau afsluiten" ends the program: no window or terminal needed to stop it.
      const exited = new Promise((ok) => child.on('exit', ok));
      await page.click('button.quit');
      await page.waitForSelector('text=Het bureau is afgesloten');
      expect(await exited).toBe(0);
    } finally {
      await browser.close();
      await stack.stop();
    }
  }, 120_000);

  it('on Linux, with arguments, is the whole tool', async () => {
    const child = spawn(fileOf('linux-x64'), ['help'], { env: { PATH: '/nonexistent' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    expect(await new Promise((ok) => child.on('exit', ok))).toBe(0);
    expect(out).toContain('meldpunt-bureau <command> [options]');
  });

  it('for Windows, is a PE program with the blob injected and its fuse flipped', () => {
    const exe = readFileSync(fileOf('win-x64'));
    expect(exe.subarray(0, 2).toString('latin1')).toBe('MZ');
    const pe = exe.readUInt32LE(0x3c);
    expect(exe.subarray(pe, pe + 4).toString('latin1')).toBe('PE\0\0');
    expect(exe.readUInt16LE(pe + 4)).toBe(0x8664); // x64
    expect(exe.includes(`${SEA_FUSE}:1`)).toBe(true);
    expect(exe.includes(`${SEA_FUSE}:0`)).toBe(false);
    expect(exe.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
    expect(exe.includes('Het bureau draait op')).toBe(true);
  });
});
