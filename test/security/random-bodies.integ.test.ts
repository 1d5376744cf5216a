/** Property: whatever a client sends to any route, the answer is never a 5xx, and nothing is stored. */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/routes.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const armoredLooking = fc.string().map((s) => `-----BEGIN PGP MESSAGE-----\n\n${btoa(s)}\n-----END PGP MESSAGE-----\n`);
const fieldValue = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), armoredLooking, fc.string({ minLength: 43, maxLength: 43 }));
const plausible = fc.record(
  {
    v: fc.oneof(fc.constant(1), fc.integer()),
    purpose: fc.constantFrom('submit', 'open', 'x'),
    accessKey: fieldValue,
    channel: fc.oneof(fc.constant('integriteit'), fc.string()),
    reporterPublicKey: fieldValue,
    lockedPrivateKey: fieldValue,
    message: fieldValue,
    pow: fc.oneof(fc.record({ token: fc.string(), nonce: fc.string() }), fieldValue),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(fc.string(), fc.json(), plausible.map((o) => JSON.stringify(o)));

describe('random bodies', () => {
  it('never get a server error', async () => {
    const before = await stack.countItems();
    const posts = ROUTES.filter((r) => r.method === 'POST');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), body, async (route, text) => {
        const res = await fetch(`${stack.url}${route.path}`, { method: 'POST', body: text, headers: { 'content-type': 'application/json' } });
        const json = (await res.json()) as { error?: { message?: string } };
        expect(res.status, `${route.path} ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) expect(json.error?.message).toBeTruthy();
      }),
      { numRuns: 300 },
    );
    expect(await stack.countItems()).toBe(before);
  });
});
