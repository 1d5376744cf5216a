/**
 * The challenge function's dependencies: the KMS keys, the clock and the difficulty. Its own module,
 * so the bundle carries neither openpgp.js nor the stores (functions/runtime.ts builds those).
 */
import { KMSClient } from '@aws-sdk/client-kms';
import { systemClock } from './clock.ts';
import { bundledConfig, required } from './env.ts';
import { kmsKeyService } from './keys/kms-keys.ts';

export function challengeDeps() {
  const difficulty = (JSON.parse(bundledConfig()) as { powDifficulty?: unknown }).powDifficulty;
  return {
    keys: kmsKeyService(new KMSClient({}), { lookup: required('LOOKUP_KEY_ID'), pow: required('POW_KEY_ID'), proof: required('PROOF_KEY_ID') }),
    clock: systemClock,
    difficulty: typeof difficulty === 'number' && Number.isInteger(difficulty) && difficulty >= 0 && difficulty <= 28 ? difficulty : 16,
  };
}

