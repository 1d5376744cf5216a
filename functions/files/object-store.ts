/**
 * Where encrypted files live: S3 in AWS, a local S3-compatible server (s3rver) on one machine,
 * reached through the same code. Browsers never talk to it directly: every URL handed out is a
 * path on the site's own origin (`/files/...`), which CloudFront, or the local server, routes to the
 * bucket, so the page keeps `connect-src 'self'`.
 */
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * The SDK would otherwise sign a CRC32 of an empty body into every presigned part URL, which S3
 * then refuses for the real part; checksums are added only where S3 requires them.
 */
export const S3_CLIENT_OPTIONS = { requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } as const;

/** S3's smallest part but the last: a rewritten object's first part, uploaded; the rest is copied. */
const FIRST_PART_BYTES = 5 * 1024 * 1024;

/** Object keys start with this, and it is also the path the site routes to the bucket. */
export const FILES_PREFIX = 'files/';

export interface StoredObject {
  key: string;
  size: number;
  lastModified: Date;
}

export interface ObjectStore {
  /** Starts a multipart upload; returns its id. */
  createUpload(key: string): Promise<string>;
  /** Same-origin URLs to PUT parts 1..count to, valid for `seconds`. */
  partUrls(key: string, uploadId: string, count: number, seconds: number): Promise<string[]>;
  complete(key: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<void>;
  /** Never throws for an upload that is already gone. */
  abort(key: string, uploadId: string): Promise<void>;
  /** Size and first `bytes` bytes of an object; null if there is no such object. */
  head(key: string, bytes: number): Promise<{ size: number; head: Uint8Array } | null>;
  /** The whole object as a stream of chunks; null if there is no such object. */
  read(key: string): Promise<{ size: number; body: AsyncIterable<Uint8Array> } | null>;
  /** A same-origin URL to GET the object, valid for `seconds`. */
  downloadUrl(key: string, seconds: number): Promise<string>;
  /**
   * Rewrites the object with `header` in place of its first `skip` bytes (a moved file's new
   * session key packets in place of the old readers'), server-side where it is large: the first
   * 5 MiB go up as one part, the rest is copied within the bucket. Returns the new size.
   */
  replaceHead(key: string, header: Uint8Array, skip: number): Promise<number>;
  /** Never throws for an object that is already gone. */
  remove(key: string): Promise<void>;
  /** Every object under `prefix`. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Aborts every unfinished multipart upload under `prefix` started before `before`. Returns how many. */
  abortStale(prefix: string, before: Date): Promise<number>;
}

/** A presigned URL as a path on the site's own origin: `/files/...?X-Amz-...`. */
export function ownOrigin(presigned: string, bucket: string): string {
  const url = new URL(presigned);
  const path = url.pathname.startsWith(`/${bucket}/`) ? url.pathname.slice(bucket.length + 1) : url.pathname;
  if (!path.startsWith(`/${FILES_PREFIX}`)) throw new Error('object key outside the files prefix');
  return `${path}${url.search}`;
}

/**
 * The SDK's S3 module loads here, not where this file is imported, so a function that never
 * touches files never loads it (functions/runtime.ts).
 */
export async function s3ObjectStore(s3: S3Client, bucket: string): Promise<ObjectStore> {
  const {
    AbortMultipartUploadCommand,
    CompleteMultipartUploadCommand,
    CreateMultipartUploadCommand,
    DeleteObjectCommand,
    GetObjectCommand,
    HeadObjectCommand,
    ListMultipartUploadsCommand,
    ListObjectsV2Command,
    NoSuchKey,
    NotFound,
    PutObjectCommand,
    UploadPartCommand,
    UploadPartCopyCommand,
  } = await import('@aws-sdk/client-s3');
  const { getSignedUrl } = await import('@aws-sdk/s3-request-presigner');
  const store: ObjectStore = {
    async createUpload(key) {
      const out = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'application/octet-stream' }));
      return out.UploadId!;
    },
    async partUrls(key, uploadId, count, seconds) {
      const urls: string[] = [];
      for (let partNumber = 1; partNumber <= count; partNumber++) {
        const url = await getSignedUrl(s3, new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: partNumber }), { expiresIn: seconds });
        urls.push(ownOrigin(url, bucket));
      }
      return urls;
    },
    async complete(key, uploadId, parts) {
      await s3.send(
        new CompleteMultipartUploadCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
        }),
      );
    },
    async abort(key, uploadId) {
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    },
    async head(key, bytes) {
      try {
        const meta = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        const size = meta.ContentLength ?? 0;
        if (size === 0) return { size, head: new Uint8Array() };
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${Math.min(bytes, size) - 1}` }));
        return { size, head: await out.Body!.transformToByteArray() };
      } catch (error) {
        if (error instanceof NotFound || error instanceof NoSuchKey || (error as { name?: string }).name === 'NotFound') return null;
        throw error;
      }
    },
    async read(key) {
      try {
        const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return { size: out.ContentLength ?? 0, body: out.Body as AsyncIterable<Uint8Array> };
      } catch (error) {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return null;
        throw error;
      }
    },
    async downloadUrl(key, seconds) {
      return ownOrigin(await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds }), bucket);
    },
    async replaceHead(key, header, skip) {
      const size = (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
      if (skip >= size) throw new Error('the object is shorter than its head');
      const firstEnd = Math.min(size, skip + FIRST_PART_BYTES);
      const start = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${skip}-${firstEnd - 1}` }))).Body!.transformToByteArray();
      const first = new Uint8Array(header.length + start.length);
      first.set(header);
      first.set(start, header.length);
      if (firstEnd === size) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: first, ContentType: 'application/octet-stream' }));
        return first.length;
      }
      const uploadId = await store.createUpload(key);
      try {
        const one = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: first }));
        const two = await s3.send(
          new UploadPartCopyCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 2, CopySource: `${bucket}/${key}`, CopySourceRange: `bytes=${firstEnd}-${size - 1}` }),
        );
        await store.complete(key, uploadId, [
          { partNumber: 1, etag: one.ETag! },
          { partNumber: 2, etag: two.CopyPartResult!.ETag! },
        ]);
      } catch (error) {
        await store.abort(key, uploadId);
        throw error;
      }
      return header.length + size - skip;
    },
    async remove(key) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
    },
    async list(prefix) {
      const objects: StoredObject[] = [];
      let token: string | undefined;
      do {
        const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of out.Contents ?? []) objects.push({ key: o.Key!, size: o.Size ?? 0, lastModified: o.LastModified ?? new Date(0) });
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
    async abortStale(prefix, before) {
      const out = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix })).catch(() => ({ Uploads: [] }));
      let aborted = 0;
      for (const upload of out.Uploads ?? []) {
        if (upload.Initiated && upload.Initiated < before) {
          await this.abort(upload.Key!, upload.UploadId!);
          aborted++;
        }
      }
      return aborted;
    },
  };
  return store;
}
