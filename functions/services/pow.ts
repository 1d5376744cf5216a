/**
 * Stateless proof-of-work challenges: `v1.<purpose>.<difficulty>.<expires>.<salt>.<mac>`, MACed with
 * the key service's PoW key. The solution is bound to the access key (shared/protocol/pow.ts), so a
 * solved challenge cannot be spent on another code or case and no spent-list is needed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Challenge } from '../../shared/schemas/api.ts';
import { toBase64Url, utf8 } from '../../shared/protocol/bytes.ts';
import { proofHolds } from '../../shared/protocol/pow.ts';
import { badRequest } from '../errors.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { Clock } from '../clock.ts';

export type PowPurpose = 'submit' | 'open';

/** The server checks proofs with Node's SHA-256: the same hash the browser's solvers compute. */
const nodeSha256 = (data: Uint8Array) => createHash('sha256').update(data).digest();

export const CHALLENGE_LIFETIME_MS = 30 * 60 * 1000;

export interface PowDeps {
  keys: KeyService;
  clock: Clock;
  difficulty: number;
}

export async function issueChallenge(deps: PowDeps, purpose: PowPurpose): Promise<Challenge> {
  const expires = deps.clock.now().getTime() + CHALLENGE_LIFETIME_MS;
  const body = `v1.${purpose}.${deps.difficulty}.${expires}.${toBase64Url(randomBytes(12))}`;
  const mac = toBase64Url(await deps.keys.powMac(utf8(body)));
  return { token: `${body}.${mac}`, difficulty: deps.difficulty, expiresAt: new Date(expires).toISOString() };
}

/** Throws a 400 that says what is wrong with the proof; returns if the work is valid for this request. */
export async function checkProof(
  deps: PowDeps,
  purpose: PowPurpose,
  proof: { token: string; nonce: string },
  binding: string,
): Promise<void> {
  const parts = proof.token.split('.');
  if (parts.length !== 6 || parts[0] !== 'v1') throw badRequest('pow-invalid', 'The proof of work is not a challenge from this server.');
  const [, tokenPurpose, difficultyText, expiresText, , mac] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(await deps.keys.powMac(utf8(parts.slice(0, 5).join('.'))));
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw badRequest('pow-invalid', 'The proof of work is not a challenge from this server.');
  }
  if (tokenPurpose !== purpose) throw badRequest('pow-invalid', `This challenge was issued for "${tokenPurpose}", not for "${purpose}".`);
  if (Number(expiresText) < deps.clock.now().getTime()) {
    throw badRequest('pow-expired', 'The proof-of-work challenge has expired. Ask for a new one and try again.');
  }
  if (!(await proofHolds(proof.token, binding, proof.nonce, Number(difficultyText), nodeSha256))) {
    throw badRequest('pow-not-done', 'The proof of work is not solved for this request.');
  }
}
