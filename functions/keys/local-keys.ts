/** The local KeyService: HMAC keys in a file created on first start (mode 0600). */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyService } from './key-service.ts';

export function localKeyService(keys: { lookup: Buffer; pow: Buffer }): KeyService {
  const mac = (key: Buffer) => async (data: Uint8Array) => new Uint8Array(createHmac('sha256', key).update(data).digest());
  return { lookupMac: mac(keys.lookup), powMac: mac(keys.pow) };
}

/** Reads the key file, creating it with fresh random keys if it does not exist. */
export function loadOrCreateKeyFile(path: string): KeyService {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const fresh = { lookup: randomBytes(32).toString('base64'), pow: randomBytes(32).toString('base64') };
    writeFileSync(path, JSON.stringify(fresh, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  }
  const stored = JSON.parse(readFileSync(path, 'utf8')) as { lookup?: string; pow?: string };
  if (!stored.lookup || !stored.pow) throw new Error(`${path} is not a Meldpunt key file (needs "lookup" and "pow")`);
  return localKeyService({ lookup: Buffer.from(stored.lookup, 'base64'), pow: Buffer.from(stored.pow, 'base64') });
}
