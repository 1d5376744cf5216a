/** Runs the officer tool in-process against a test stack, as a given identity, and returns what it printed. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../officer/main.ts';
import type { Identity, TestStack } from './stack.ts';

export function officerCli(stack: TestStack, who: Identity) {
  const dir = mkdtempSync(join(tmpdir(), 'meldpunt-officer-'));
  const key = join(dir, 'key.asc');
  const pass = join(dir, 'pass');
  writeFileSync(key, who.privateKey);
  writeFileSync(pass, who.passphrase);
  return async (...args: string[]): Promise<string> => {
    const lines: string[] = [];
    await run([...args, '--api', stack.url, '--key', key, '--passphrase-file', pass], (l) => lines.push(l));
    return lines.join('\n');
  };
}
