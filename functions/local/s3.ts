/**
 * The local stand-in for S3: s3rver, persisted on disk, silent (it logs nothing about anyone).
 *
 * s3rver builds a part's disk path from the request's `uploadId` and `partNumber` unchecked, never
 * compares the ETags given at completion, crashes the process on a part that was never uploaded,
 * and has neither AbortMultipartUpload nor ListMultipartUploads. Those are closed here, in front of
 * its own code: every upload id and part number is checked before it touches a path, completion
 * checks each part's ETag and opens every part before anything is written, and the two missing
 * operations are served from the same folders s3rver uses, and so is UploadPartCopy, with which a
 * moved file is rewritten without its old readers' key packets.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { open, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { S3Client } from '@aws-sdk/client-s3';
import { S3_CLIENT_OPTIONS } from '../files/object-store.ts';
import { SDK_OPTIONS } from '../sdk.ts';
import { socketHandler } from './sockets.ts';
import type { SigningIdentity } from './presigned.ts';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';
// @ts-expect-error s3rver ships no types
import FilesystemStore from 's3rver/lib/stores/filesystem.js';
// @ts-expect-error s3rver ships no types
import S3Error from 's3rver/lib/models/error.js';
// @ts-expect-error s3rver ships no types
import S3Object from 's3rver/lib/models/object.js';

export const BUCKET = 'meldpunt-files';
const REGION = 'eu-west-1';
/** The host its URLs are signed for; nothing dials it (the client's agent goes to the socket). */
const HOST = 'localhost';

/** s3rver's upload ids: 16 random bytes in hex. Nothing else may name an upload folder. */
export const UPLOAD_ID = /^[0-9a-f]{32}$/;
/** S3's part numbers: 1 to 10,000. */
export const PART_NUMBER = /^(?:[1-9]\d{0,3}|10000)$/;

export interface LocalS3 {
  client: S3Client;
  /** The socket s3rver listens on (functions/local/sockets.ts): no TCP port. */
  socketPath: string;
  /** Where s3rver keeps the bucket. */
  directory: string;
  /** What the presigned URLs are signed with, for the `/files/` gate to check them. */
  signing: SigningIdentity;
  stop(): Promise<void>;
}

interface Part {
  number: number;
  etag: string;
}

const noSuchUpload = () => new S3Error('NoSuchUpload', 'The specified upload does not exist.');
const invalidPart = () => new S3Error('InvalidPart', 'One or more of the specified parts could not be found or its ETag did not match.');

/** The parts of s3rver's FilesystemStore used here. */
interface FsStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putObject(object: unknown): Promise<{ size: number; md5: string }>;
  deleteObject(bucket: string, key: string): Promise<void>;
  putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ size: number; md5: string }>;
  putObjectMultipart(bucket: string, uploadId: string, parts: Part[]): Promise<{ size: number; md5: string }>;
}
const Store = FilesystemStore as new (directory: string) => FsStore;

class GuardedStore extends Store {
  /** The folder of an existing upload, after checking the id's shape; throws NoSuchUpload. */
  async uploadDir(bucket: string, uploadId: unknown): Promise<string> {
    if (typeof uploadId !== 'string' || !UPLOAD_ID.test(uploadId)) throw noSuchUpload();
    const dir = join(this.getResourcePath(bucket, undefined, 'uploads'), uploadId);
    if (!existsSync(join(dir, 'key'))) throw noSuchUpload();
    return dir;
  }

  override async putPart(bucket: string, uploadId: string, partNumber: unknown, content: Readable) {
    await this.uploadDir(bucket, uploadId);
    if (!PART_NUMBER.test(String(partNumber))) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
    return super.putPart(bucket, uploadId, Number(partNumber), content);
  }

  override async putObjectMultipart(bucket: string, uploadId: string, parts: Part[]) {
    const dir = await this.uploadDir(bucket, uploadId);
    if (parts.length === 0 || parts.some((p, i) => !PART_NUMBER.test(String(p.number)) || (i > 0 && p.number <= parts[i - 1]!.number))) {
      throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order.');
    }
    for (const part of parts) {
      const md5 = await readFile(join(dir, `${part.number}.md5`), 'utf8').catch(() => null);
      if (md5 === null || md5 !== part.etag) throw invalidPart();
    }
    const [key, metadata] = await Promise.all([readFile(join(dir, 'key'), 'utf8'), readFile(join(dir, 'metadata'), 'utf8').then(JSON.parse)]);
    // Every part opened before anything is written: an abort meanwhile cannot cut the object short.
    const handles = await Promise.all(parts.map((p) => open(join(dir, String(p.number))))).catch(() => {
      throw invalidPart();
    });
    const content = new PassThrough();
    let failed: unknown = null;
    content.on('error', (e) => (failed = e));
    void (async () => {
      try {
        for (const handle of handles) for await (const chunk of handle.createReadStream()) if (!content.write(chunk)) await new Promise((ok) => content.once('drain', ok));
        content.end();
      } catch (e) {
        content.destroy(e as Error);
      }
    })();
    try {
      const result = await this.putObject(new S3Object(bucket, key, content, metadata));
      if (failed) throw failed;
      await rm(dir, { recursive: true, force: true });
      return result;
    } catch {
      await this.deleteObject(bucket, key).catch(() => undefined);
      throw invalidPart();
    } finally {
      await Promise.all(handles.map((h) => h.close().catch(() => undefined)));
    }
  }

  async abortUpload(bucket: string, uploadId: unknown) {
    await rm(await this.uploadDir(bucket, uploadId), { recursive: true, force: true });
  }

