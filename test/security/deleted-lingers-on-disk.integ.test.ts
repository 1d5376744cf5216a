/**
 * Probe: LevelDB keeps deleted values in its files until it compacts. Whole deleted cases, with the
 * locked reporter key and the report's ciphertext, remained on disk under `npm start`. The local
 * stack now compacts the table after every delete, on its own thread as under `npm start`; and the
 * iterators dynalite's queries left open (each pinning a snapshot, so LevelDB kept every deleted
 * version) now close themselves.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/reports.ts';
import { officerApi } from '../support/races.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
const home = mkdtempSync(join(tmpdir(), 'meldpunt-lingers-'));
beforeAll(async () => {
  stack = await startStack({ home, persist: true, dynamoThread: true });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Whether any file of the table holds `needle`. */
function onDisk(needle: string): boolean {
  const dir = join(home, 'table');
  return readdirSync(dir, { recursive: true })
    .map(String)
    .some((f) => {
      try {
        return readFileSync(join(dir, f)).includes(needle);
      } catch {
        return false;
      }
    });
}

describe('a deleted case', () => {
  it('is gone from the table\'s files, not only from its answers', async () => {
    const { caseId } = await fileReport(stack, 'Een zaak die weg moet.');
    const { doc } = (await stack.local.deps.cases.get(caseId))!;
    // Pieces of the locked reporter key and of the report's ciphertext, as stored.
    const needles = [doc.lockedPrivateKey.split('\n').find((l) => l.length >= 60)!.slice(0, 40), doc.first.split('\n').find((l) => l.length >= 60)!.slice(0, 40)];
    for (const needle of needles) expect(onDisk(needle)).toBe(true);
    const api = await officerApi(stack, stack.officer);
    expect((await api('DELETE', `/api/officer/cases/${caseId}`)).ok).toBe(true);
    for (const needle of needles) expect(onDisk(needle)).toBe(false);
  });
});
