/**
 * Writes a reply into a case the way the officer's tool ends up storing one: sealed with the shared
 * protocol, signed by `signingKey`, encrypted to the case's readers, appended through the store.
 * A forged reply is the same call with a key that is not the officer's.
 */
import type * as openpgp from 'openpgp';
import { caseIdFor } from '../../functions/services/reporter.ts';
import { sealPayload } from '../../shared/protocol/envelope.ts';
import { deriveCodeKeys } from '../../shared/protocol/derive.ts';
import { readPublicKey } from '../../shared/protocol/keys.ts';
import { parseCode } from '../../shared/protocol/code.ts';
import type { TestStack } from './stack.ts';

export async function storeReply(stack: TestStack, printedCode: string, signingKey: openpgp.PrivateKey, text: string): Promise<void> {
  const parsed = parseCode(printedCode);
  if (parsed.kind !== 'ok') throw new Error(`not a code: ${parsed.kind}`);
  const { accessKey } = await deriveCodeKeys(parsed.code);
  const caseId = await caseIdFor(stack.local.deps.keys, accessKey);
  const found = await stack.local.deps.cases.get(caseId);
  if (!found) throw new Error('no such case');
  const channel = stack.config.channels.find((c) => c.id === found.doc.channel)!;
  const keys = [await readPublicKey(found.doc.reporterPublicKey), ...(await Promise.all(channel.recipients.map((r) => readPublicKey(r.publicKey))))];
  const message = await sealPayload({ payload: { v: 1, kind: 'reply', text }, signingKey, encryptionKeys: keys });
  await stack.local.deps.cases.appendMessage(caseId, { author: 'officer', day: '2026-11-23', message, thread: 'case' });
}
