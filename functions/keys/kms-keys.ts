/**
 * The AWS KeyService: KMS GenerateMac with HMAC_256 keys, and Sign with an ECC_NIST_P256 key for
 * proofs of reporting; the key material never leaves KMS.
 */
import type { KMSClient } from '@aws-sdk/client-kms';
import { spkiPem, type KeyService } from './key-service.ts';

/** Loads the SDK's KMS module when called, not when this file is imported (functions/runtime.ts). */
export async function kmsKeyService(kms: KMSClient, keyIds: { lookup: string; pow: string; proof: string }): Promise<KeyService> {
  const { GenerateMacCommand, GetPublicKeyCommand, SignCommand } = await import('@aws-sdk/client-kms');
  const mac = (keyId: string) => async (data: Uint8Array) => {
    const out = await kms.send(new GenerateMacCommand({ KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: data }));
    if (!out.Mac) throw new Error('KMS returned no MAC');
    return out.Mac;
  };
  let publicKey: Promise<string> | null = null;
  return {
    lookupMac: mac(keyIds.lookup),
    powMac: mac(keyIds.pow),
    async signProof(data) {
      const out = await kms.send(new SignCommand({ KeyId: keyIds.proof, Message: data, MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_256' }));
      if (!out.Signature) throw new Error('KMS returned no signature');
      return out.Signature;
    },
    proofPublicKey() {
      publicKey ??= kms.send(new GetPublicKeyCommand({ KeyId: keyIds.proof })).then((out) => {
        if (!out.PublicKey) throw new Error('KMS returned no public key');
        return spkiPem(out.PublicKey);
      });
      return publicKey;
    },
  };
}
