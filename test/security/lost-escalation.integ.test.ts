/**
 * Attack (a server that forges): a message the server inserted at its next free number collided
 * with the officer's next escalation, which was silently lost while `escalate` reported success
 * (the store answered with the item already there, as for a retry). A write that loses its place
 * now fails loudly, and the tool says nothing was sent.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('a message whose number the server took first', () => {
  it('is refused loudly, not reported as sent', async () => {
    const { caseId } = await fileReport(stack, 'Voor CLB.', { consent: { clb: 'without-contact' } });
    const officer = officerCli(stack, stack.officer);
    await officer('reply', caseId, '--message', 'Ontvangen.');
    const [last] = (await stack.local.deps.cases.messages(caseId)).slice(-1);
    // The server writes an item at the next number, outside the counter.
    const next = `msg#${String(Number(last!.id) + 1).padStart(6, '0')}`;
    await stack.local.dynamo.client.send(
      new PutItemCommand({ TableName: stack.local.tableName, Item: { pk: { S: caseId }, sk: { S: next }, doc: { S: JSON.stringify({ author: 'reporter', day: last!.day, message: last!.message, thread: 'clb' }) } } }),
    );
    await expect(officer('escalate', caseId, '--to', 'clb')).rejects.toThrow(/409.*place in the case was already taken/);
  });
});
