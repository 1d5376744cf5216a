/**
 * Attack: a message refused with 409 (a message id already used for another message) still left
 * its declared files behind, and their upload could be started. Now nothing of a refused message
 * remains: no file record, no share of the quota.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../support/stack.ts';
import { newId, reportDeclaring } from '../support/uploads.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('a message refused for its reused id', () => {
  it('leaves no file behind that could be uploaded, and gives back its quota', async () => {
    const file = await reportDeclaring(stack, []);
    const id = newId();
    expect((await file.follow(id, [1000], 'Het eerste bericht.')).status).toBe(201);
    const before = await stack.local.deps.files.list(file.caseId);
    const refused = await file.follow(id, [2000, 3000], 'Een ander bericht onder hetzelfde id.');
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('message-id-in-use');
    for (const fileId of refused.fileIds) {
      const start = await file.call('start', fileId);
      expect(start.status).toBe(404);
      expect(start.json.error.code).toBe('no-such-file');
    }
    expect(await stack.local.deps.files.list(file.caseId)).toEqual(before);
    // The quota the refused message took is free again: all the room the first message left fits.
    const { maxCaseBytes, maxFileBytes } = stack.config.files;
    const room: number[] = [];
    for (let left = maxCaseBytes - 1000; left > 0; left -= maxFileBytes) room.push(Math.min(left, maxFileBytes));
    expect((await file.follow(newId(), [...room.slice(0, -1), room.at(-1)! + 1])).status).toBe(413);
    expect((await file.follow(newId(), room)).status).toBe(201);
  });
});
