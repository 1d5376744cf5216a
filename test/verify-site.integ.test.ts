/**
 * A page anyone can verify: the start page's scripts carry Subresource Integrity; the operator's
 * signed manifest matches what `npm start` serves; `verify-site` and the shell check of
 * docs/verify-site.md both pass, and both name the file when one served file is changed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../officer/main.ts';
import { generateNamedKey } from '../shared/protocol/keys.ts';
import { startStack, type TestStack } from './support/stack.ts';

const work = mkdtempSync(join(tmpdir(), 'meldpunt-verify-site-'));
const web = join(work, 'web');
let stack: TestStack;
beforeAll(async () => {
  cpSync(join(import.meta.dirname, '../web/dist'), web, { recursive: true });
  stack = await startStack({ webRoot: web });
  const operator = await generateNamedKey('Operator', 'operator passphrase');
  writeFileSync(join(work, 'operator.private.asc'), operator.lockedPrivateKey);
  writeFileSync(join(work, 'operator.public.asc'), operator.publicKey);
  const stranger = await generateNamedKey('Someone else', 'another passphrase');
  writeFileSync(join(work, 'stranger.public.asc'), stranger.publicKey);
  await cli('sign-site', '--key', join(work, 'operator.private.asc'), '--passphrase', 'operator passphrase', '--web', web, '--config', stack.local.configPath);
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function cli(...args: string[]): Promise<string> {
  const lines: string[] = [];
  await run(args, (l) => lines.push(l));
  return lines.join('\n');
}

/** The outsider's check, exactly as docs/verify-site.md gives it, against this site (async: the site runs in this process). */
async function shellCheck(key = 'operator.public.asc'): Promise<string> {
  const doc = readFileSync(join(import.meta.dirname, '../docs/verify-site.md'), 'utf8');
  const script = doc.split('## For anyone: standard tools only')[1]!.match(/```sh\n([\s\S]*?)```/)![1]!.replace(/^SITE=.*$/m, `SITE=${stack.url}`).replace('operator.public.asc', key);
  const home = mkdtempSync(join(work, 'gnupg-'));
  const dir = mkdtempSync(join(work, 'check-'));
  try {
    return (await promisify(execFile)('bash', ['-c', `cp ${join(work, key)} . && ${script}`], { cwd: dir, env: { ...process.env, GNUPGHOME: home }, encoding: 'utf8' })).stdout;
  } catch (e) {
    return `FAILED: ${(e as { stderr?: string }).stderr ?? ''}`;
  }
}

describe('a site anyone can verify', () => {
  it('puts Subresource Integrity on every script and style sheet the start page loads', async () => {
    const page = await (await fetch(`${stack.url}/`)).text();
    const tags = [...page.matchAll(/<(?:script|link)\b[^>]*\s(?:src|href)="(\/assets\/[^"]+)"[^>]*>/g)];
    expect(tags.length).toBeGreaterThanOrEqual(2);
    for (const [tag, path] of tags) {
      const bytes = Buffer.from(await (await fetch(`${stack.url}${path}`)).arrayBuffer());
      expect(tag).toContain(`integrity="sha384-${createHash('sha384').update(bytes).digest('base64')}"`);
    }
  });

  it('verifies the live site against the signed manifest, with the tool and with curl, gpg and sha256sum', async () => {
    const manifest = readFileSync(join(web, 'meldpunt-manifest.txt'), 'utf8');
    expect(manifest).toMatch(/^[0-9a-f]{64} {2}channels\.json$/m);
    expect(manifest).toMatch(/^[0-9a-f]{64} {2}index\.html$/m);
    for (const asset of readdirSync(join(web, 'assets'))) expect(manifest).toContain(`  assets/${asset}\n`);
    expect(await cli('verify-site', stack.url, '--operator-key', join(work, 'operator.public.asc'))).toContain(`The site at ${stack.url} serves exactly the signed release.`);
    const shell = await shellCheck();
    expect(shell).not.toContain('DIFFERS');
    expect(shell.match(/^OK /gm)).toHaveLength(manifest.trim().split('\n').length);
  });

  it('refuses a manifest signed by anyone but the operator', async () => {
    await expect(cli('verify-site', stack.url, '--operator-key', join(work, 'stranger.public.asc'))).rejects.toThrow('Verification failed.');
    expect(await shellCheck('stranger.public.asc')).toMatch(/FAILED/);
  });

  it('names the file when one served file is changed', async () => {
    const chunk = readdirSync(join(web, 'assets')).find((f) => f.startsWith('follow-up-'))!;
    appendFileSync(join(web, 'assets', chunk), '\n/* changed */');
    const lines: string[] = [];
    await expect(run(['verify-site', stack.url, '--operator-key', join(work, 'operator.public.asc')], (l) => lines.push(l))).rejects.toThrow('Verification failed.');
    expect(lines.join('\n')).toContain(`DIFFERS  assets/${chunk}: the site serves other bytes than the signed release`);
    expect(lines.join('\n')).toContain('does NOT match the signed release: 1 problem(s)');
    expect((await shellCheck()).match(/^DIFFERS .*$/gm)).toEqual([`DIFFERS assets/${chunk}`]);
  });
});
