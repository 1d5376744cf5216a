/** What can go wrong with keys and messages, as values the caller can tell apart. */
export type CryptoErrorKind =
  | 'bad-key' // not a usable OpenPGP key of the expected kind
  | 'wrong-passphrase'
  | 'not-encrypted' // not an OpenPGP encrypted message of the shape protocol v1 allows
  | 'not-for-this-key' // none of our keys can decrypt it
  | 'corrupt' // fails its integrity check or does not parse after decryption
  | 'bad-payload'; // decrypts, but is not a payload this version understands

export class CryptoError extends Error {
  override readonly name = 'CryptoError';
  constructor(
    readonly kind: CryptoErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
