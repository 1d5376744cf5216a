/**
 * Officer request signatures: signed by the tool with openpgp.js, checked by the server with
 * node:crypto and the key facts worked out at build time. Every way a signature can be wrong fails.
 */
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { factsOf } from '../../shared/config/key-facts.ts';
import { generateNamedKey } from '../../shared/protocol/keys.ts';
import { fromBase64Url, toBase64Url, utf8 } from '../../shared/protocol/bytes.ts';
import { readPackets, writePacket } from '../../shared/protocol/packets.ts';
import { canonicalRequest, HEADERS, MAX_SKEW_MS, signRequest } from '../../shared/protocol/request-signing.ts';
import { verifyRequestSignature } from './request.ts';

const request = { method: 'POST', path: '/api/officer/cases/ABC/status', body: '{"status":"closed"}' };

async function signedBy(key: openpgp.PrivateKey) {
  const headers = await signRequest(key, request);
  return { ...request, timestamp: headers[HEADERS.timestamp]!, nonce: headers[HEADERS.nonce]!, signature: headers[HEADERS.signature]!, fingerprint: headers[HEADERS.key]! };
}

/** A detached signature made with openpgp.js's lower-level API, with the given changes to the packet. */
async function craft(key: openpgp.PrivateKey, text: string, change: (s: { signatureType: number; rawNotations: unknown[]; created: Date; signatureExpirationTime: number | null; unhashedSubpackets: unknown[] }) => void) {
  const message = await openpgp.createMessage({ binary: utf8(text) });
  const signature = await openpgp.readSignature({ binarySignature: (await openpgp.sign({ message, signingKeys: key, detached: true, format: 'binary' })) as Uint8Array });
  const packet = signature.packets[0] as unknown as Parameters<typeof change>[0] & { sign: (...a: unknown[]) => Promise<void> };
  change(packet);
  await packet.sign(key.keyPacket, { getLiteralData: () => message.getLiteralData(), getText: () => text, getBytes: () => utf8(text) } as never, packet.created, true, { ...openpgp.config, nonDeterministicSignaturesViaNotation: false });
  return toBase64Url(signature.write());
}

