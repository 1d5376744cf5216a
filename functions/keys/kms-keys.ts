/** The AWS KeyService: KMS GenerateMac with HMAC_256 keys; the key material never leaves KMS. */
import { GenerateMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { KeyService } from './key-service.ts';

export function kmsKeyService(kms: KMSClient, keyIds: { lookup: string; pow: string }): KeyService {
  const mac = (keyId: string) => async (data: Uint8Array) => {
    const out = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: data }));
    if (!out.Mac) throw new Error('KMS returned no MAC');
    return out.Mac;
  };
  return { lookupMac: mac(keyIds.lookup), powMac: mac(keyIds.pow) };
}
