/** What every command works with: the context (client, key, clock), the case as read, and sealing a message for it. */
import { publicOf, type OfficerKey } from '../shared/protocol/external-key.ts';
import * as openpgp from 'openpgp';
import type { PublicChannels } from '../shared/config/schema.ts';
import type { Thread } from '../shared/schemas/api.ts';
import { payloadSchema, type PayloadInput } from '../shared/schemas/payload.ts';
import { MAX_MESSAGE_CHARS } from '../shared/schemas/primitives.ts';
import { sealPayload } from '../shared/protocol/envelope.ts';
import { fingerprintOf, readPublicKey } from '../shared/protocol/keys.ts';
import { dayOf } from '../shared/wbk/deadlines.ts';
import type { OfficerClient } from './client.ts';
import { caseThreadKeys, lastMark, readCase, type ReadCase } from './case-reader.ts';
import { CliError } from './errors.ts';


export interface Context {
  client: OfficerClient;
  key: OfficerKey;
  out: (line: string) => void;
  json: boolean;
  /** The tool's clock: signs requests and says "in 3 days". */
  now: () => Date;
  /** Send attached files with their metadata (author, camera, place): off unless asked for. */
  keepMetadata?: boolean;
}

let published: { api: string; channels: Promise<PublicChannels> } | null = null;
export const channelsOf = (ctx: Context) => {
  if (published?.api !== ctx.client.api) published = { api: ctx.client.api, channels: ctx.client.channels() };
  return published.channels;
};
export const today = (ctx: Context) => dayOf(ctx.now());

export async function load(ctx: Context, prefix: string): Promise<ReadCase> {
  const caseId = await ctx.client.resolve(prefix);
  return readCase(await ctx.client.get(caseId), ctx.key, await channelsOf(ctx));
}

/** Whether this key is an escalation target (CLB) rather than a channel's officer, by the published keys. */
export async function isTarget(ctx: Context): Promise<boolean> {
  const mine = fingerprintOf(publicOf(ctx.key));
  for (const target of (await channelsOf(ctx)).escalation) {
    if (fingerprintOf(await readPublicKey(target.publicKey)) === mine) return true;
  }
  return false;
}

export const CLB_CAN = 'With a CLB key you can read (cases, show), write to the officer (note), and answer the reporter (reply) when the reporter consented.';

export async function officersOnly(ctx: Context, what: string) {
  if (await isTarget(ctx)) throw new CliError(`Only the case's own officers can ${what}. ${CLB_CAN}`);
}


/**
 * Signs and encrypts a payload, after checking it as a reader will: a text over the limit would
 * reach the reporter as an unreadable message, and a message over the server's limit is refused.
 */
export async function seal(ctx: Context, read: ReadCase, payload: PayloadInput, encryptionKeys: openpgp.PublicKey[], thread: Thread) {
  // Named for its case (the reporter key's fingerprint), so a copy the server puts in another case reads
  // NOT VERIFIED; and after the thread's latest message, so a reordering or a gap shows.
  const placed = { ...(read.report ? { case: read.report.reporterFingerprint } : {}), after: await lastMark(read, thread) };
  const checked = payloadSchema.safeParse({ ...payload, ...placed });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    throw new CliError(`Not sent: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.`);
  }
  const message = await sealPayload({ payload: checked.data, signingKey: ctx.key, encryptionKeys });
  if (message.length > MAX_MESSAGE_CHARS) {
    throw new CliError(`Not sent: the encrypted message would be ${Math.round(message.length / 1024)} KB, over the ${Math.round(MAX_MESSAGE_CHARS / 1024)} KB a message may be. Send less at once (escalate: choose with --messages).`);
  }
  return message;
}

/** Seals a payload for the reporter's conversation: exactly the case's readers, every key checked. */
export async function sealForCase(ctx: Context, read: ReadCase, payload: PayloadInput) {
  const mine = fingerprintOf(publicOf(ctx.key));
  if (!read.data.recipients.some((r) => r.fingerprint === mine)) {
    throw new CliError(
      (await isTarget(ctx))
        ? `You are not a reader of the reporter's conversation on this case: the reporter did not consent to CLB joining. Write to the officer instead: note ${read.data.summary.caseId} --message TEXT`
        : 'Your key is not one of the readers of this case.',
    );
  }
  return seal(ctx, read, payload, await caseThreadKeys(read, await channelsOf(ctx)), 'case');
}

/** The language of the tool's standard texts to a reporter: Dutch for a Dutch report, English for any other language. */
export const textLang = (read: ReadCase): 'nl' | 'en' => (!read.report || read.report.lang === 'nl' ? 'nl' : 'en');

/** Files this tool sends are sealed with the officer's key, for the case of `read`. */
export const sealerOf = (ctx: Context, read: ReadCase) => ({ key: ctx.key, caseFingerprint: fingerprintOf(read.reporterKey) });

export function refuseClosed(read: ReadCase, what: string) {
  if (read.data.summary.status === 'closed') throw new CliError(`Case ${read.data.summary.caseId} is closed; you can no longer ${what}.`);
}

