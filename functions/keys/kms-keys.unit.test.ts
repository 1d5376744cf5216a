/** No local KMS exists, so the client is mocked, and the test checks the exact requests the real code path sends. */
import { GenerateMacCommand, GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { kmsKeyService } from './kms-keys.ts';
import { caseIdFor } from '../services/reporter.ts';

const kms = mockClient(KMSClient);
afterEach(() => kms.reset());

describe('KMS key service', () => {
  it('asks GenerateMac with HMAC_SHA_256 on the lookup key for the access key, and nothing else', async () => {
    kms.on(GenerateMacCommand).resolves({ Mac: new Uint8Array(32).fill(7) });
    const keys = await kmsKeyService(new KMSClient({ region: 'eu-west-1' }), { lookup: 'alias/lookup', pow: 'alias/pow', proof: 'alias/proof' });
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
    const keys = await kmsKeyService(new KMSClient({ region: 'eu-west-1' }), { lookup: 'alias/lookup', pow: 'alias/pow', proof: 'alias/proof' });
    await keys.powMac(new Uint8Array([1, 2, 3]));
    expect(kms.commandCalls(GenerateMacCommand)[0]!.args[0].input.KeyId).toBe('alias/pow');
  });

  it('fails loudly when KMS returns no MAC', async () => {
    kms.on(GenerateMacCommand).resolves({});
    const keys = await kmsKeyService(new KMSClient({ region: 'eu-west-1' }), { lookup: 'k', pow: 'p', proof: 'r' });
    await expect(keys.lookupMac(new Uint8Array([1]))).rejects.toThrow('no MAC');
  });

  it('signs a proof of reporting with Sign, ECDSA_SHA_256 over the raw statement, on the proof key; reads the public key once', async () => {
    kms.on(SignCommand).resolves({ Signature: new Uint8Array([0x30, 1, 2]) });
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: new Uint8Array(91).fill(4) });
    const keys = await kmsKeyService(new KMSClient({ region: 'eu-west-1' }), { lookup: 'alias/lookup', pow: 'alias/pow', proof: 'alias/proof' });
    const statement = new TextEncoder().encode('statement');
    expect(await keys.signProof(statement)).toEqual(new Uint8Array([0x30, 1, 2]));
    expect(kms.commandCalls(SignCommand)[0]!.args[0].input).toEqual({ KeyId: 'alias/proof', Message: statement, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' });
    const pem = await keys.proofPublicKey();
    await keys.proofPublicKey();
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+\n-----END PUBLIC KEY-----\n$/);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
    expect(kms.commandCalls(GenerateMacCommand)).toHaveLength(0);
  });
});
