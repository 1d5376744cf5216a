import { describe, expect, it } from 'vitest';
import { generateNamedKey } from './keys.ts';
import { HEADERS, signRequest, verifyRequestSignature } from './request-signing.ts';

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
});
