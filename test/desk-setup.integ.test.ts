/**
 * The desk's first run, through its own API as the page calls it: the site's address is checked,
 * a weak passphrase or a wrong key is refused with nothing saved, the key is saved locked and
 * readable by the user alone, and the next start asks only for the passphrase.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptable, passphraseStrength } from '../officer/passphrase.ts';
import { KEY_FILE } from '../officer/desk/settings.ts';
import { appDesks, type TestDesk } from './support/desk.ts';
import { startStack, type TestStack } from './support/stack.ts';

let stack: TestStack;
const desks = appDesks();
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await desks.closeAll();
  await stack?.stop();
});

const app = desks.start;

async function post(desk: TestDesk, path: string, body: unknown) {
  const res = await fetch(`${desk.url}api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: desk.origin }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
const state = async (desk: TestDesk) => (await fetch(`${desk.url}api/state`)).json() as Promise<Record<string, unknown>>;

describe('passphrase strength', () => {
  it('refuses short, repeated and dressed-up common words; takes loose words', () => {
    expect(passphraseStrength('kort')).toBe('too-short');
    for (const weak of ['aaaaaaaaaaaaaaaa', 'Wachtwoord2026!', '123456789012', 'abcdefabcdef']) expect(acceptable(weak), weak).toBe(false);
    expect(passphraseStrength('paraplu fiets zeventig oranje')).toBe('strong');
    expect(acceptable('Gr@nd-Lijst 71 kievit')).toBe(true);
  });
});

describe('the first run, attacked', () => {
  it('refuses setup from another origin, and odd input with a 4xx; nothing is saved and the desk stays up', async () => {
    const desk = await app();
    const key = { address: stack.url, channel: stack.config.channels[0]!.id, mode: 'existing', armored: stack.officer.privateKey, passphrase: stack.officer.passphrase };
    for (const [path, body] of [['setup/key', key], ['setup/site', { address: stack.url }], ['quit', {}]] as const) {
      const res = await fetch(`${desk.url}api/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://evil.example' }, body: JSON.stringify(body) });
      expect(res.status, path).toBe(403);
    }
    const odd: Array<[string, unknown]> = [
      ['setup/site', { address: 'file:///etc/passwd' }],
      ['setup/site', { address: 'javascript:alert(1)' }],
      ['setup/site', { address: `${stack.url}/../../etc` }],
      ['setup/site', { address: 'https://user:pw@meldpunt.example.nl' }],
      ['setup/site', { address: 'x'.repeat(301) }],
      ['setup/site', { address: 42 }],
      ['setup/key', { ...key, mode: 'steal' }],
      ['setup/key', { ...key, armored: 'x'.repeat(200_001) }],
      ['setup/key', { ...key, mode: 'gnupg', fingerprint: '../../etc/passwd' }],
      ['setup/key', { ...key, mode: 'existing', armored: '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nnonsense\n-----END PGP PRIVATE KEY BLOCK-----' }],
      ['setup/address', { address: stack.url }],
    ];
    for (const [path, body] of odd) {
      const res = await post(desk, path, body);
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
      expect(typeof res.body.error).toBe('string');
    }
    const notJson = await fetch(`${desk.url}api/setup/site`, { method: 'POST', headers: { 'content-type': 'application/json', origin: desk.origin }, body: '{"address":' });
    expect(notJson.status).toBe(400);
    expect((await fetch(`${desk.url}api/handover`)).status).toBe(409);
    expect((await fetch(`${desk.url}api/cases`)).status).toBe(423);
    expect(readdirSync(desk.folder).filter((f) => f !== 'exports')).toEqual([]);
    expect(await state(desk)).toEqual({ locked: true, setup: true });
  });
});

describe('the first run', () => {
  it('checks the address: not an address, nothing answering, not a Meldpunt, and a real site', async () => {
    const desk = await app();
    expect(await state(desk)).toEqual({ locked: true, setup: true });
    expect(await post(desk, 'setup/site', { address: 'http://meldpunt.example.nl' })).toMatchObject({ status: 400, body: { code: 'address-not-https' } });
    expect(await post(desk, 'setup/site', { address: 'https://meldpunt.example.nl/pad?x=1' })).toMatchObject({ status: 400, body: { code: 'address-invalid' } });
    expect(await post(desk, 'setup/site', { address: 'http://127.0.0.1:9' })).toMatchObject({ status: 400, body: { code: 'site-unreachable' } });
    expect(await post(desk, 'setup/site', { address: stack.mailUrl })).toMatchObject({ status: 400, body: { code: 'site-not-meldpunt' } });
    // An address that answers with an endless body: read up to a limit, then refused.
    const { createServer } = await import('node:http');
    const endless = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const more = () => (res.write(chunk) ? setImmediate(more) : res.once('drain', more));
      more();
    });
    await new Promise<void>((ok) => endless.listen(0, '127.0.0.1', ok));
    const port = (endless.address() as import('node:net').AddressInfo).port;
    expect(await post(desk, 'setup/site', { address: `http://127.0.0.1:${port}` })).toMatchObject({ status: 400, body: { code: 'site-not-meldpunt' } });
    endless.closeAllConnections();
    endless.close();
    const found = await post(desk, 'setup/site', { address: `${stack.url}/` });
    expect(found.status).toBe(200);
    expect(found.body.address).toBe(stack.url);
    expect((found.body.readers as Array<{ id: string }>).map((r) => r.id)).toEqual([...stack.config.channels.map((c) => c.id), ...stack.config.escalation.map((e) => e.id)]);
  });

  it('refuses a weak passphrase, two that differ, an unknown channel, a public key and a wrong passphrase, saving nothing', async () => {
    const desk = await app();
    const base = { address: stack.url, channel: stack.config.channels[0]!.id };
    const tries: Array<[Record<string, unknown>, string]> = [
      [{ ...base, mode: 'new', name: 'Integriteit', passphrase: 'Welkom2026!!', repeat: 'Welkom2026!!' }, 'passphrase-weak'],
      [{ ...base, mode: 'new', name: 'Integriteit', passphrase: 'paraplu fiets zeventig', repeat: 'paraplu fiets zeventig!' }, 'passphrase-differs'],
      [{ ...base, mode: 'new', name: ' ', passphrase: 'paraplu fiets zeventig', repeat: 'paraplu fiets zeventig' }, 'name-missing'],
      [{ ...base, channel: 'nergens', mode: 'new', name: 'X', passphrase: 'paraplu fiets zeventig', repeat: 'paraplu fiets zeventig' }, 'channel-unknown'],
      [{ ...base, mode: 'existing', armored: stack.officer.publicKey, passphrase: stack.officer.passphrase }, 'key-not-private'],
      [{ ...base, mode: 'existing', armored: stack.officer.privateKey, passphrase: 'niet het goede wachtwoord' }, 'key-unlock-failed'],
    ];
    for (const [body, code] of tries) expect(await post(desk, 'setup/key', body), code).toMatchObject({ status: 400, body: { code } });
    expect(readdirSync(desk.folder).filter((f) => f !== 'exports')).toEqual([]);
    expect(await state(desk)).toEqual({ locked: true, setup: true });
  });

  it('makes a new key, saved locked for the user alone, and shows the hand-over sheet until the site lists it', async () => {
    const desk = await app();
    const made = await post(desk, 'setup/key', { address: stack.url, channel: stack.config.channels[0]!.id, mode: 'new', name: 'Nieuwe functionaris', passphrase: 'paraplu fiets zeventig oranje', repeat: 'paraplu fiets zeventig oranje' });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ organisation: stack.config.organisation, address: stack.url, name: 'Nieuwe functionaris', listed: false });
    const saved = readFileSync(join(desk.folder, KEY_FILE), 'utf8');
    const key = await openpgp.readPrivateKey({ armoredKey: saved });
    expect(key.isDecrypted()).toBe(false);
    expect(key.getFingerprint().toUpperCase()).toBe(made.body.fingerprint);
    expect(made.body.publicKey).toBe(key.toPublic().armor());
    expect(statSync(desk.folder).mode & 0o777).toBe(0o700);
    for (const f of readdirSync(desk.folder).filter((f) => f !== 'exports')) expect(statSync(join(desk.folder, f)).mode & 0o777, f).toBe(0o600);
    // Not yet on the site: the sheet, not a list of cases the server would refuse.
    expect(await state(desk)).toEqual({ locked: false, pending: true });
    // A second setup is refused: the saved key stays.
    expect(await post(desk, 'setup/key', { address: stack.url, channel: stack.config.channels[0]!.id, mode: 'existing', armored: stack.officer.privateKey, passphrase: stack.officer.passphrase })).toMatchObject({ status: 409, body: { code: 'already-set-up' } });
    expect(readFileSync(join(desk.folder, KEY_FILE), 'utf8')).toBe(saved);
  });

  it('takes an existing key the site lists; the next start asks only for the passphrase, then lists the cases', async () => {
    const first = await app();
    const set = await post(first, 'setup/key', { address: stack.url, channel: stack.config.channels[0]!.id, mode: 'existing', armored: stack.officer.privateKey, passphrase: stack.officer.passphrase });
    expect(set).toMatchObject({ status: 200, body: { listed: true } });
    expect(await state(first)).toMatchObject({ locked: false, role: 'officer' });
    await first.close();

    const next = await app(first.folder);
    expect(await state(next)).toEqual({ locked: true });
    expect(await post(next, 'unlock', { passphrase: 'fout' })).toMatchObject({ status: 400, body: { code: 'wrong-passphrase' } });
    expect((await post(next, 'unlock', { passphrase: stack.officer.passphrase })).status).toBe(200);
    expect((await fetch(`${next.url}api/cases`)).status).toBe(200);
    // Locked again: the key and its client are gone, the cases refused.
    await post(next, 'lock', {});
    expect((await fetch(`${next.url}api/cases`)).status).toBe(423);

    // A new address that is no Meldpunt is refused, and the saved one stays.
    expect(await post(next, 'setup/address', { address: 'http://127.0.0.1:9' })).toMatchObject({ status: 400, body: { code: 'site-unreachable' } });
    expect(JSON.parse(readFileSync(join(first.folder, 'instellingen.json'), 'utf8'))).toEqual({ api: stack.url, channel: stack.config.channels[0]!.id });
    expect(existsSync(join(first.folder, KEY_FILE))).toBe(true);
  });
});
