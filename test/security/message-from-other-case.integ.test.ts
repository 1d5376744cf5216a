/**
 * Attack (a server that forges): a reply copied from case A into case B showed in `show B` as
 * "VERIFIED", went into B's export, and a record copied the same way showed as VERIFIED and OPEN:
 * officer payloads named no case. Every payload now names its case by the reporter key's
 * fingerprint; one naming another case is NOT VERIFIED, and no tool acts on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const lineOf = (shown: string, id: string) => shown.split('\n').find((l) => l.startsWith(`#${id} `)) ?? '';

describe('an officer\'s message copied into another case', () => {
  it('reads NOT VERIFIED there, while the original stays VERIFIED', async () => {
    const a = await fileReport(stack, 'Zaak A.');
    const b = await fileReport(stack, 'Zaak B.');
    const officer = officerCli(stack, stack.officer);
    await officer('reply', a.caseId, '--message', 'Uw melding is ongegrond; wij sluiten haar.');
    await officer('record', a.caseId, '--title', 'Gespreksverslag', '--message', 'De melder trekt alles in.');
    const fromA = (await stack.local.deps.cases.messages(a.caseId, 'case')).filter((m) => m.author === 'officer');
    expect(fromA).toHaveLength(2);

    // The server copies both into case B, as anyone with write access to the table can.
    const copied = [];
    for (const m of fromA) copied.push(await stack.local.deps.cases.appendMessage(b.caseId, { author: 'officer', day: m.day, message: m.message, thread: 'case' }));

    const shownA = await officer('show', a.caseId);
    for (const m of fromA) expect(lineOf(shownA, m.id)).toMatch(/· VERIFIED: signed by/);
    const shownB = await officer('show', b.caseId);
    for (const m of copied) expect(lineOf(shownB, m.id)).toMatch(/NOT VERIFIED: signed, but written for another case/);
    expect(shownB).not.toMatch(/Record "Gespreksverslag".*OPEN/);
  });
});
