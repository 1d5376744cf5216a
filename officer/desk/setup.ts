/**
 * The desk's first run, in the browser: the site's address (checked: it answers, and lists the
 * officer's channel), then a new key or an existing one, saved locked in the desk's own folder, and
 * the hand-over sheet with the public key and fingerprint for the operator. Refusals carry a `code`
 * the page words in its own language.
 */
import * as openpgp from 'openpgp';
import * as z from 'zod/mini';
import { publicChannelsSchema, type PublicChannels } from '../../shared/config/schema.ts';
import { fingerprintOf, generateNamedKey, unlockPrivateKey } from '../../shared/protocol/keys.ts';
import { AnswerTooLarge, fetchAnswer, jsonOrNull, OfficerClient } from '../client.ts';
import { acceptable } from '../passphrase.ts';
import { gnupgKey } from '../gnupg.ts';
import type { ExternalKey } from '../../shared/protocol/external-key.ts';
import { DeskError, json, readJson, type Answer, type Desk } from './api.ts';
import type { IncomingMessage } from 'node:http';
import { save, type Settings } from './settings.ts';

export const addressBody = z.object({ address: z.string().check(z.maxLength(300)) });
export const keyBody = z.object({
  address: z.string().check(z.maxLength(300)),
  channel: z.string().check(z.maxLength(40)),
  mode: z.enum(['new', 'existing', 'gnupg']),
  fingerprint: z.optional(z.string().check(z.maxLength(100))),
  name: z.optional(z.string().check(z.maxLength(200))),
  passphrase: z.string().check(z.maxLength(1000)),
  repeat: z.optional(z.string().check(z.maxLength(1000))),
  armored: z.optional(z.string().check(z.maxLength(200_000))),
});

/** A refusal the page words itself; `message` is for the tool's own log and tests. */
export const refusal = (status: number, code: string, message: string) => new DeskError(status, message, code);

/** What a person types: "meldpunt.example.nl/", "https://meldpunt.example.nl" … → https://meldpunt.example.nl */
export function siteAddress(given: string): string {
  const trimmed = given.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw refusal(400, 'address-invalid', 'This is not a web address.');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    throw refusal(400, 'address-invalid', 'Give only the site\'s address, like https://meldpunt.example.nl.');
  }
  // Plain http only to this computer (the local stack); a real site is https.
  if (url.protocol === 'http:' && !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) {
    throw refusal(400, 'address-not-https', 'A Meldpunt site is reached over https.');
  }
  return url.origin;
}

/** The site's published channels, or a refusal that says why not. */
export async function readSite(address: string): Promise<PublicChannels> {
  let answer: { ok: boolean; text: string } | null;
  try {
    // An address that is not a Meldpunt may send anything: its answer is read up to 2 MB.
    answer = await fetchAnswer(`${address}/channels.json`, {}, { ms: 15_000, maxBytes: 2_000_000 });
  } catch (error) {
    if (!(error instanceof AnswerTooLarge)) throw refusal(400, 'site-unreachable', `${address} does not answer.`);
    answer = null;
  }
  const parsed = publicChannelsSchema.safeParse(answer?.ok ? jsonOrNull(answer.text) : null);
  if (!parsed.success) throw refusal(400, 'site-not-meldpunt', `${address} answers, but is not a Meldpunt site.`);
  return parsed.data;
}

/** Every channel and escalation target the officer may read for, with its keys. */
export function readersOf(site: PublicChannels) {
  return [
    ...site.channels.map((c) => ({ id: c.id, name: { nl: c.name.nl, en: c.name.en ?? c.name.nl }, keys: c.recipients.map((r) => r.publicKey), target: false })),
    ...site.escalation.map((e) => ({ id: e.id, name: { nl: e.name, en: e.name }, keys: [e.publicKey], target: true })),
  ];
}

export interface Handover {
  organisation: string;
  address: string;
  channel: { id: string; name: { nl: string; en: string } };
  name: string;
  fingerprint: string;
  publicKey: string;
  /** Whether the site already lists this key for the channel (the operator has put it in). */
  listed: boolean;
}

/** The hand-over sheet's facts: nothing secret, read from the saved (locked) key and the site. */
export async function handoverOf(desk: Desk, settings: Settings): Promise<Handover> {
  const key = desk.gnupg ? await gnupgPublicKey(desk.gnupg) : await openpgp.readPrivateKey({ armoredKey: desk.armoredKey! });
  const site = await readSite(settings.api);
  const reader = readersOf(site).find((r) => r.id === settings.channel);
  const fingerprint = fingerprintOf(key);
  let listed = false;
  for (const armored of reader?.keys ?? []) {
    if ((await openpgp.readKey({ armoredKey: armored })).getFingerprint() === fingerprint) listed = true;
  }
  return {
    organisation: site.organisation,
    address: settings.api,
    channel: { id: settings.channel, name: reader?.name ?? { nl: settings.channel, en: settings.channel } },
    name: (key.getUserIDs()[0] ?? '').replace(/\s*<[^>]*>$/, ''),
    fingerprint: fingerprint.toUpperCase(),
    publicKey: key.toPublic().armor(),
    listed,
  };
}

