/**
 * Attack: follow-ups posted while `move` ran. After the move succeeded, messages and finished
 * files were still encrypted to the reporter and the OLD channel's officer: the new officer could
 * not read them, the old one could. Appends did not change what the move checked, the reporter's
 * request checked readers against the case as it was before the move, and the move listed the
 * messages and then checked only the version. Now a message or file is stored only while the
 * readers it was checked against are the case's, and the move is written only if no message was
 * appended and no file completed since it read the case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { agreeToMove, openCase, postMessage } from '../../shared/client/reporter.ts';
import { publicChannels } from '../../shared/config/schema.ts';
import { dearmor } from '../../shared/protocol/armor.ts';
import { checkPackets } from '../../shared/protocol/ciphertext.ts';
import { fromBase64Url } from '../../shared/protocol/bytes.ts';
import { readPackets, TAG } from '../../shared/protocol/packets.ts';
import { BUCKET } from '../../functions/local/s3.ts';
import { objectKey } from '../../functions/services/files.ts';
import { officerCli } from '../support/officer-cli.ts';
import { fileReport } from '../support/reports.ts';
import { startStack, type TestStack } from '../support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const SENDS = 15;
const ROUNDS = 2;
const sorted = (ids: readonly string[]) => [...ids].sort();

/** The key IDs a stored file is readable by, as a download would serve it (a moved file's new header in front). */
async function fileReaders(caseId: string, file: { fileId: string; header: string | null; skip: number | null }) {
  const out = await stack.local.s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: objectKey(caseId, file.fileId), Range: 'bytes=0-65535' }));
  const head = await out.Body!.transformToByteArray();
  const packets = file.header ? [...readPackets(fromBase64Url(file.header)), ...readPackets(head.subarray(file.skip!), { truncated: true })] : readPackets(head, { truncated: true });
  return sorted(packets.filter((p) => p.tag === TAG.pkesk).map((p) => Array.from(p.body.subarray(1, 9), (b) => b.toString(16).padStart(2, '0')).join('')));
}

/** A case in the adviser's channel whose reporter agreed to a move, and a page session opened before it. */
async function agreedCase(what: string, withFile = false) {
  const adviser = officerCli(stack, stack.adviser);
  const channels = publicChannels(stack.config);
  const files = withFile ? [{ blob: new Blob([new Uint8Array(4000).fill(1)]), name: 'bewijs.bin', type: 'application/octet-stream' }] : [];
  const { caseId, code } = await fileReport(stack, what, { channel: 'vertrouwenspersoon' }, files);
  await adviser('ack', caseId);
  await adviser('ask-move', caseId, '--to', 'integriteit');
  await agreeToMove((await openCase({ api: { base: stack.url }, channels, code })).session, 'integriteit');
  const session = (await openCase({ api: { base: stack.url }, channels, code })).session;
  const move = () => adviser('move', caseId, '--to', 'integriteit');
  return { caseId, session, move };
}

/** Every message and complete file of the case is for exactly its readers now. */
async function allForReaders(caseId: string) {
  const { doc } = (await stack.local.deps.cases.get(caseId))!;
  const readers = sorted(doc.recipientKeyIds);
  for (const m of await stack.local.deps.cases.messages(caseId, 'case')) {
    expect(sorted(checkPackets(dearmor(m.message, 'MESSAGE')).keyIds), `message #${m.id}`).toEqual(readers);
  }
  for (const file of (await stack.local.deps.files.list(caseId)).filter((f) => f.state === 'complete' && f.thread === 'case')) {
    expect(await fileReaders(caseId, file), `file ${file.fileId}`).toEqual(readers);
  }
}

/** Runs `during` once, at the moment the stack calls `method` of `target` (before or after the call). */
function at<T extends object, K extends keyof T>(target: T, method: K, when: 'before' | 'after', during: () => Promise<unknown>, only: (...args: any[]) => boolean = () => true) {
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  let armed = true;
  target[method] = (async (...args: unknown[]) => {
    const fire = armed && only(...args);
    if (fire) armed = false;
    if (fire && when === 'before') await during();
    const result = await original.apply(target, args);
    if (fire && when === 'after') await during();
    return result;
  }) as T[K];
  return () => {
    target[method] = original as T[K];
  };
}

