/**
 * What S3 checks of a presigned URL, checked locally in front of s3rver (which checks no signature):
 * the SigV4 query signature, recomputed with the SDK's own signer over the request as it was signed
 * (method, the bucket's host and path, every other query parameter), the credential, and the expiry.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SigningIdentity {
  /** `host:port` the URLs were signed for (the bucket's endpoint). */
  host: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Why a presigned URL is refused; said to the client as it is. */
export class PresignRefused extends Error {
  override readonly name = 'PresignRefused';
}

/** The longest validity S3 accepts for a presigned URL (7 days). */
const MAX_EXPIRES = 7 * 24 * 60 * 60;
/** The presigner hoists this header into the query: the payload is not signed, as for any presigned S3 URL. */
const PAYLOAD = 'X-Amz-Content-Sha256';
const SIGNED = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'] as const;

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (d: SourceData) => (typeof d === 'string' ? Buffer.from(d) : ArrayBuffer.isView(d) ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.from(d));

/** node:crypto in the shape the signer wants (`@smithy/types` Checksum). */
class NodeHash {
  private readonly hash;
  constructor(secret?: SourceData) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: SourceData) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
}

function signingDate(amzDate: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!m) throw new PresignRefused('The address has no valid signing date.');
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

/**
 * Checks the presigned `method` request to `bucketPath` (`/<bucket>/<key>`) with `query`, at `now`.
 * Every query parameter must appear once. Throws PresignRefused; returns the other parameters.
 */
export async function verifyPresigned(
  identity: SigningIdentity,
  method: string,
  bucketPath: string,
  query: URLSearchParams,
  now: Date = new Date(),
): Promise<Map<string, string>> {
  const params = new Map<string, string>();
  for (const [name, value] of query) {
    if (params.has(name)) throw new PresignRefused(`The address names "${name}" twice.`);
    params.set(name, value);
  }
  for (const name of SIGNED) if (!params.get(name)) throw new PresignRefused('The address is not signed.');
  if (params.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' || params.get('X-Amz-SignedHeaders') !== 'host') {
    throw new PresignRefused('The address is not signed the way this server signs.');
  }
  const expires = Number(params.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES) throw new PresignRefused('The address has no valid expiry.');
  const date = signingDate(params.get('X-Amz-Date')!);
  if (now.getTime() > date.getTime() + expires * 1000) throw new PresignRefused('The address has expired.');
  // S3 allows some clock skew for a date in the future; nothing this server signs lies there.
  if (date.getTime() > now.getTime() + 15 * 60 * 1000) throw new PresignRefused('The address is signed for a later time.');

  if (params.get(PAYLOAD) !== 'UNSIGNED-PAYLOAD') throw new PresignRefused('The address is not signed the way this server signs.');
  const rest: Record<string, string> = {};
  for (const [name, value] of params) if (!(SIGNED as readonly string[]).includes(name) && name !== PAYLOAD) rest[name] = value;
  const [hostname, port] = identity.host.split(':');
  const signer = new SignatureV4({
    service: 's3',
    region: identity.region,
    credentials: { accessKeyId: identity.accessKeyId, secretAccessKey: identity.secretAccessKey },
    sha256: NodeHash,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const expected = await signer.presign(
    { method, protocol: 'http:', hostname: hostname!, port: port ? Number(port) : undefined, path: bucketPath, query: rest, headers: { host: identity.host, [PAYLOAD]: 'UNSIGNED-PAYLOAD' } },
    { signingDate: date, expiresIn: expires },
  );
  const want = String(expected.query?.['X-Amz-Signature'] ?? '');
  const got = params.get('X-Amz-Signature')!;
  const credentialOk = expected.query?.['X-Amz-Credential'] === params.get('X-Amz-Credential');
  if (!credentialOk || want.length !== got.length || !timingSafeEqual(Buffer.from(want), Buffer.from(got))) {
    throw new PresignRefused('The address signature does not match.');
  }
  return new Map(Object.entries(rest));
}