/** The public part of a key GnuPG holds (its secret stays there). */
async function gnupgPublicKey(fingerprint: string): Promise<openpgp.PublicKey> {
  const key = await gnupgKey(fingerprint);
  key.close();
  return key.publicKey;
}

/** `setup/key`: checks everything first, then saves the key and settings and opens the desk. */
export async function setUp(desk: Desk, folder: string, body: z.infer<typeof keyBody>): Promise<Settings> {
  if (desk.armoredKey || desk.gnupg) throw refusal(409, 'already-set-up', 'This desk already has a key.');
  const api = siteAddress(body.address);
  const site = await readSite(api);
  if (!readersOf(site).some((r) => r.id === body.channel)) throw refusal(400, 'channel-unknown', 'Choose your channel from the site\'s list.');
  if (body.mode === 'gnupg') {
    const fingerprint = (body.fingerprint ?? '').replace(/\s+/g, '').toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(fingerprint)) throw refusal(400, 'fingerprint-invalid', 'A fingerprint is 40 characters, 0-9 and A-F.');
    let key: ExternalKey & { close(): void };
    try {
      key = await gnupgKey(fingerprint);
    } catch (e) {
      throw refusal(400, 'gnupg-no-key', e instanceof Error ? e.message : 'GnuPG does not have this key.');
    }
    const settings = { api, channel: body.channel, gnupg: fingerprint };
    save({ settings, armoredKey: null }, folder);
    Object.assign(desk, { api, gnupg: fingerprint, key, client: new OfficerClient(api, key, desk.now) });
    return settings;
  }
  let armored: string;
  let key: openpgp.PrivateKey;
  if (body.mode === 'new') {
    const name = (body.name ?? '').trim();
    if (!name) throw refusal(400, 'name-missing', 'Give your name or role.');
    if (!acceptable(body.passphrase)) throw refusal(400, 'passphrase-weak', 'Choose a stronger passphrase.');
    if (body.repeat !== body.passphrase) throw refusal(400, 'passphrase-differs', 'The two passphrases differ.');
    const made = await generateNamedKey(name, body.passphrase);
    [armored, key] = [made.lockedPrivateKey, made.unlocked];
  } else {
    armored = (body.armored ?? '').trim();
    if (!armored.includes('-----BEGIN PGP PRIVATE KEY BLOCK-----')) throw refusal(400, 'key-not-private', 'This file holds no private key.');
    let given: openpgp.PrivateKey;
    try {
      given = await openpgp.readPrivateKey({ armoredKey: armored });
    } catch {
      throw refusal(400, 'key-not-private', 'This file holds no private key.');
    }
    if (given.isDecrypted()) {
      // A key kept without a passphrase is saved locked with the one given here, so it must be a good one.
      if (!acceptable(body.passphrase)) throw refusal(400, 'passphrase-weak', 'Choose a stronger passphrase.');
      armored = (await openpgp.encryptKey({ privateKey: given, passphrase: body.passphrase })).armor();
    }
    try {
      key = await unlockPrivateKey(armored, body.passphrase);
    } catch {
      throw refusal(400, 'key-unlock-failed', 'This passphrase does not open this key.');
    }
  }
  const settings = { api, channel: body.channel };
  save({ settings, armoredKey: armored }, folder);
  Object.assign(desk, { api, armoredKey: armored, key, client: new OfficerClient(api, key, desk.now) });
  return settings;
}

/** The first run's routes, and changing the site's address later; null for every other path. */
export async function setupRoute(desk: Desk, app: NonNullable<Desk['app']>, method: string, path: string, req: IncomingMessage): Promise<Answer | null> {
  if (method === 'POST' && path === 'setup/site') {
    const address = siteAddress((await readJson(req, addressBody)).address);
    const site = await readSite(address);
    const readers = readersOf(site).map(({ id, name, target }) => ({ id, name, target }));
    if (readers.length === 0) throw refusal(400, 'site-no-channels', 'This site lists no channels yet.');
    return json({ address, organisation: site.organisation, readers });
  }
  if (method === 'POST' && path === 'setup/key') {
    app.settings = await setUp(desk, app.folder, await readJson(req, keyBody));
    return json(await handoverOf(desk, app.settings));
  }
  if (method === 'GET' && path === 'handover') {
    if (!app.settings || !(desk.armoredKey || desk.gnupg)) throw refusal(409, 'not-set-up', 'This desk has no key yet.');
    return json(await handoverOf(desk, app.settings));
  }
  if (method === 'POST' && path === 'setup/address') {
    if (!app.settings || !(desk.armoredKey || desk.gnupg)) throw refusal(409, 'not-set-up', 'This desk has no key yet.');
    const address = siteAddress((await readJson(req, addressBody)).address);
    if (!readersOf(await readSite(address)).some((r) => r.id === app.settings!.channel)) throw refusal(400, 'channel-not-on-site', 'Your channel is not on this site.');
    app.settings = { ...app.settings, api: address };
    save({ settings: app.settings, armoredKey: desk.armoredKey }, app.folder);
    desk.api = address;
    if (desk.key) desk.client = new OfficerClient(address, desk.key, desk.now);
    desk.cases.clear();
    return json({ address });
  }
  return null;
}