describe('a follow-up at the worst moment of a move', () => {
  it('arriving after the move listed the messages makes the move refuse, and the retry covers it', async () => {
    // The move reads each kept file's head after listing the messages and before its write: the follow-up comes then.
    const { caseId, session, move } = await agreedCase('Tussen lijst en schrijven.', true);
    let posted: unknown = null;
    const restore = at(stack.local.deps.objects, 'head', 'before', async () => (posted = await postMessage(session, 'Net op tijd.')));
    try {
      await expect(move()).rejects.toThrow(/changed while moving/);
    } finally {
      restore();
    }
    expect(posted).not.toBeNull();
    expect(await move()).toMatch(/Moved case/);
    await allForReaders(caseId);
  });

  it('checked against the old readers but written after the move is refused, not stored for the old channel', async () => {
    const { caseId, session, move } = await agreedCase('Tussen controle en schrijven.');
    const restore = at(stack.local.deps.cases, 'appendMessage', 'before', () => move(), (_id: string, m: { author: string }) => m.author === 'reporter');
    try {
      await expect(postMessage(session, 'Te laat voor de oude lezers.')).rejects.toThrow(/changed while you were sending|readers-changed/);
    } finally {
      restore();
    }
    expect((await stack.local.deps.cases.get(caseId))!.doc.channel).toBe('integriteit');
    await allForReaders(caseId);
  });

  it('a file finished after the move is refused and deleted, not kept for the old channel', async () => {
    const { caseId, session, move } = await agreedCase('Een bestand over de grens.');
    // The upload is checked against the old readers; the move is written while the check reads the object.
    const restore = at(stack.local.deps.objects, 'read', 'after', () => move());
    let sent: { failedFiles: string[] };
    try {
      sent = await postMessage(session, 'Met bijlage.', undefined, { files: [{ blob: new Blob([new Uint8Array(5000).fill(7)]), name: 'b.bin', type: 'application/octet-stream' }] });
    } finally {
      restore();
    }
    expect(sent.failedFiles).toHaveLength(1);
    expect((await stack.local.deps.cases.get(caseId))!.doc.channel).toBe('integriteit');
    await allForReaders(caseId);
  });
});

describe('follow-ups racing a move', () => {
  it('are either covered by the move or refused; nothing stays readable by the old channel (several rounds)', async () => {
    const adviser = officerCli(stack, stack.adviser);
    const channels = publicChannels(stack.config);
    let stored = 0;
    let refused = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const { caseId, code } = await fileReport(stack, `Ronde ${round}`, { channel: 'vertrouwenspersoon' });
      await adviser('ack', caseId);
      await adviser('ask-move', caseId, '--to', 'integriteit');
      const opened = await openCase({ api: { base: stack.url }, channels, code });
      await agreeToMove(opened.session, 'integriteit');
      const before = (await stack.local.deps.cases.get(caseId))!.doc.recipientKeyIds;

      // The reporter's page, opened before the move, keeps sending while the adviser moves the case.
      const session = (await openCase({ api: { base: stack.url }, channels, code })).session;
      const sends = Array.from({ length: SENDS }, async (_, i) => {
        await new Promise((ok) => setTimeout(ok, i * 10));
        const files = i % 3 === 0 ? [{ blob: new Blob([new Uint8Array(3000).fill(i)]), name: `bijlage-${i}.bin`, type: 'application/octet-stream' }] : [];
        try {
          const sent = await postMessage(session, `Aanvulling ${i}`, undefined, { files });
          stored++;
          return sent;
        } catch {
          refused++;
          return null;
        }
      });
      const move = (async () => {
        for (let attempt = 0; attempt < 20; attempt++) {
          try {
            return await adviser('move', caseId, '--to', 'integriteit');
          } catch (e) {
            if (!/changed|busy|retry/i.test((e as Error).message)) throw e;
          }
        }
        throw new Error('the move never got through');
      })();
      await Promise.all([move, ...sends]);

      const { doc } = (await stack.local.deps.cases.get(caseId))!;
      expect(doc.channel).toBe('integriteit');
      expect(before.filter((k) => !doc.recipientKeyIds.includes(k)).length).toBeGreaterThan(0);
      expect(sorted(checkPackets(dearmor(doc.first, 'MESSAGE')).keyIds)).toEqual(sorted(doc.recipientKeyIds));
      await allForReaders(caseId);
    }
    // Both sides happened: some follow-ups got through, some were refused and can be sent again.
    expect(stored).toBeGreaterThan(0);
    expect(stored + refused).toBe(ROUNDS * SENDS);
  });
});
