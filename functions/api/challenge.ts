/**
 * `POST /api/challenge` issues a proof-of-work challenge; `GET /api/proof-key` gives the
 * proof-of-reporting public key as JSON, `GET /api/proof-key.pem` as the PEM file openssl reads. Its own module with its own small dependencies: this function
 * needs neither openpgp.js nor the case store, so its bundle carries neither.
 */
import { badRequest } from '../errors.ts';
import { API_HEADERS, bodyText, json, route, type HttpHandler } from '../http.ts';
import type { KeyService } from '../keys/key-service.ts';
import type { Clock } from '../clock.ts';
import { issueChallenge } from '../services/pow.ts';

export interface ChallengeDeps {
  keys: KeyService;
  clock: Clock;
  /** Leading zero bits the work must reach (the config's `powDifficulty`). */
  difficulty: number;
}

/**
 * The body, `{"purpose": "submit" | "open"}` and nothing else, checked by hand: the same rule as
 * `challengeRequestSchema` (a test holds them together), without bundling zod for one field.
 */
export function purposeOf(text: string): 'submit' | 'open' {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest('malformed-json', 'The request body is not valid JSON.');
  }
  const keys = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : null;
  const purpose = (value as { purpose?: unknown } | null)?.purpose;
  if (!keys || keys.length !== 1 || (purpose !== 'submit' && purpose !== 'open')) {
    throw badRequest('invalid-request', 'The request is not valid: give exactly {"purpose": "submit"} or {"purpose": "open"}.');
  }
  return purpose;
}

export const challengeHandler = (deps: ChallengeDeps): HttpHandler =>
  route(async (event) => {
    if (event.requestContext.http.method === 'GET') {
      const publicKey = await deps.keys.proofPublicKey();
      if (!event.rawPath.endsWith('.pem')) return json(200, { publicKey });
      return { statusCode: 200, headers: { ...API_HEADERS, 'content-type': 'application/x-pem-file' }, body: publicKey };
    }
    return json(200, await issueChallenge(deps, purposeOf(bodyText(event, 4 * 1024))));
  });
