/**
 * `export CASE DIR`: the case for the register, readable without this software. The OpenPGP files
 * exactly as the server stored them, the reporter's public key to check signatures with, the
 * attachments, and a Markdown summary.
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Payload } from '../shared/schemas/payload.ts';
import { dayOf } from '../shared/wbk/deadlines.ts';
import { load, type Context } from './commands.ts';
import { CliError } from './errors.ts';
import { registerSummary } from './register-summary.ts';
import { filesOf, safeName, saveEncrypted, saveFile, verdictOfFile } from './files.ts';
import { inertLine } from './inert.ts';

type Attachment = { name: string; type: string; data: string };

/** The public keys of everyone who can sign on the case: the reporter, the channel's officers, the escalation targets. */
export const SIGNER_KEYS = 'signer-public-keys.asc';

/** Attachments of a payload, those inside an escalation included. */
function attachmentsOf(payload: Payload | null): Attachment[] {
  if (!payload) return [];
  switch (payload.kind) {
    case 'report':
    case 'reporter-message':
      return payload.attachments;
    case 'escalation':
      return payload.messages.flatMap((m) => {
        const inner = m.payload as { attachments?: unknown } | null;
        return Array.isArray(inner?.attachments) ? (inner.attachments as Attachment[]).filter((a) => typeof a?.name === 'string' && typeof a.data === 'string') : [];
      });
    default:
      return [];
  }
}


export async function exportCase(ctx: Context, prefix: string, dir: string): Promise<string[]> {
  const read = await load(ctx, prefix);
  const s = read.data.summary;
  // Into a new or empty folder, or over an earlier export of the same case; never among other files.
  const present = existsSync(dir) ? readdirSync(dir) : [];
  if (present.length > 0 && !present.includes(`${s.caseId}-summary.md`)) {
    throw new CliError(`${dir} already holds other files; export case ${s.caseId} into a new or empty folder.`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const write = (name: string, data: string | Uint8Array) => writeFileSync(join(dir, name), data, { mode: 0o600 });

  // Only what this key can read: for CLB, the messages from before it joined are not theirs to keep.
  const unreadable = new Set(read.entries.filter((e) => e.unreadable === 'not-for-this-key').map((e) => e.id));
  const files: string[] = [];
  for (const m of read.data.messages.filter((m) => !unreadable.has(m.id))) {
    const name = `${s.caseId}-${m.id.padStart(3, '0')}-${m.thread}-${m.author}.asc`;
    write(name, m.message);
    files.push(name);
  }
  write('reporter-public-key.asc', read.data.reporterPublicKey);
  // Every key that signs on this case, so `gpg --import` of this one file lets `gpg --verify` check them all.
  const channels = await ctx.client.channels();
  const staff = [...(channels.channels.find((c) => c.id === s.channel)?.recipients ?? []), ...channels.escalation];
  write(SIGNER_KEYS, [read.data.reporterPublicKey, ...staff.map((k) => k.publicKey)].map((k) => k.trim() + '\n').join(''));
  let attachments = 0;
  // Only what verifies is saved as a readable file; the rest stays in its OpenPGP message, marked in the summary.
  for (const entry of read.entries.filter((e) => e.signature.status === 'verified' && !e.otherCase && e.order !== 'replayed')) {
    for (const [i, file] of attachmentsOf(entry.payload).entries()) {
      write(`${s.caseId}-${entry.id.padStart(3, '0')}-attachment-${i}-${safeName(file.name)}`, Buffer.from(file.data, 'base64'));
      attachments++;
    }
  }
  // Each evidence file twice: as stored (OpenPGP, for `gpg --decrypt`) and decrypted, if it verifies.
  let evidence = 0;
  const notVerified: string[] = [];
  for (const [i, file] of filesOf(read).entries()) {
    const name = `${s.caseId}-${file.entryId.padStart(3, '0')}-file-${i}-${safeName(file.ref.name)}`;
    if (!(await saveEncrypted(ctx.client, s.caseId, file.ref.id, join(dir, `${name}.gpg`)))) continue;
    const check = await saveFile(ctx.client, ctx.key, s.caseId, file, join(dir, name));
    if (check.status === 'verified') evidence++;
    else notVerified.push(inertLine(`${file.ref.name}: ${verdictOfFile(check)}`));
  }
  write(`${s.caseId}-summary.md`, registerSummary(read, dayOf(ctx.now()), files) + (notVerified.length ? `\n## Bestanden die niet kloppen\n\n${notVerified.map((l) => `- ${l}`).join('\n')}\n` : ''));
  ctx.out(`Exported ${files.length} OpenPGP message(s), ${attachments} attachment(s), ${evidence} verified file(s) (each also as .gpg) and a readable summary to ${dir}.`);
  return files;
}
