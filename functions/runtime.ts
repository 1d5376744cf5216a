/**
 * Builds the dependencies of a Lambda function from its environment, once per cold start.
 * Contract with infra/: TABLE_NAME, BUCKET_NAME, LOOKUP_KEY_ID, POW_KEY_ID, PROOF_KEY_ID, MAIL_FROM, and the config JSON as
 * `process.env.MELDPUNT_CONFIG_JSON` (replaced at bundle time by esbuild `define`: keys exceed the
 * 4 KB Lambda environment limit).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SESClient } from '@aws-sdk/client-ses';
import { S3Client } from '@aws-sdk/client-s3';
import { S3_CLIENT_OPTIONS, s3ObjectStore } from './files/object-store.ts';
import { dynamoFileStore } from './store/files.ts';
import { configKeyFactsSchema, configSchema } from '../shared/config/schema.ts';
import { systemClock } from './clock.ts';
import { bundledConfig, bundledKeyFacts, required } from './env.ts';
import { runtimeConfig } from './config.ts';
import { kmsKeyService } from './keys/kms-keys.ts';
import { sesMailer } from './mail/mailer.ts';
import { dynamoCaseStore } from './store/cases.ts';
import type { ReporterDeps } from './services/reporter.ts';

export async function lambdaDeps(): Promise<ReporterDeps> {
  // Checked in full (keys included) by `parseConfig` when the site was built; here only read.
  const runtime = runtimeConfig(configSchema.parse(JSON.parse(bundledConfig())), configKeyFactsSchema.parse(JSON.parse(bundledKeyFacts())));
  const db = new DynamoDBClient({});
  return {
    cases: dynamoCaseStore(db, required('TABLE_NAME')),
    files: dynamoFileStore(db, required('TABLE_NAME')),
    objects: s3ObjectStore(new S3Client(S3_CLIENT_OPTIONS), required('BUCKET_NAME')),
    keys: kmsKeyService(new KMSClient({}), { lookup: required('LOOKUP_KEY_ID'), pow: required('POW_KEY_ID'), proof: required('PROOF_KEY_ID') }),
    mailer: sesMailer(new SESClient({}), runtime.config.mail.from),
    clock: systemClock,
    runtime,
  };
}
