/** The local KeyService: HMAC keys and the proof-signing key in a file created on first start (mode 0600). */
import { createHmac, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyService } from './key-service.ts';

export function localKeyService(keys: { lookup: Buffer; pow: Buffer; proof: string }): KeyService {
  const mac = (key: Buffer) => async (data: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(data).digest());
  const proofKey = createPrivateKey(keys.proof);
  const publicPem = createPublicKey(proofKey).export({ type: 'spki', format: 'pem' }).toString();
  return {
    lookupMac: mac(keys.lookup),
    powMac: mac(keys.pow),
    // ECDSA with SHA-256, DER: as KMS's ECDSA_SHA_256 answers. On libuv's thread pool, off the event loop.
    signProof: (data) => new Promise((resolve, reject) => sign('sha256', data, proofKey, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature))))),
    proofPublicKey: async () => publicPem,
  };
}

const newProofKey = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

/** Reads the key file, creating it with fresh random keys if it does not exist. */
export function loadOrCreateKeyFile(path: string): KeyService {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const fresh = { lookup: randomBytes(32).toString('base64'), pow: randomBytes(32).toString('base64'), proof: newProofKey() };
    writeFileSync(path, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as { lookup?: string; pow?: string; proof?: string };
  if (!stored.lookup || !stored.pow) throw new Error(`${path} is not a Meldpunt key file (needs "lookup" and "pow")`);
  if (!stored.proof) {
    // A key file from before proofs of reporting: add the signing key, keep the HMAC keys.
    stored.proof = newProofKey();
    writeFileSync(path, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  return localKeyService({ lookup: Buffer.from(stored.lookup, 'base64'), pow: Buffer.from(stored.pow, 'base64'), proof: stored.proof });
}
