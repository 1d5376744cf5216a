/** The local stand-in for S3: s3rver, persisted on disk, silent (it logs nothing about anyone). */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { S3_CLIENT_OPTIONS } from '../files/object-store.ts';
import { SDK_OPTIONS } from '../sdk.ts';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

export const BUCKET = 'meldpunt-files';

export interface LocalS3 {
  client: S3Client;
  endpoint: string;
  stop(): Promise<void>;
}

export async function startS3rver(directory: string): Promise<LocalS3> {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const client = new S3Client({
    ...SDK_OPTIONS,
    endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    ...S3_CLIENT_OPTIONS,
  });
  return {
    client,
    endpoint,
    stop: async () => {
      client.destroy();
      await server.close();
    },
  };
}
