/**
 * Server-side secrets, behind one small interface: in AWS two KMS HMAC_256 keys (the secret never
 * leaves KMS), locally a key file. Both return HMAC-SHA-256, so the same data gives the same MAC
 * shape everywhere.
 */
export interface KeyService {
  /**
   * HMAC of an access key, the only form in which a code-derived value is stored. A copy of the
   * table without this key cannot be used to test codes. Throws if the key service fails.
   */
  lookupMac(data: Uint8Array): Promise<Uint8Array>;
  /** HMAC that signs proof-of-work challenges (kept apart from the lookup key). Throws on failure. */
  powMac(data: Uint8Array): Promise<Uint8Array>;
  /**
   * ECDSA P-256 with SHA-256 over `data`, DER-encoded (what `openssl dgst -sha256 -verify` reads):
   * the service's signature on a proof of reporting. Throws on failure.
   */
  signProof(data: Uint8Array): Promise<Uint8Array>;
  /** The proof-signing public key as PEM (SubjectPublicKeyInfo). Throws on failure. */
  proofPublicKey(): Promise<string>;
}

/** A DER SubjectPublicKeyInfo as PEM. */
export function spkiPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN PUBLIC KEY-----\n${base64}\n-----END PUBLIC KEY-----\n`;
}
