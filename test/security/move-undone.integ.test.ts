/**
 * Attack (a server that forges): the adviser asked to move a case to the integrity channel, the
 * reporter agreed (signed), and `move` ran. The server then set the case's channel and readers back
 * to the adviser; the page accepted it and encrypted the next message to the adviser. Now the
 * consent names the one request it answers, the move is said in a signed `moved` message stored
 * with it, and page and tool work out the channel from signed messages alone: an undone move is
 * named as such, and nothing is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreeToMove, openCase, postMessage } from '../../shared/client/reporter.ts';
import { publicChannels } from '../../shared/config/schema.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('a move the server undoes', () => {
  it('is named as undone on the page, refused by the tool, and neither sends anything', async () => {
    const channels = publicChannels(stack.config);
    const open = () => openCase({ api: { base: stack.url }, channels, code });
    const { caseId, code } = await fileReport(stack, 'Hoort bij de integriteitsfunctionaris.', { channel: 'vertrouwenspersoon' });
    const adviser = officerCli(stack, stack.adviser);
    const officer = officerCli(stack, stack.officer);
    await adviser('ack', caseId);
    await adviser('ask-move', caseId, '--to', 'integriteit');
    const asked = await open();
    expect(asked.moveRequest?.mark).toMatch(/^[0-9a-f]{32}$/);
    await agreeToMove(asked.session, 'integriteit', asked.moveRequest!.mark);
    const before = (await stack.local.deps.cases.get(caseId))!.doc;
    expect(await adviser('move', caseId, '--to', 'integriteit')).toMatch(/Moved case/);

    // Moved, and said so: everyone carries on.
    const moved = await open();
    expect(moved).toMatchObject({ channelOk: true, movedUndone: false });
    expect(moved.thread.at(-1)?.payload?.kind).toBe('moved');
    await officer('reply', caseId, '--message', 'Ik neem het over.');

    // The server puts the case back with the adviser.
    const now = (await stack.local.deps.cases.get(caseId))!;
    expect(await stack.local.deps.cases.update(caseId, now.version, { ...now.doc, channel: before.channel, recipients: before.recipients, recipientKeyIds: before.recipientKeyIds })).toBe(true);
    const stored = (await stack.local.deps.cases.messages(caseId, 'case')).length;

    const undone = await open();
    expect(undone).toMatchObject({ channelOk: false, movedUndone: true });
    await expect(postMessage(undone.session, 'Voor wie is dit nu?')).rejects.toThrow();
    // The adviser's tool cannot even open the report any more (it was re-encrypted for the new readers): it refuses.
    await expect(adviser('reply', caseId, '--message', 'Ik ben er weer.')).rejects.toThrow(/Not sending anything/);
    expect((await stack.local.deps.cases.messages(caseId, 'case')).length).toBe(stored);
  });
});
