/** zod schemas for the values every message and request is made of, with their branded types. */
import * as z from 'zod';
import type { AccessKey } from '../protocol/derive.ts';
import type { ArmoredMessage } from '../protocol/envelope.ts';
import type { ArmoredPrivateKey, ArmoredPublicKey, Fingerprint } from '../protocol/keys.ts';

/** Largest armored message we store (DynamoDB items stop at 400 KB; the first report shares its item). */
export const MAX_MESSAGE_CHARS = 350_000;
export const MAX_KEY_CHARS = 8_000;

export const accessKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{43}$/, 'an access key is 43 base64url characters')
  .transform((s) => s as AccessKey);

export const fingerprintSchema = z
  .string()
  .regex(/^[0-9a-f]{40}$/, 'a fingerprint is 40 lower-case hex digits')
  .transform((s) => s as Fingerprint);

const armored = (kind: string, max: number) =>
  z
    .string()
    .max(max, `too long for ${kind} (at most ${max} characters)`)
    .refine((s) => s.trimStart().startsWith(`-----BEGIN PGP ${kind}-----`), `not an armored OpenPGP ${kind.toLowerCase()}`);

export const armoredMessageSchema = armored('MESSAGE', MAX_MESSAGE_CHARS).transform((s) => s as ArmoredMessage);
export const armoredPublicKeySchema = armored('PUBLIC KEY BLOCK', MAX_KEY_CHARS).transform((s) => s as ArmoredPublicKey);
export const armoredPrivateKeySchema = armored('PRIVATE KEY BLOCK', MAX_KEY_CHARS).transform((s) => s as ArmoredPrivateKey);

/** A calendar day in Europe/Amsterdam: the only precision reporter-side times are kept at. */
export const daySchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD');
export type Day = z.infer<typeof daySchema>;

/** Made by the uploader, random: names a file in object storage and in the signed message that refers to it. */
export const fileIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'a file id is 22 base64url characters');

export const channelIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'a channel id is 2 to 32 of a-z, 0-9 and -');

export const langSchema = z.enum(['nl', 'en', 'tr', 'ar', 'pl']);
/** A text in Dutch and English; Turkish, Arabic and Polish are optional (the reporter's page falls back to English). */
export const localizedSchema = z.object({ nl: z.string().min(1), en: z.string().min(1), tr: z.string().min(1).optional(), ar: z.string().min(1).optional(), pl: z.string().min(1).optional() });
export type Localized = z.infer<typeof localizedSchema>;
