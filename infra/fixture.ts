/**
 * Test inputs for synthesizing the app: a config whose keys are generated here with openpgp (checked
 * by the same `parseConfig` as a real deploy), and the web app to deploy.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseConfig } from '../shared/config/load.ts';
import { keyFactsOf } from '../shared/config/key-facts.ts';
import type { Config } from '../shared/config/schema.ts';
import { generateNamedKey } from '../shared/protocol/keys.ts';

export const TEST_SENDER = 'meldpunt@test.invalid';

/** A two-channel config with CLB, as an operator would write it. */
export async function testConfig(extra: Record<string, unknown> = {}): Promise<{ config: Config; configJson: string; keyFactsJson: string }> {
  const key = async (name: string) => (await generateNamedKey(name, 'test passphrase, not secret')).publicKey;
  const text = JSON.stringify(
    {
      organisation: 'Testpartij',
      channels: [
        {
          id: 'integriteit',
          name: { nl: 'Meldpunt Integriteit', en: 'Integrity reporting point' },
          description: { nl: 'Voor misstanden.', en: 'For wrongdoing.' },
          recipients: [{ name: 'Integriteitsfunctionaris', publicKey: await key('Integriteitsfunctionaris'), email: 'integriteit@test.invalid' }],
        },
        {
          id: 'vertrouwenspersoon',
          name: { nl: 'Vertrouwenspersoon', en: 'Confidential adviser' },
          description: { nl: 'Voor ongewenste omgangsvormen.', en: 'For unwanted behaviour.' },
          recipients: [{ name: 'Vertrouwenspersoon', publicKey: await key('Vertrouwenspersoon'), email: 'vp@test.invalid' }],
        },
      ],
      escalation: [{ id: 'clb', name: 'Centrum voor Lokaal Bestuur', publicKey: await key('CLB'), email: 'clb@test.invalid' }],
      retentionDays: 365,
      mail: { from: TEST_SENDER },
      ...extra,
    },
    null,
    2,
  );
  const config = await parseConfig(text, 'test config');
  return { config, configJson: text, keyFactsJson: JSON.stringify(await keyFactsOf(config)) };
}

/**
 * web/dist when it has been built (`npm test` builds it first); otherwise a one-page stand-in, so
 * that `vitest run infra` works on a fresh checkout. The tests check what is deployed beside the
 * app (channels.json) and how it is served, never the app's own content. `infra/app.ts` has no
 * stand-in: a real synth refuses to run without the built app.
 */
export function webDist(): string {
  const built = resolve(import.meta.dirname, '../web/dist');
  if (existsSync(join(built, 'index.html'))) return built;
  const standIn = mkdtempSync(join(tmpdir(), 'meldpunt-web-'));
  writeFileSync(join(standIn, 'index.html'), '<!doctype html><title>Meldpunt (stand-in for tests)</title>');
  return standIn;
}
