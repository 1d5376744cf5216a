/**
 * zod schemas for the values every message and request is made of, with their branded types.
 * Written with zod/mini, as is every schema under shared/: the functions load them at each cold
 * start and the browser with its protocol chunk, and mini's schemas are smaller and much faster to
 * construct than classic zod's. The officer tool's own schemas use zod/mini as well.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import type { AccessKey } from '../protocol/derive.ts';
import type { ArmoredMessage } from '../protocol/envelope.ts';
import type { ArmoredPrivateKey, ArmoredPublicKey, Fingerprint } from '../protocol/keys.ts';

// zod/mini leaves error messages out unless a locale is set; every 400 quotes one ("Too big: ...").
z.config(en());

/** Largest armored message we store (DynamoDB items stop at 400 KB; the first report shares its item). */
export const MAX_MESSAGE_CHARS = 350_000;
export const MAX_KEY_CHARS = 8_000;

/** A string matching `pattern`, typed as `T` (a brand: no value changes). */
const branded = <T extends string>(pattern: RegExp, message: string) =>
  z.pipe(
    z.string().check(z.regex(pattern, message)),
    z.transform((s: string) => s as T),
  );

export const accessKeySchema = branded<AccessKey>(/^[A-Za-z0-9_-]{43}$/, 'an access key is 43 base64url characters');
export const fingerprintSchema = branded<Fingerprint>(/^[0-9a-f]{40}$/, 'a fingerprint is 40 lower-case hex digits');

const armored = <T extends string>(kind: string, max: number) =>
  z.pipe(
    z.string().check(
      z.maxLength(max, `too long for ${kind} (at most ${max} characters)`),
      z.refine((s) => s.trimStart().startsWith(`-----BEGIN PGP ${kind}-----`), `not an armored OpenPGP ${kind.toLowerCase()}`),
    ),
    z.transform((s: string) => s as T),
  );

export const armoredMessageSchema = armored<ArmoredMessage>('MESSAGE', MAX_MESSAGE_CHARS);
export const armoredPublicKeySchema = armored<ArmoredPublicKey>('PUBLIC KEY BLOCK', MAX_KEY_CHARS);
export const armoredPrivateKeySchema = armored<ArmoredPrivateKey>('PRIVATE KEY BLOCK', MAX_KEY_CHARS);

/** A calendar day in Europe/Amsterdam: the only precision reporter-side times are kept at. */
export const daySchema = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD'));
export type Day = z.infer<typeof daySchema>;

/** Made by the uploader, random: names a file in object storage and in the signed message that refers to it. */
export const fileIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{22}$/, 'a file id is 22 base64url characters'));

export const channelIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{1,31}$/, 'a channel id is 2 to 32 of a-z, 0-9 and -'));

export const langSchema = z.enum(['nl', 'en', 'tr', 'ar', 'pl']);
const text = () => z.string().check(z.minLength(1));
/** A text in Dutch, and in English, Turkish, Arabic and Polish where given: the reporter's page shows Dutch (marked as Dutch) for a language left out. */
export const localizedSchema = z.object({ nl: text(), en: z.optional(text()), tr: z.optional(text()), ar: z.optional(text()), pl: z.optional(text()) });
export type Localized = z.infer<typeof localizedSchema>;
