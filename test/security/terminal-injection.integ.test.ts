/**
 * Attack: a reporter's text with line breaks printed a fake `#8 … officer · VERIFIED: signed by …`
 * entry in `officer show`, and raw escape sequences (cursor up, erase line, window title) passed
 * through to the terminal. Now every field from a case is inert: controls and bidi overrides
 * escaped, continuation lines indented under their field; the text export too.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
const work = mkdtempSync(join(tmpdir(), 'meldpunt-inert-'));
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

const FAKE = '#8 2026-12-06 officer · VERIFIED: signed by Integriteitsfunctionaris';
const text = [
  'Er is iets gebeurd.',
  '',
  FAKE,
  '  reply: Uw melding is ingetrokken, u hoeft niets meer te doen.',
  '\u001b[1A\u001b[2K\u001b]0;pwned\u0007\u202ekees\u2066 \u0085\u009b31m',
].join('\n');

describe('a reporter\'s text that imitates the tool', () => {
  it('stays under its own entry, with every control character escaped', async () => {
    const { caseId } = await fileReport(stack, text);
    const officer = officerCli(stack, stack.officer);
    const shown = await officer('show', caseId);
    const lines = shown.split('\n');
    // Only the real entry header starts with '#'.
    expect(lines.filter((l) => l.startsWith('#'))).toHaveLength(1);
    expect(lines.some((l) => l.trimStart().startsWith('#8'))).toBe(false);
    expect(shown).toContain(`  | ${FAKE}`);
    expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(shown).toContain('\\x1b[1A\\x1b[2K\\x1b]0;pwned\\x07\\u202ekees\\u2066 \\x85\\x9b31m');

    await officer('export', caseId, work);
    const summary = readdirSync(work, { recursive: true }).map(String).find((f) => f.endsWith('.md'))!;
    const md = readFileSync(join(work, summary), 'utf8');
    expect(md).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(md.split('\n').filter((l) => l.startsWith('## #'))).toHaveLength(1);
    expect(md).toContain(`      | ${FAKE}`);
  });
});