describe('officer request signatures', async () => {
  const officer = await generateNamedKey('Officer', 'x');
  const other = await generateNamedKey('Other', 'x');
  const facts = await factsOf(officer.unlocked.toPublic());
  const now = Date.now();
  const signed = await signedBy(officer.unlocked);

  it('verifies with the signer\'s key facts, named by fingerprint', async () => {
    expect(signed.fingerprint).toBe(officer.fingerprint);
    expect(facts.fingerprint).toBe(officer.fingerprint);
    expect(await verifyRequestSignature(facts.signing, signed, now)).toBe(true);
  });

  it.each([
    ['another key', { key: 'other' }],
    ['another method', { method: 'DELETE' }],
    ['another path', { path: '/api/officer/cases/XYZ/status' }],
    ['another body', { body: '{"status":"in-progress"}' }],
    ['another timestamp', { timestamp: '1' }],
    ['another nonce', { nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    ['a garbled signature', { signature: 'AAAA' }],
    ['an empty signature', { signature: '' }],
    ['not base64url', { signature: '!!!' }],
  ])('fails for %s', async (_, change) => {
    const { key, ...fields } = change as { key?: string } & Partial<typeof signed>;
    const verifier = key === 'other' ? (await factsOf(other.unlocked.toPublic())).signing : facts.signing;
    expect(await verifyRequestSignature(verifier, { ...signed, ...fields }, now)).toBe(false);
  });

  it('fails for every single flipped bit of the signature packet', async () => {
    const bytes = fromBase64Url(signed.signature);
    for (let i = 0; i < bytes.length; i++) {
      const flipped = bytes.slice();
      flipped[i]! ^= 1 << (i % 8);
      expect(await verifyRequestSignature(facts.signing, { ...signed, signature: toBase64Url(flipped) }, now), `byte ${i}`).toBe(false);
    }
  });

  it('fails for two signatures where one is expected, and for trailing packets', async () => {
    const bytes = fromBase64Url(signed.signature);
    const twice = new Uint8Array([...bytes, ...bytes]);
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: toBase64Url(twice) }, now)).toBe(false);
    const marker = writePacket({ tag: 10, body: utf8('PGP') });
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: toBase64Url(new Uint8Array([...bytes, ...marker])) }, now)).toBe(false);
  });

  it('fails for a signature made later than the server\'s clock allows', async () => {
    const text = await canonicalRequest(request.method, request.path, signed.timestamp, signed.nonce, request.body);
    const future = await craft(officer.unlocked, text, (s) => (s.created = new Date(now + MAX_SKEW_MS + 60_000)));
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: future }, now)).toBe(false);
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: future }, now + 2 * MAX_SKEW_MS)).toBe(true);
  });

  it('fails for a text-mode signature, an expired signature and a critical subpacket it does not know', async () => {
    const text = await canonicalRequest(request.method, request.path, signed.timestamp, signed.nonce, request.body);
    const fine = await craft(officer.unlocked, text, () => {});
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: fine }, now)).toBe(true);
    const textMode = await craft(officer.unlocked, text, (s) => (s.signatureType = openpgp.enums.signature.text));
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: textMode }, now)).toBe(false);
    const expired = await craft(officer.unlocked, text, (s) => {
      s.created = new Date(now - 10_000);
      s.signatureExpirationTime = 5;
    });
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: expired }, now)).toBe(false);
    const critical = await craft(officer.unlocked, text, (s) => s.rawNotations.push({ name: 'x@example.org', value: utf8('y'), humanReadable: true, critical: true }));
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: critical }, now)).toBe(false);
  });

  it('fails once the key has expired, and for a signature made before the key existed', async () => {
    const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: 'Short' }], keyExpirationTime: 60, format: 'object' });
    const short = await factsOf(privateKey.toPublic());
    expect(short.signing.expires).toBe(privateKey.keyPacket.created.getTime() + 60_000);
    const fresh = await signedBy(privateKey);
    expect(await verifyRequestSignature(short.signing, fresh, now)).toBe(true);
    expect(await verifyRequestSignature(short.signing, fresh, short.signing.expires! + 1)).toBe(false);
  });

  it.each([
    ['RSA 2048', { type: 'rsa', rsaBits: 2048 }],
    ['RFC 9580 Ed25519', { type: 'curve25519' }],
  ] as const)('verifies %s officer keys too, and only with the right key', async (_, options) => {
    const { privateKey } = await openpgp.generateKey({ userIDs: [{ name: 'Officer' }], ...options, format: 'object' });
    const mine = await factsOf(privateKey.toPublic());
    const request = await signedBy(privateKey);
    expect(await verifyRequestSignature(mine.signing, request, now)).toBe(true);
    expect(await verifyRequestSignature(mine.signing, { ...request, body: '{}' }, now)).toBe(false);
    expect(await verifyRequestSignature(facts.signing, request, now)).toBe(false);
  });

  it('refuses at build time a key whose signatures the server cannot check', async () => {
    const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'Officer' }], type: 'ecc', curve: 'nistP256', format: 'object' });
    await expect(factsOf(publicKey)).rejects.toThrow(/ecdsa.*ed25519 and RSA/);
  });

  it('signs a canonical text that both sides build the same way', async () => {
    // SHA-256 of the empty body and of "{}": known answers, so tool and server cannot drift apart.
    expect(await canonicalRequest('get', '/api/officer/cases', '1764000000000', 'bm9uY2Vub25jZW5vbmNl', '')).toBe(
      'meldpunt/v1\nGET\n/api/officer/cases\n1764000000000\nbm9uY2Vub25jZW5vbmNl\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect((await canonicalRequest('POST', '/p', '1', 'n', '{}')).split('\n')[5]).toBe('44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
  });

  it('stamps the time it is given, a fresh nonce every time, and the signer\'s fingerprint', async () => {
    const at = new Date('2026-11-23T10:00:00Z');
    const a = await signRequest(officer.unlocked, { ...request, now: at });
    const b = await signRequest(officer.unlocked, { ...request, now: at });
    expect(a[HEADERS.timestamp]).toBe(String(at.getTime()));
    expect(a[HEADERS.nonce]).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(a[HEADERS.nonce]).not.toBe(b[HEADERS.nonce]);
    expect(MAX_SKEW_MS).toBe(5 * 60 * 1000);
    expect(readPackets(fromBase64Url(a[HEADERS.signature]!))).toHaveLength(1);
  });

  it('does not accept a signature made over the text of another request by the same key', async () => {
    const another = await signRequest(officer.unlocked, { method: 'GET', path: '/api/officer/cases', body: '' });
    expect(await verifyRequestSignature(facts.signing, { ...signed, signature: another[HEADERS.signature]! }, now)).toBe(false);
  });
});
