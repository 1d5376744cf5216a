/**
 * Attack (a server that forges): messages #1 and #3 were swapped, and #2 and the reporter's #4
 * deleted. `show` and the page showed the new order, every message VERIFIED, with no word about a
 * gap. Every payload now names the message its author saw last on the thread; the tool says
 * "Er ontbreekt een bericht / message missing", "out of order", and a replayed copy is NOT VERIFIED.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase, postMessage } from '../../shared/client/reporter.ts';
import { publicChannels } from '../../shared/config/schema.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { startTestDesk } from '../support/desk.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** A conversation of five messages after the report: officer, reporter, officer, reporter, officer. */
async function conversation() {
  const { caseId, code } = await fileReport(stack, 'Het begin.');
  const officer = officerCli(stack, stack.officer);
  const page = async () => (await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code })).session;
  await officer('reply', caseId, '--message', 'Een');
  await postMessage(await page(), 'Twee');
  await officer('reply', caseId, '--message', 'Drie');
  await postMessage(await page(), 'Vier');
  await officer('reply', caseId, '--message', 'Vijf');
  const stored = await stack.local.deps.cases.messages(caseId, 'case');
  expect(stored.map((m) => m.id)).toEqual(['1', '2', '3', '4', '5']);
  const onPage = async () => (await openCase({ api: { base: stack.url }, channels: publicChannels(stack.config), code })).thread;
  return { caseId, officer, stored, onPage };
}

const warnings = (shown: string) => shown.split('\n').filter((l) => l.startsWith('!!'));

describe('a thread the server reorders, cuts or replays', () => {
  it('shows no warning as it was written', async () => {
    const { caseId, officer, onPage } = await conversation();
    expect(warnings(await officer('show', caseId))).toEqual([]);
    expect((await onPage()).filter((e) => e.order || e.unreadable)).toEqual([]);
  });

  it('names the reordering', async () => {
    const { caseId, officer, stored, onPage } = await conversation();
    await stack.local.deps.cases.replaceMessage(caseId, '1', stored[2]!.message);
    await stack.local.deps.cases.replaceMessage(caseId, '3', stored[0]!.message);
    expect(warnings(await officer('show', caseId)).join('\n')).toMatch(/out of order: #1/);
    expect((await onPage()).find((e) => e.id === '1')!.order).toBe('out-of-order');
  });

  it('names the gap where messages were deleted', async () => {
    const { caseId, officer, onPage } = await conversation();
    await stack.local.deps.cases.removeMessage(caseId, '2');
    await stack.local.deps.cases.removeMessage(caseId, '4');
    const shown = warnings(await officer('show', caseId)).join('\n');
    expect(shown).toMatch(/Er ontbreekt een bericht \/ message missing: #3/);
    expect(shown).toMatch(/message missing: #5/);
    expect((await onPage()).filter((e) => e.order === 'missing').map((e) => e.id)).toEqual(['3', '5']);
    // The desk says the same.
    const desk = await startTestDesk(stack, stack.officer);
    try {
      const res = await fetch(`${desk.url}api/cases/${caseId}`, { headers: { origin: desk.origin } });
      const view = (await res.json()) as { entries: Array<{ id: string; order: string | null }> };
      expect(view.entries.filter((e) => e.order === 'missing').map((e) => e.id)).toEqual(['3', '5']);
    } finally {
      await desk.close();
    }
  });

  it('names the gap behind a reporter\'s message too (the page signs the order as well)', async () => {
    const { caseId, officer, onPage } = await conversation();
    await stack.local.deps.cases.removeMessage(caseId, '3');
    expect(warnings(await officer('show', caseId)).join('\n')).toMatch(/message missing: #4/);
    expect((await onPage()).filter((e) => e.order === 'missing').map((e) => e.id)).toEqual(['4']);
  });

  it('marks a replayed message NOT VERIFIED', async () => {
    const { caseId, officer, stored, onPage } = await conversation();
    const copy = await stack.local.deps.cases.appendMessage(caseId, { author: 'officer', day: stored[0]!.day, message: stored[0]!.message, thread: 'case' });
    const line = (await officer('show', caseId)).split('\n').find((l) => l.startsWith(`#${copy.id} `))!;
    expect(line).toMatch(/NOT VERIFIED: a copy of an earlier message/);
    expect((await onPage()).find((e) => e.id === copy.id)).toMatchObject({ payload: null, unreadable: 'replayed' });
  });
});
