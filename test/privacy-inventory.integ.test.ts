/**
 * docs/privacy.md stays true where a test can tell: after a case has lived through everything that
 * writes to the table (report with a file, follow-up, reply, escalation, signed officer requests),
 * every attribute of every item, and every field of every stored document, is named in the inventory.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../shared/client/reporter.ts';
import { deriveCodeKeys } from '../shared/protocol/derive.ts';
import { caseIdFor } from '../functions/services/reporter.ts';
import { startStack, type TestStack } from './support/stack.ts';
import { officerCli } from './support/officer-cli.ts';
import { sampleReport } from './support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('the privacy inventory', () => {
  it('names every attribute the store writes', async () => {
    const api = { base: stack.url };
    const channels = publicChannels(stack.config);
    const { code } = await submitReport({
      api,
      channels,
      report: { ...sampleReport('Voor de inventaris.'), consent: { clb: 'without-contact' } },
      files: [{ blob: new Blob([new Uint8Array(2000)]), name: 'a.bin', type: 'application/octet-stream' }],
    });
    const caseId = await caseIdFor(stack.local.deps.keys, (await deriveCodeKeys(code)).accessKey);
    const opened = await openCase({ api, channels, code });
    await postMessage(opened.session, 'Aanvulling.');
    const officer = officerCli(stack, stack.officer);
    await officer('ack', caseId);
    await officer('reply', caseId, '--message', 'Dank.');
    await officer('escalate', caseId, '--to', 'clb');
    await stack.local.runNotices();
    await officer('close', caseId, '--outcome', 'Klaar.');

    const { Items = [] } = await stack.local.dynamo.client.send(new ScanCommand({ TableName: stack.local.tableName }));
    const names = new Set<string>();
    const kinds = new Set<string>();
    for (const item of Items) {
      for (const name of Object.keys(item)) names.add(name.replace(/^(mseq|mdig)#.*/, '$1#<message id>'));
      kinds.add(item.sk!.S!.replace(/^msg#\d+$/, 'msg#').replace(/^file#.*/, 'file#').replace(/^esc#.*/, 'esc#'));
      if (item.doc?.S) for (const field of Object.keys(JSON.parse(item.doc.S) as object)) names.add(field);
    }
    // The scenario reached every kind of item.
    expect([...kinds].sort()).toEqual(['case', 'esc#', 'file#', 'msg#', 'nonce']);
    const inventory = readFileSync(join(import.meta.dirname, '../docs/privacy.md'), 'utf8');
    const missing = [...names].filter((name) => !inventory.includes(`\`${name}\``));
    expect(missing).toEqual([]);
    expect(names.size).toBeGreaterThan(30);
  });
});
