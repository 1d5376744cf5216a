import { describe, expect, it } from 'vitest';
import { generateNamedKey } from './keys.ts';
import { canonicalRequest, HEADERS, MAX_SKEW_MS, signRequest, verifyRequestSignature } from './request-signing.ts';

describe('officer request signatures', async () => {
  const officer = await generateNamedKey('Officer', 'x');
  const other = await generateNamedKey('Other', 'x');
  const request = { method: 'POST', path: '/api/officer/cases/ABC/status', body: '{"status":"closed"}' };
  const headers = await signRequest(officer.unlocked, request);
  const signed = { ...request, timestamp: headers[HEADERS.timestamp]!, nonce: headers[HEADERS.nonce]!, signature: headers[HEADERS.signature]! };

  it('verifies with the signer\'s key', async () => {
    expect(headers[HEADERS.key]).toBe(officer.fingerprint);
    expect(await verifyRequestSignature(officer.unlocked.toPublic(), signed)).toBe(true);
  });

  it.each([
    ['another key', { key: 'other' }],
    ['another method', { method: 'DELETE' }],
    ['another path', { path: '/api/officer/cases/XYZ/status' }],
    ['another body', { body: '{"status":"in-progress"}' }],
    ['another timestamp', { timestamp: '1' }],
    ['another nonce', { nonce: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    ['a garbled signature', { signature: 'AAAA' }],
  ])('fails for %s', async (_, change) => {
    const { key, ...fields } = change as { key?: string } & Partial<typeof signed>;
    const verifier = key === 'other' ? other.unlocked.toPublic() : officer.unlocked.toPublic();
    expect(await verifyRequestSignature(verifier, { ...signed, ...fields })).toBe(false);
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
  });

  it('does not accept a signature made over the text of another request by the same key', async () => {
    const other = await signRequest(officer.unlocked, { method: 'GET', path: '/api/officer/cases', body: '' });
    expect(await verifyRequestSignature(officer.unlocked.toPublic(), { ...signed, signature: other[HEADERS.signature]! })).toBe(false);
  });
});
