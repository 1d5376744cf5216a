/** Runs the officer tool in-process against a test stack, as a given identity, and returns what it printed. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../officer/main.ts';
import type { Identity, TestStack } from './stack.ts';

/** `now`: the tool's clock, for tests that move the stack's clock too. */
export function officerCli(stack: TestStack, who: Identity, now?: () => Date) {
  const dir = mkdtempSync(join(tmpdir(), 'meldpunt-officer-'));
  const key = join(dir, 'key.asc');
  const pass = join(dir, 'pass');
  writeFileSync(key, who.privateKey);
  writeFileSync(pass, who.passphrase);
  return async (...args: string[]): Promise<string> => {
    const lines: string[] = [];
    await run([...args, '--api', stack.url, '--key', key, '--passphrase-file', pass], (l) => lines.push(l), { now });
    return lines.join('\n');
  };
}
