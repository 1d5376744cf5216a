/**
 * First start without a config: demo keys for an officer, a confidential adviser and CLB, with
 * their passphrases, under `<home>/demo/`, and a config that uses them. For trying things out only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigInput } from '../../shared/config/schema.ts';
import { generateNamedKey } from '../../shared/protocol/keys.ts';

export interface DemoIdentity {
  role: 'officer' | 'adviser' | 'clb';
  name: string;
  privateKeyFile: string;
  passphraseFile: string;
}

export const demoKeyFiles = (home: string, role: DemoIdentity['role']) => ({
  privateKeyFile: join(home, 'demo', `${role}.private.asc`),
  passphraseFile: join(home, 'demo', `${role}.passphrase`),
});

async function demoKey(home: string, role: DemoIdentity['role'], name: string) {
  const passphrase = randomBytes(18).toString('base64url');
  const key = await generateNamedKey(name, passphrase);
  const files = demoKeyFiles(home, role);
  writeFileSync(files.privateKeyFile, key.lockedPrivateKey, { mode: 0o600 });
  writeFileSync(files.passphraseFile, passphrase + '\n', { mode: 0o600 });
  return { name, publicKey: key.publicKey as string, ...files };
}

/** Writes the demo keys and returns the demo config (the caller writes it where it belongs). */
export async function createDemo(home: string, powDifficulty = 16): Promise<{ config: ConfigInput; identities: DemoIdentity[] }> {
  mkdirSync(join(home, 'demo'), { recursive: true, mode: 0o700 });
  const officer = await demoKey(home, 'officer', 'Integriteitsfunctionaris (demo)');
  const adviser = await demoKey(home, 'adviser', 'Vertrouwenspersoon (demo)');
  const clb = await demoKey(home, 'clb', 'Centrum voor Lokaal Bestuur (demo)');
  const config: ConfigInput = {
    organisation: 'Demo-partij',
    paper: { address: ['Partijbureau (demo)', 'Postbus 0000', '0000 AA Voorbeeldstad'], phone: '000 000 00 00 (demo)' },
    channels: [
      {
        id: 'integriteit',
        name: { nl: 'Meldpunt Integriteit', en: 'Integrity reporting point', tr: 'Dürüstlük bildirim noktası', ar: 'جهة الإبلاغ عن النزاهة', pl: 'Punkt zgłoszeń ds. uczciwości' },
        description: {
          nl: 'Voor misstanden, integriteitsschendingen en onregelmatigheden. De integriteitsfunctionaris behandelt uw melding.',
          en: 'For wrongdoing, integrity violations and irregularities. The integrity officer handles your report.',
          tr: 'Usulsüzlükler, dürüstlük ihlalleri ve düzensizlikler için. Bildiriminizi dürüstlük sorumlusu ele alır.',
          ar: 'للمخالفات وانتهاكات النزاهة والتجاوزات. يتولى مسؤول النزاهة معالجة بلاغك.',
          pl: 'Dla nieprawidłowości, naruszeń uczciwości i uchybień. Twoje zgłoszenie rozpatruje pełnomocnik ds. uczciwości.',
        },
        kinds: ['misstand', 'integriteitsschending', 'onregelmatigheid'],
        recipients: [{ name: officer.name, publicKey: officer.publicKey, email: 'integriteit@demo.invalid' }],
      },
      {
        id: 'vertrouwenspersoon',
        name: { nl: 'Vertrouwenspersoon', en: 'Confidential adviser', tr: 'Güven danışmanı', ar: 'مستشار الثقة', pl: 'Osoba zaufania' },
        description: {
          nl: 'Voor ongewenste omgangsvormen. Een vertrouwenspersoon luistert, denkt mee en helpt u kiezen wat u wilt doen.',
          en: 'For unwanted behaviour. A confidential adviser listens, thinks along and helps you choose what to do.',
          tr: 'İstenmeyen davranışlar için. Bir güven danışmanı sizi dinler, sizinle birlikte düşünür ve ne yapmak istediğinize karar vermenize yardım eder.',
          ar: 'للسلوك غير المرغوب فيه. يستمع إليك مستشار الثقة ويفكر معك ويساعدك على اختيار ما تريد فعله.',
          pl: 'Dla niepożądanych zachowań. Osoba zaufania wysłucha, pomyśli razem z Tobą i pomoże wybrać, co chcesz zrobić.',
        },
        kinds: ['ongewenste-omgangsvormen'],
        recipients: [{ name: adviser.name, publicKey: adviser.publicKey, email: 'vertrouwenspersoon@demo.invalid' }],
      },
    ],
    escalation: [{ id: 'clb', name: clb.name, publicKey: clb.publicKey, email: 'clb@demo.invalid' }],
    retentionDays: 365,
    mail: { from: 'meldpunt@demo.invalid' },
    powDifficulty,
  };
  return {
    config,
    identities: [
      { role: 'officer', name: officer.name, privateKeyFile: officer.privateKeyFile, passphraseFile: officer.passphraseFile },
      { role: 'adviser', name: adviser.name, privateKeyFile: adviser.privateKeyFile, passphraseFile: adviser.passphraseFile },
      { role: 'clb', name: clb.name, privateKeyFile: clb.privateKeyFile, passphraseFile: clb.passphraseFile },
    ],
  };
}
