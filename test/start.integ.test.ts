/**
 * `npm start`'s entry point as a person meets it: the first start makes demo keys and says so, the
 * officer tool then works with no flags, and a broken config or data folder stops start-up naming what is wrong.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const home = mkdtempSync(join(tmpdir(), 'meldpunt-start-'));
const PORT = 18200 + Math.floor(Math.random() * 500);
let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
});

const env = (extra: Record<string, string>) => ({ ...process.env, MELDPUNT_HOME: home, MELDPUNT_CONFIG: '', ...extra });
/** A start that is expected to end by itself: its exit status and what it wrote to stderr. */
const startOnce = (extra: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], { cwd: root, env: env(extra), encoding: 'utf8', timeout: 60_000 });

describe('npm start', () => {
  it('first start: demo keys, a loud warning, and the addresses to use', async () => {
    server = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
      cwd: root,
      env: env({ PORT: String(PORT), MAIL_PORT: String(PORT + 1) }),
    });
    let output = '';
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300 && !output.includes('officer -- show'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain(`http://127.0.0.1:${PORT}/`);
    expect(output).toContain(`http://127.0.0.1:${PORT + 1}/`);
    expect(output).toMatch(/DEMO KEYS.*Never use them for real reports/);
    expect(output).toContain(join(home, 'demo', 'officer.private.asc'));
    // The command it gives works as given: with the same MELDPUNT_HOME, or the tool finds no key.
    expect(output).toContain(`MELDPUNT_HOME=${home} npm run officer -- cases`);
    expect((await fetch(`http://127.0.0.1:${PORT}/api/health`)).status).toBe(200);
  });

  it('the officer tool finds it with no flags, on another PORT, on the demo key', () => {
    const run = spawnSync(process.execPath, ['officer/bin.js', 'cases'], { cwd: root, env: env({}), encoding: 'utf8' });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('No cases.');
  });

  it('the officer tool says what is wrong, without a stack trace', () => {
    const run = spawnSync(process.execPath, ['officer/bin.js', 'show'], { cwd: root, env: env({ MELDPUNT_API: `http://127.0.0.1:${PORT}` }), encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('show needs a CASE id');
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('the officer tool takes a relative key path from where npm was called', () => {
    const run = spawnSync(process.execPath, ['officer/bin.js', 'cases', '--key', join('demo', 'clb.private.asc')], {
      cwd: root,
      env: env({ INIT_CWD: home }),
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('No cases.');
  });

  it('a later start on the same demo keys warns again', async () => {
    server!.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
    server = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
      cwd: root,
      env: env({ PORT: String(PORT), MAIL_PORT: String(PORT + 1) }),
    });
    let output = '';
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    for (let i = 0; i < 300 && !output.includes('officer -- show'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('DEMO KEYS in use');
    expect(output).toContain('Never use them for real reports');
  });

  it('a broken config stops start-up with a message naming the entry', () => {
    const config = JSON.parse(readFileSync(join(home, 'meldpunt.config.json'), 'utf8'));
    config.channels[0].recipients[0].publicKey = 'not a key';
    const file = join(home, 'broken.config.json');
    writeFileSync(file, JSON.stringify(config));
    const run = startOnce({ MELDPUNT_CONFIG: file, PORT: String(PORT + 2), MAIL_PORT: String(PORT + 3) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Meldpunt cannot start');
    expect(run.stderr).toContain('channels[0].recipients[0].publicKey: not an armored OpenPGP public key');
  });

  it('a data folder that is a file stops start-up with a message naming it, not a stack trace', () => {
    const file = join(home, 'not-a-folder');
    writeFileSync(file, 'x');
    const run = startOnce({ MELDPUNT_HOME: file, PORT: String(PORT + 4), MAIL_PORT: String(PORT + 5) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(`Meldpunt cannot start: it keeps its data in ${file} (MELDPUNT_HOME to change), but cannot use ${file}: a file is in the way of a folder.`);
    expect(run.stderr).not.toContain('    at ');
  });
});
