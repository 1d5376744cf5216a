/** For race tests: the officer's signed requests, and ciphertext to a case's readers as they stand. */
import { createMessage, encrypt } from 'openpgp';
import * as z from 'zod/mini';
import { OfficerClient } from '../../officer/client.ts';
import { readPublicKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import type { Identity, TestStack } from './stack.ts';

/** Signed officer requests as `who`; each answers its status instead of throwing. */
export async function officerApi(stack: TestStack, who: Identity) {
  const client = new OfficerClient(stack.url, await unlockPrivateKey(who.privateKey, who.passphrase));
  return async (method: string, path: string, body?: unknown): Promise<{ ok: boolean; error?: string }> => {
    try {
      await client.request(method, path, body, z.unknown());
      return { ok: true };
    } catch (e) {
      return { ok: false, error: (e as Error).message };
    }
  };
}

/** An armored message (any text) encrypted to exactly the case's readers as the table lists them now. */
export async function sealedFor(stack: TestStack, caseId: string, text = 'Bericht.'): Promise<string> {
  const found = await stack.local.deps.cases.get(caseId);
  if (!found) throw new Error('no such case');
  const doc = found.doc;
  const channel = stack.config.channels.find((c) => c.id === doc.channel)!;
  const escalation = stack.config.escalation.filter((t) => doc.recipients.some((r) => r.role === 'clb' && r.name === t.name));
  const keys = await Promise.all([doc.reporterPublicKey, ...channel.recipients.map((r) => r.publicKey), ...escalation.map((t) => t.publicKey)].map(readPublicKey));
  return encrypt({ message: await createMessage({ text }), encryptionKeys: keys });
}
