/**
 * Builds the dependencies of a Lambda function from its environment, once per cold start.
 * Contract with infra/: TABLE_NAME, BUCKET_NAME, LOOKUP_KEY_ID, POW_KEY_ID, PROOF_KEY_ID, MAIL_FROM,
 * and, replaced at bundle time by esbuild `define` (keys exceed the 4 KB Lambda environment limit),
 * the config as `parseConfig` returned it when the site was built and the facts of its keys.
 *
 * The AWS SDK's modules are most of a cold start. A function loads DynamoDB at once, and KMS,
 * SES and S3 either at once (`preload`: every request needs them) or when a request first calls
 * them, so a route that never mails or touches files never loads those modules.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConfigKeyFacts } from '../shared/config/key-facts.ts';
import type { Config } from '../shared/config/schema.ts';
import { systemClock } from './clock.ts';
import { runtimeConfig } from './config.ts';
import { bundledConfig, bundledKeyFacts, required } from './env.ts';
import { S3_CLIENT_OPTIONS, s3ObjectStore } from './files/object-store.ts';
import { kmsKeyService } from './keys/kms-keys.ts';
import { sesMailer } from './mail/mailer.ts';
import { SDK_OPTIONS } from './sdk.ts';
import type { ReporterDeps } from './services/reporter.ts';
import { dynamoCaseStore } from './store/cases.ts';
import { dynamoFileStore } from './store/files.ts';

type Lazy = 'keys' | 'mailer' | 'objects';

/**
 * An object whose methods (all async) wait for `load` on their first call. Nothing loads until a
 * method is called; a failed load is tried again on the next call.
 */
export function onFirstUse<T extends object>(load: () => Promise<T>): T {
  let loading: Promise<T> | null = null;
  const loaded = () => (loading ??= load().catch((e: unknown) => ((loading = null), Promise.reject(e))));
  return new Proxy({} as T, {
    get: (_, name) => (name === 'then' ? undefined : async (...args: unknown[]) => ((await loaded()) as Record<PropertyKey, (...a: unknown[]) => unknown>)[name]!(...args)),
  });
}

export async function lambdaDeps(preload: Lazy[] = []): Promise<ReporterDeps> {
  // Checked in full, keys included, by `parseConfig` when the site was built: only read here.
  const runtime = runtimeConfig(JSON.parse(bundledConfig()) as Config, JSON.parse(bundledKeyFacts()) as ConfigKeyFacts);
  const loaders: { [K in Lazy]: () => Promise<ReporterDeps[K]> } = {
    keys: async () => kmsKeyService(new (await import('@aws-sdk/client-kms')).KMSClient(SDK_OPTIONS), { lookup: required('LOOKUP_KEY_ID'), pow: required('POW_KEY_ID'), proof: required('PROOF_KEY_ID') }),
    mailer: async () => sesMailer(new (await import('@aws-sdk/client-ses')).SESClient(SDK_OPTIONS), runtime.config.mail.from),
    objects: async () => s3ObjectStore(new (await import('@aws-sdk/client-s3')).S3Client({ ...SDK_OPTIONS, ...S3_CLIENT_OPTIONS }), required('BUCKET_NAME')),
  };
  const lazy = async <K extends Lazy>(name: K): Promise<ReporterDeps[K]> => (preload.includes(name) ? loaders[name]() : onFirstUse(loaders[name]));
  const db = new DynamoDBClient(SDK_OPTIONS);
  return {
    cases: dynamoCaseStore(db, required('TABLE_NAME')),
    files: dynamoFileStore(db, required('TABLE_NAME')),
    objects: await lazy('objects'),
    keys: await lazy('keys'),
    mailer: await lazy('mailer'),
    clock: systemClock,
    runtime,
  };
}
