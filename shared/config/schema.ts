/**
 * `meldpunt.config.json`: the one file that drives the drop box, locally and in AWS. Channels and
 * their recipients' public keys, escalation targets (CLB), retention, mail sender and domain.
 */
import * as z from 'zod';
import { channelIdSchema, localizedSchema } from '../schemas/primitives.ts';

const email = z.string().regex(/^[^\s@]+@[^\s@]+$/, 'not an email address');
const publicKey = z.string().min(1, 'a public key is required');

export const recipientConfigSchema = z
  .object({
    /** Shown to the reporter as who can read their case. */
    name: z.string().min(1),
    /** Armored OpenPGP v4 public key; also the key that signs this officer's API requests. */
    publicKey,
    /** Where "something is waiting" notices go. */
    email,
  })
  .strict();

export const channelConfigSchema = z
  .object({
    id: channelIdSchema,
    name: localizedSchema,
    description: localizedSchema,
    recipients: z.array(recipientConfigSchema).min(1, 'a channel needs at least one recipient'),
  })
  .strict();

export const escalationTargetSchema = z
  .object({
    id: channelIdSchema,
    name: z.string().min(1),
    publicKey,
    email,
  })
  .strict();

const MIB = 1024 * 1024;

/** Evidence files: limits the API enforces and the web app shows. */
export const fileLimitsSchema = z
  .object({
    /** Largest file, in bytes of the original (SecureDrop's limit by default). */
    maxFileBytes: z.number().int().min(1024).max(5 * 1024 * MIB).default(500 * MIB),
    /** Files one message may carry. */
    maxFilesPerMessage: z.number().int().min(1).max(50).default(10),
    /** All files of one case together. */
    maxCaseBytes: z.number().int().min(1024).max(50 * 1024 * MIB).default(2 * 1024 * MIB),
    /** Size of one upload part (S3's minimum is 5 MiB for all but the last). */
    partBytes: z.number().int().min(5 * MIB).max(64 * MIB).default(8 * MIB),
  })
  .strict();
export type FileLimits = z.infer<typeof fileLimitsSchema>;

export const configSchema = z
  .object({
    organisation: z.string().min(1),
    channels: z.array(channelConfigSchema).min(1, 'at least one channel is required'),
    escalation: z.array(escalationTargetSchema).default([]),
    /** Days a closed case is kept before the daily job deletes it. */
    retentionDays: z.number().int().min(1).max(3650).default(365),
    mail: z.object({ from: email }).strict(),
    /** Public host name of the web app in AWS (e.g. `meldpunt.example.nl`). */
    domain: z.string().optional(),
    /** Leading zero bits of the proof of work: each step doubles the work (16 ≈ a second in a browser). */
    powDifficulty: z.number().int().min(0).max(28).default(16),
    files: fileLimitsSchema.default(() => fileLimitsSchema.parse({})),
  })
  .strict()
  .superRefine((config, ctx) => {
    const ids = new Set<string>();
    config.channels.forEach((channel, i) => {
      if (ids.has(channel.id)) ctx.addIssue({ code: 'custom', path: ['channels', i, 'id'], message: `duplicate channel id "${channel.id}"` });
      ids.add(channel.id);
    });
  });
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
      recipients: z.array(z.object({ name: z.string(), publicKey })),
    }),
  ),
  escalation: z.array(z.object({ id: channelIdSchema, name: z.string(), publicKey })),
  files: fileLimitsSchema.pick({ maxFileBytes: true, maxFilesPerMessage: true }),
});
export type PublicChannels = z.infer<typeof publicChannelsSchema>;

export function publicChannels(config: Config): PublicChannels {
  return {
    organisation: config.organisation,
    channels: config.channels.map(({ id, name, description, recipients }) => ({
      id,
      name,
      description,
      recipients: recipients.map(({ name, publicKey }) => ({ name, publicKey })),
    })),
    escalation: config.escalation.map(({ id, name, publicKey }) => ({ id, name, publicKey })),
    files: { maxFileBytes: config.files.maxFileBytes, maxFilesPerMessage: config.files.maxFilesPerMessage },
  };
}