  async listUploads(bucket: string, prefix: string) {
    const root = this.getResourcePath(bucket, undefined, 'uploads');
    const ids = await readdir(root).catch(() => [] as string[]);
    const uploads = [];
    for (const id of ids.filter((i) => UPLOAD_ID.test(i))) {
      const key = await readFile(join(root, id, 'key'), 'utf8').catch(() => null);
      if (key === null || !key.startsWith(prefix)) continue;
      uploads.push({ Key: key, UploadId: id, Initiated: (await stat(join(root, id, 'key'))).mtime.toISOString() });
    }
    return uploads;
  }
}

interface KoaContext {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  store: GuardedStore;
}

/** Keys the product writes: nothing else may name a copy's source file. */
const OBJECT_KEY = /^files\/[0-9A-Z]{16}\/[A-Za-z0-9_-]{22}$/;

/** UploadPartCopy, which s3rver lacks: a byte range of an object in the bucket becomes a part. */
async function copyPart(ctx: KoaContext, bucket: string, uploadId: string, partNumber: number) {
  const source = decodeURIComponent(ctx.headers['x-amz-copy-source']!.replace(/^\//, ''));
  const sourceKey = source.startsWith(`${bucket}/`) ? source.slice(bucket.length + 1) : '';
  if (!OBJECT_KEY.test(sourceKey)) throw new S3Error('InvalidArgument', 'The copy source must be an object of this bucket.');
  const path = ctx.store.getResourcePath(bucket, sourceKey, 'object');
  const size = await stat(path).then((s) => s.size, () => -1);
  if (size < 0) throw new S3Error('NoSuchKey', 'The specified key does not exist.');
  const range = /^bytes=(\d+)-(\d+)$/.exec(ctx.headers['x-amz-copy-source-range'] ?? `bytes=0-${size - 1}`);
  const [from, to] = range ? [Number(range[1]), Number(range[2])] : [-1, -1];
  if (from < 0 || to < from || to >= size) throw new S3Error('InvalidRange', 'The requested range is not satisfiable.');
  const { md5 } = await ctx.store.putPart(bucket, uploadId, partNumber, createReadStream(path, { start: from, end: to }));
  return { CopyPartResult: { ETag: JSON.stringify(md5), LastModified: new Date().toISOString() } };
}

/** AbortMultipartUpload, ListMultipartUploads and UploadPartCopy, which s3rver lacks, and the checks of every upload id and part number. */
function multipartGuard(bucket: string) {
  return async (ctx: KoaContext, next: () => Promise<void>) => {
    const [bucketName, ...rest] = ctx.path.slice(1).split('/');
    if (bucketName !== bucket) return next();
    const key = rest.join('/');
    const q = ctx.query;
    for (const name of ['uploadId', 'partNumber', 'uploads']) if (Array.isArray(q[name])) throw new S3Error('InvalidArgument', `${name} appears twice.`);
    if ('uploadId' in q) await ctx.store.uploadDir(bucket, q.uploadId);
    if ('partNumber' in q && !PART_NUMBER.test(String(q.partNumber))) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.');
    if (ctx.method === 'PUT' && key !== '' && 'uploadId' in q && ctx.headers['x-amz-copy-source']) {
      ctx.body = await copyPart(ctx, bucket, String(q.uploadId), Number(q.partNumber));
      return;
    }
    if (ctx.method === 'DELETE' && key !== '' && 'uploadId' in q) {
      await ctx.store.abortUpload(bucket, q.uploadId);
      ctx.status = 204;
      return;
    }
    if (ctx.method === 'GET' && key === '' && 'uploads' in q) {
      const upload = await ctx.store.listUploads(bucket, typeof q.prefix === 'string' ? q.prefix : '');
      ctx.body = { ListMultipartUploadsResult: { Bucket: bucket, KeyMarker: '', UploadIdMarker: '', MaxUploads: 10000, IsTruncated: false, Upload: upload } };
      return;
    }
    return next();
  };
}

/**
 * The secret presigned URLs are signed with, made on first start (mode 0600). s3rver's own,
 * `S3RVER`, is in its source for anyone to read: with it anybody could sign a URL the gate accepts.
 * Kept across restarts, so URLs handed out before one stay good until they expire.
 */
export function loadOrCreateSigningSecret(path: string): string {
  if (!existsSync(path)) writeFileSync(path, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  const secret = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new Error(`${path} is not a Meldpunt signing secret (64 hex digits)`);
  return secret;
}

/**
 * s3rver on `socketPath`, keeping the bucket under `directory`. Its client signs with `secret`; s3rver
 * itself checks no signature (the access key id must be one it knows), the `/files/` gate does.
 */
export async function startS3rver(directory: string, socketPath: string, secret: string): Promise<LocalS3> {
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: secret };
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  // Path-style only: the host of a request names no bucket.
  const server = new (S3rver as new (options: object) => any)({ silent: true, directory, vhostBuckets: false, configureBuckets: [{ name: BUCKET }] });
  server.store = server.context.store = new GuardedStore(directory);
  // Before s3rver's router, after its error handling and XML encoding.
  server.middleware.splice(server.middleware.length - 1, 0, multipartGuard(BUCKET));
  await server.configureBuckets();
  server.httpServer = await server.listen(socketPath);
  const client = new S3Client({
    ...SDK_OPTIONS,
    endpoint: `http://${HOST}`,
    requestHandler: socketHandler(socketPath),
    region: REGION,
    forcePathStyle: true,
    credentials,
    ...S3_CLIENT_OPTIONS,
  });
  return {
    client,
    socketPath,
    directory,
    signing: { host: HOST, region: REGION, ...credentials },
    stop: async () => {
      client.destroy();
      await server.close();
    },
  };
}

/** Where s3rver keeps the parts of open uploads, one folder each. */
export const uploadsFolder = (directory: string) => join(directory, BUCKET, '._S3rver_uploads');
