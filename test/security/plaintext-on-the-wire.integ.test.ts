/** Attack: read what crosses the network. Every byte the reporter client sends is captured; no plaintext may be in it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChannels } from '../../shared/config/schema.ts';
import { openCase, postMessage, submitReport } from '../../shared/client/reporter.ts';
import { formatCode } from '../../shared/protocol/code.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { sampleReport } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('plaintext on the wire', () => {
  it('sends neither the report, the contact details, the code nor the unlock passphrase', async () => {
    const sent: string[] = [];
    const spy: typeof fetch = async (input, init) => {
      sent.push(`${String(input)}\n${String(init?.body ?? '')}`);
      return fetch(input, init);
    };
    const api = { base: stack.url, fetch: spy };
    const channels = publicChannels(stack.config);
    const report = { ...sampleReport('MARKER-WHAT-7f3a de wethouder'), contact: 'MARKER-CONTACT-91c2 06-12345678' };
    const { code } = await submitReport({ api, channels, report: { ...report, answers: { ...report.answers, who: 'MARKER-WHO-b81e' } } });
    const opened = await openCase({ api, channels, code });
    await postMessage(opened.session, 'MARKER-FOLLOWUP-44d0');
    const { unlockPassphrase } = await deriveCodeKeys(code);

    expect(sent.length).toBe(5); // challenge, submit, challenge, open, message (the open proof is reused)
    const wire = sent.join('\n');
    for (const secret of ['MARKER-', '06-12345678', 'wethouder', code, formatCode(code), unlockPassphrase]) {
      expect(wire).not.toContain(secret);
    }
    // Positive control: the capture does see what is sent.
    expect(wire).toContain('BEGIN PGP MESSAGE');
  });
});
