import * as openpgp from 'openpgp';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateNamedKey, type ReporterKey } from '../protocol/keys.ts';
import { parseConfig } from './load.ts';

let officer: ReporterKey;
beforeAll(async () => {
  officer = await generateNamedKey('Officer', 'x');
});

const config = (overrides: Record<string, unknown> = {}) => ({
  organisation: 'Partij',
  channels: [
    {
      id: 'integriteit',
      name: { nl: 'Integriteit', en: 'Integrity' },
      description: { nl: 'Meldingen', en: 'Reports' },
      recipients: [{ name: 'Officer', publicKey: officer.publicKey as string, email: 'officer@example.org' }],
    },
  ],
  mail: { from: 'meldpunt@example.org' },
  ...overrides,
});

describe('config', () => {
  it('accepts a good config and fills in defaults', async () => {
    const parsed = await parseConfig(JSON.stringify(config()));
    expect(parsed).toMatchObject({ retentionDays: 365, powDifficulty: 16, escalation: [] });
  });

  it('says which entry is wrong', async () => {
    const broken = config();
    (broken.channels[0]!.recipients[0] as { email: string }).email = 'not-an-address';
    await expect(parseConfig(JSON.stringify(broken), 'meldpunt.config.json')).rejects.toThrow(
      /meldpunt.config.json has errors:\n\s+channels\[0\]\.recipients\[0\]\.email: not an email address/,
    );
  });

  it('names an unusable key by its place', async () => {
    const broken = config();
    broken.channels[0]!.recipients[0]!.publicKey = officer.lockedPrivateKey;
    await expect(parseConfig(JSON.stringify(broken))).rejects.toThrow(/channels\[0\]\.recipients\[0\]\.publicKey: this is a private key/);
    broken.channels[0]!.recipients[0]!.publicKey = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----';
    await expect(parseConfig(JSON.stringify(broken))).rejects.toThrow(/channels\[0\]\.recipients\[0\]\.publicKey: not an armored OpenPGP public key/);
  });

  it('refuses a key whose request signatures the functions cannot check (ECDSA), by its place', async () => {
    const { publicKey } = await openpgp.generateKey({ userIDs: [{ name: 'Officer' }], type: 'ecc', curve: 'nistP256', format: 'armored' });
    const broken = config();
    broken.channels[0]!.recipients[0]!.publicKey = publicKey;
    await expect(parseConfig(JSON.stringify(broken))).rejects.toThrow(/channels\[0\]\.recipients\[0\]\.publicKey: its signing key is ecdsa.*ed25519 and RSA/);
  });

  it('refuses broken JSON, duplicate channels and unknown settings', async () => {
    await expect(parseConfig('{"organisation":')).rejects.toThrow(/not valid JSON/);
    const twice = config();
    twice.channels.push(twice.channels[0]!);
    await expect(parseConfig(JSON.stringify(twice))).rejects.toThrow(/channels\[1\]\.id: duplicate channel id "integriteit"/);
    await expect(parseConfig(JSON.stringify(config({ analytics: true })))).rejects.toThrow(/analytics/);
  });
});
