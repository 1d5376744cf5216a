/**
 * Attack: submit a report with a reporter key that says who made it (a user ID with a name), or
 * carries other text or parts the web app never makes. Refused, and nothing is stored.
 */
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArmoredPrivateKey, ArmoredPublicKey, Fingerprint, ReporterKey } from '../../shared/protocol/keys.ts';
import { startStack, type TestStack } from '../support/stack.ts';
import { buildSubmission, post } from '../support/reports.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const NAME = 'Jan Jansen <jan.jansen@example.org> (wethouder Noord)';

type KeyOptions = Omit<Parameters<typeof openpgp.generateKey>[0], 'format'>;

async function reporterKey(options: KeyOptions): Promise<ReporterKey> {
  const { privateKey, publicKey } = await openpgp.generateKey({ ...options, userIDs: options.userIDs, format: 'object' });
  const locked = await openpgp.encryptKey({ privateKey, passphrase: 'unlock' });
  return {
    publicKey: publicKey.armor() as ArmoredPublicKey,
    lockedPrivateKey: locked.armor() as ArmoredPrivateKey,
    fingerprint: publicKey.getFingerprint() as Fingerprint,
    unlocked: privateKey,
  };
}

/** A key whose self-signature carries a notation with a name, re-signed as openpgp.js signs. */
async function withNotation(): Promise<ReporterKey> {
  const key = await reporterKey({ userIDs: [{}] });
  const unlocked = key.unlocked;
  const user = unlocked.users[0]!;
  type Resignable = { rawNotations: Array<{ name: string; value: Uint8Array; humanReadable: boolean; critical: boolean }>; sign: (...a: unknown[]) => Promise<void> };
  const cert = user.selfCertifications[0]! as unknown as Resignable;
  cert.rawNotations.push({ name: 'who@example.org', value: new TextEncoder().encode(NAME), humanReadable: true, critical: false });
  await cert.sign(unlocked.keyPacket, { userID: user.userID, key: unlocked.keyPacket }, new Date(), false, { ...openpgp.config, nonDeterministicSignaturesViaNotation: false });
  const locked = await openpgp.encryptKey({ privateKey: unlocked, passphrase: 'unlock' });
  const publicKey = unlocked.toPublic().armor();
  expect(publicKey.length).toBeGreaterThan(key.publicKey.length); // the notation is really in the key
  return { ...key, publicKey: publicKey as ArmoredPublicKey, lockedPrivateKey: locked.armor() as ArmoredPrivateKey };
}

describe('a reporter key that is not what the web app makes', () => {
  it.each([
    ['a user ID with a name and address', () => reporterKey({ userIDs: [{ name: 'Jan Jansen', email: 'jan.jansen@example.org', comment: 'wethouder Noord' }] })],
    ['a second, empty user ID', () => reporterKey({ userIDs: [{}, {}] })],
    ['an extra subkey', () => reporterKey({ userIDs: [{}], subkeys: [{}, {}] })],
    ['a NIST P-256 key', () => reporterKey({ userIDs: [{}], type: 'ecc', curve: 'nistP256' })],
    ['an RFC 9580 curve25519 key', () => reporterKey({ userIDs: [{}], type: 'curve25519' })],
    ['a notation in its self-signature', withNotation],
  ])('is refused: %s', async (_, make) => {
    const key = await make();
    const built = await buildSubmission(stack.url, stack.config, { key });
    const before = await stack.countItems();
    const res = await post(stack.url, '/api/reports', built.body);
    expect(res.status, JSON.stringify(res.json)).toBe(400);
    expect(res.json.error.code).toBe('bad-key');
    expect(res.json.error.message).toMatch(/reporter key/);
    expect(await stack.countItems()).toBe(before);
  });

  it('is refused when only the locked private key carries a name', async () => {
    const named = await reporterKey({ userIDs: [{ name: 'Jan Jansen' }] });
    const built = await buildSubmission(stack.url, stack.config);
    const res = await post(stack.url, '/api/reports', { ...built.body, lockedPrivateKey: named.lockedPrivateKey });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('bad-key');
  });

  it('an armor comment on an acceptable key is not stored', async () => {
    const built = await buildSubmission(stack.url, stack.config);
    const commented = built.body.reporterPublicKey.replace('-----BEGIN PGP PUBLIC KEY BLOCK-----\n', `-----BEGIN PGP PUBLIC KEY BLOCK-----\nComment: ${NAME}\n`);
    const res = await post(stack.url, '/api/reports', { ...built.body, reporterPublicKey: commented });
    expect(res.status).toBe(400);
    // The same key without the comment is fine.
    expect((await post(stack.url, '/api/reports', built.body)).status).toBe(201);
  });
});
