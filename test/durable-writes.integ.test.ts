/**
 * An acknowledged report must survive a power cut on one machine too: every write of the on-disk
 * table reaches LevelDB as a synced write (fsync before the write returns), not just the OS cache.
 */
import { ClassicLevel } from 'classic-level';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from './support/stack.ts';
import { buildSubmission, post } from './support/reports.ts';

type Recorded = { method: string; options: { sync?: boolean } | undefined };
const seen: Recorded[] = [];
const proto = ClassicLevel.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
// Record what reaches LevelDB itself, beneath whatever dynalite or the stack puts on top.
for (const [method, at] of [['_put', 2], ['_del', 1], ['_batch', 1]] as const) {
  const original = proto[method]!;
  proto[method] = function (this: unknown, ...args: unknown[]) {
    seen.push({ method, options: args[at] as Recorded['options'] });
    return original.apply(this, args);
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ persist: true });
});
afterAll(() => stack?.stop());

describe('the on-disk table', () => {
  it('syncs every write of an acknowledged submission', async () => {
    seen.length = 0;
    const built = await buildSubmission(stack.url, stack.config);
    expect((await post(stack.url, '/api/reports', built.body)).status).toBe(201);
    const writes = seen.filter((s) => s.method !== '_del' || s.options);
    expect(writes.length).toBeGreaterThan(0);
    for (const write of writes) expect(write.options?.sync, write.method).toBe(true);
  });
});
