/**
 * The officer's release file (`npm run build:officer`): one file, run with plain `node` from an
 * empty folder with no node_modules anywhere above it: the command line and the desk both work.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOfficer } from '../officer/build.ts';
import { buildSubmission, post } from './support/reports.ts';
import { startStack, type TestStack } from './support/stack.ts';

const empty = mkdtempSync(join(tmpdir(), 'meldpunt-release-'));
const file = join(empty, 'meldpunt-officer.mjs');
let stack: TestStack;
beforeAll(async () => {
  [stack] = await Promise.all([startStack({ powDifficulty: 0 }), buildOfficer(file)]);
  writeFileSync(join(empty, 'officer.asc'), stack.officer.privateKey);
  writeFileSync(join(empty, 'pass'), stack.officer.passphrase);
  const { body } = await buildSubmission(stack.url, stack.config, { text: 'Gemeld voor de test van het losse bestand.' });
  expect((await post(stack.url, '/api/reports', body)).status).toBe(201);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(empty, { recursive: true, force: true });
});

const args = () => ['--api', stack.url, '--key', 'officer.asc', '--passphrase-file', 'pass'];

describe('the officer release file', () => {
  it('runs the command line from an empty folder with plain node', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: empty };
    const { stdout } = await promisify(execFile)(process.execPath, [file, 'cases', ...args()], { cwd: empty, env });
    expect(stdout).toMatch(/CASE\s+CHANNEL/);
    expect(stdout).toMatch(/NEW/);
    expect(stdout).toContain('1 case(s) NEW');
    const help = await promisify(execFile)(process.execPath, [file, 'help'], { cwd: empty, env });
    expect(help.stdout).toContain('node meldpunt-officer.mjs <command>');
  });

  it('starts the desk, which serves its page and the cases', async () => {
    const child = spawn(process.execPath, [file, 'desk', '--no-open', ...args()], { cwd: empty, env: { PATH: process.env.PATH ?? '', HOME: empty } });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let text = '';
        child.stdout.on('data', (d: Buffer) => {
          text += d.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/[A-Za-z0-9_-]+\//.exec(text);
          if (m) ok(m[0]);
        });
        child.on('exit', () => fail(new Error(`desk exited: ${text}`)));
      });
      const origin = new URL(url).origin;
      expect(await (await fetch(url)).text()).toContain('<desk-app>');
      expect((await fetch(`${url}desk.js`)).status).toBe(200);
      const cases = (await (await fetch(`${url}api/cases?status=`, { headers: { origin } })).json()) as { cases: Array<{ title: string }> };
      expect(cases.cases.map((c) => c.title)).toContain('Gemeld voor de test van het losse bestand.');
    } finally {
      child.kill();
    }
  });
});
