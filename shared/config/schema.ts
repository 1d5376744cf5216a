/**
 * `meldpunt.config.json`: the one file that drives the drop box, locally and in AWS. Channels and
 * their recipients' public keys, escalation targets (CLB), retention, mail sender and domain.
 */
import * as z from 'zod/mini';
import { channelIdSchema, localizedSchema } from '../schemas/primitives.ts';
import { categorySchema } from '../schemas/payload.ts';

const email = z.string().check(z.regex(/^[^\s@]+@[^\s@]+$/, 'not an email address'));
const publicKey = z.string().check(z.minLength(1, 'a public key is required'));
const name = z.string().check(z.minLength(1));
/** A whole number from `min` to `max`, `fallback` when left out. */
const count = (min: number, max: number, fallback: number) => z._default(z.int().check(z.minimum(min), z.maximum(max)), fallback);

export const recipientConfigSchema = z.strictObject({
  /** Shown to the reporter as who can read their case. */
  name,
  /** Armored OpenPGP v4 public key; also the key that signs this officer's API requests. */
  publicKey,
  /** Where "something is waiting" notices go. */
  email,
});

export const channelConfigSchema = z.strictObject({
  id: channelIdSchema,
  name: localizedSchema,
  description: localizedSchema,
  /** The kinds of report this channel is for: the form preselects it when the reporter picks one (still changeable). */
  kinds: z._default(z.array(categorySchema), []),
  recipients: z.array(recipientConfigSchema).check(z.minLength(1, 'a channel needs at least one recipient')),
});

export const escalationTargetSchema = z.strictObject({ id: channelIdSchema, name, publicKey, email });

const MIB = 1024 * 1024;
/** Sizes people read are in MB of 10⁶ bytes, here and wherever a size is shown (shared/format/size.ts). */
const MB = 1_000_000;

/** Evidence files: limits the API enforces and the web app shows. */
export const fileLimitsSchema = z.strictObject({
  /** Largest file, in bytes of the original. At most 4,000 MB: a file is one OpenPGP packet of definite length (under 4 GiB). */
  maxFileBytes: count(1000, 4_000 * MB, 500 * MB),
  /** Files one message may carry. */
  maxFilesPerMessage: count(1, 50, 10),
  /** All files of one case together. */
  maxCaseBytes: count(1000, 50_000 * MB, 2_000 * MB),
  /** Size of one upload part (S3's minimum is 5 MiB for all but the last). */
  partBytes: count(5 * MIB, 64 * MIB, 8 * MIB),
});
export type FileLimits = z.infer<typeof fileLimitsSchema>;

/** Where a letter reaches the officers, and a phone number if the party has one: for reporters who stay off the internet. */
export const paperSchema = z.strictObject({
  /** The postal address, one line per entry. */
  address: z.array(name).check(z.minLength(1), z.maxLength(8)),
  phone: z.optional(name),
});

export const configSchema = z
  .strictObject({
    organisation: name,
    paper: z.optional(paperSchema),
    channels: z.array(channelConfigSchema).check(z.minLength(1, 'at least one channel is required')),
    escalation: z._default(z.array(escalationTargetSchema), []),
    /** Days a closed case is kept before the daily job deletes it. */
    retentionDays: count(1, 3650, 365),
    mail: z.strictObject({ from: email }),
    /** Public host name of the web app in AWS (e.g. `meldpunt.example.nl`). */
    domain: z.optional(z.string()),
    /** Leading zero bits of the proof of work: each step doubles the work (16 ≈ a second in a browser). */
    powDifficulty: count(0, 28, 16),
    files: z._default(fileLimitsSchema, () => fileLimitsSchema.parse({})),
  })
  .check(
    z.superRefine((config, ctx) => {
      const ids = new Set<string>();
      config.channels.forEach((channel, i) => {
        if (ids.has(channel.id)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: `duplicate channel id "${channel.id}"` });
        ids.add(channel.id);
      });
    }),
  );
export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
export type ChannelConfig = z.infer<typeof channelConfigSchema>;
export type EscalationTarget = z.infer<typeof escalationTargetSchema>;

/**
 * What the web app ships with: channels and the public keys it encrypts to and verifies replies
 * against. Served as a static file beside the app, never by the API, so a compromised API cannot
 * substitute keys.
 */
export const publicChannelsSchema = z.object({
  organisation: z.string(),
  channels: z.array(
    z.object({
      id: channelIdSchema,
      name: localizedSchema,
      description: localizedSchema,
      kinds: z._default(z.array(categorySchema), []),
      recipients: z.array(z.object({ name: z.string(), publicKey })),
    }),
  ),
  escalation: z.array(z.object({ id: channelIdSchema, name: z.string(), publicKey })),
  files: z.pick(fileLimitsSchema, { maxFileBytes: true, maxFilesPerMessage: true }),
});
export type PublicChannels = z.infer<typeof publicChannelsSchema>;

export function publicChannels(config: Config): PublicChannels {
  return {
    organisation: config.organisation,
    channels: config.channels.map(({ id, name, description, kinds, recipients }) => ({
      id,
      name,
      description,
      kinds,
      recipients: recipients.map(({ name, publicKey }) => ({ name, publicKey })),
    })),
    escalation: config.escalation.map(({ id, name, publicKey }) => ({ id, name, publicKey })),
    files: { maxFileBytes: config.files.maxFileBytes, maxFilesPerMessage: config.files.maxFilesPerMessage },
  };
}

/**
 * `/per-post.txt`: the paper route as plain text, which the page links to without JavaScript too
 * (the page itself is built before any config is known). Dutch, then English.
 */
export function paperText(config: Pick<Config, 'organisation' | 'paper'>): string {
  const paper = config.paper;
  if (!paper) {
    return [
      `${config.organisation}: melden per brief / reporting by letter`,
      '',
      'Dit meldpunt heeft geen postadres opgegeven. Vraag het adres van het partijbureau aan iemand die u vertrouwt.',
      'This reporting point has not published a postal address. Ask someone you trust for the party office address.',
      '',
    ].join('\n');
  }
  return [
    `${config.organisation}: melden per brief / reporting by letter`,
    '',
    'Aan de integriteitsfunctionaris / To the integrity officer',
    ...paper.address,
    '',
    ...(paper.phone ? [`Telefoon / phone: ${paper.phone}`, ''] : []),
    'U hoeft geen afzender te vermelden. / You need not give a sender.',
    '',
  ].join('\n');
}
