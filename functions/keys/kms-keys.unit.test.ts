/** No local KMS exists, so the client is mocked, and the test checks the exact requests the real code path sends. */
import { GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { kmsKeyService } from './kms-keys.ts';
import { caseIdFor } from '../services/reporter.ts';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

describe('KMS key service', () => {
  it('asks GenerateMac with HMAC_SHA_256 on the lookup key for the access key, and nothing else', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(7) });
    const keys = kmsKeyService(new KMSClient({ region: 'eu-west-1' }), { lookup: 'alias/lookup', pow: 'alias/pow' });
    const accessKey = 'hV4c6rkmLOEIHz2Or6Na__s8vOk_Vr_8Ntt60XTK4IY';
    const caseId = await caseIdFor(keys, accessKey);

    const calls = kms.commandCalls(GenerateMacCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      KeyId: 'alias/lookup',
      MacAlgorithm: 'HMAC_SHA_256',
      Message: new TextEncoder().encode(accessKey),
    });
    expect(caseId).toMatch(/^[0-9A-Z]{16}$/);
  });

  it('uses the separate proof-of-work key for challenges', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32) });
    const keys = kmsKeyService(new KMSClient({ region: 'eu-west-1' }), { lookup: 'alias/lookup', pow: 'alias/pow' });
    await keys.powMac(new Uint8Array([1, 2, 3]));
    expect(kms.commandCalls(GenerateMacCommand)[0]!.args[0].input.KeyId).toBe('alias/pow');
  });

  it('fails loudly when KMS returns no MAC', async () => {
    kms.on(GenerateMacCommand).resolves({});
    const keys = kmsKeyService(new KMSClient({ region: 'eu-west-1' }), { lookup: 'k', pow: 'p' });
    await expect(keys.lookupMac(new Uint8Array([1]))).rejects.toThrow('no MAC');
  });
});
