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
}
