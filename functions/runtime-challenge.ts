/**
 * The challenge function's dependencies: the KMS keys, the clock and the difficulty. Its own module,
 * so the bundle carries neither the stores nor the other SDK clients (functions/runtime.ts builds those).
 */
import { KMSClient } from '@aws-sdk/client-kms';
import type { Config } from '../shared/config/schema.ts';
import { systemClock } from './clock.ts';
import { bundledConfig, required } from './env.ts';
import { kmsKeyService } from './keys/kms-keys.ts';
import { SDK_OPTIONS } from './sdk.ts';

export async function challengeDeps() {
  // The config as `parseConfig` returned it at build time, defaults filled in.
  const { powDifficulty } = JSON.parse(bundledConfig()) as Config;
  return {
    keys: await kmsKeyService(new KMSClient(SDK_OPTIONS), { lookup: required('LOOKUP_KEY_ID'), pow: required('POW_KEY_ID'), proof: required('PROOF_KEY_ID') }),
    clock: systemClock,
    difficulty: powDifficulty,
  };
}
