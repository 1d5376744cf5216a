/**
 * KMS has no local stand-in, so tests that run the deploy bundles answer the three calls the
 * product makes (GenerateMac, Sign, GetPublicKey) over KMS's own JSON protocol, with node:crypto
 * keys made per key id. Only for tests: it checks no signature and keeps keys in memory.
 */
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface KmsStandIn {
  endpoint: string;
  /** What was asked, by operation name, for the test to check the real code path's requests. */
  calls: string[];
  stop(): Promise<void>;
}

export async function startKmsStandIn(): Promise<KmsStandIn> {
  const macKeys = new Map<string, Buffer>();
  const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const calls: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target'] ?? '').replace('TrentService.', '');
      calls.push(operation);
      const input = JSON.parse(body || '{}') as { KeyId: string; Message?: string; MacAlgorithm?: string; SigningAlgorithm?: string };
      const reply = (status: number, out: object) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(out));
      };
      const message = Buffer.from(input.Message ?? '', 'base64');
      switch (operation) {
        case 'GenerateMac': {
          if (!macKeys.has(input.KeyId)) macKeys.set(input.KeyId, randomBytes(32));
          return reply(200, { KeyId: input.KeyId, MacAlgorithm: input.MacAlgorithm, Mac: createHmac('sha256', macKeys.get(input.KeyId)!).update(message).digest('base64') });
        }
        case 'Sign':
          return reply(200, { KeyId: input.KeyId, SigningAlgorithm: input.SigningAlgorithm, Signature: sign('sha256', message, ecKey.privateKey).toString('base64') });
        case 'GetPublicKey':
          return reply(200, { KeyId: input.KeyId, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', PublicKey: ecKey.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') });
        default:
          return reply(400, { __type: 'UnsupportedOperationException', message: `${operation} is not part of the stand-in` });
      }
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
