/**
 * Probe: `setStatus` checked "not closed, no going back" before its retry loop, not inside it. A
 * close racing `status in-progress` could leave an open case with `closedOn` set (which the
 * retention sweep would then delete), and two closes at once both succeeded, each adding an
 * outcome. The rule is now checked against the case as it is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileReport } from '../support/reports.ts';
import { officerApi, sealedFor } from '../support/races.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('status changes at once', () => {
  it('never leave an open case with a closing day, nor close a case twice (many rounds)', async () => {
    const api = await officerApi(stack, stack.officer);
    for (let round = 0; round < 10; round++) {
      const { caseId } = await fileReport(stack, `Ronde ${round}.`);
      expect((await api('POST', `/api/officer/cases/${caseId}/acknowledge`, {})).ok).toBe(true);
      const close = async () => api('POST', `/api/officer/cases/${caseId}/status`, { status: 'closed', message: await sealedFor(stack, caseId, 'Uitkomst.') });
      const answers = await Promise.all([close(), close(), api('POST', `/api/officer/cases/${caseId}/status`, { status: 'in-progress' }), close()]);
      const { doc } = (await stack.local.deps.cases.get(caseId))!;
      expect(doc.status, `round ${round}`).toBe('closed');
      expect(doc.closedOn).not.toBeNull();
      const closes = answers.filter((a, i) => i !== 2 && a.ok);
      expect(closes, `round ${round}`).toHaveLength(1);
      const outcomes = (await stack.local.deps.cases.messages(caseId, 'case')).filter((m) => m.author === 'officer');
      expect(outcomes, `round ${round}`).toHaveLength(1);
    }
  });
});
