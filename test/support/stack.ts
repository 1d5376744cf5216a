/** The local stack for integration, browser and security tests: fresh data folder, free ports, demo keys. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Config } from '../../shared/config/schema.ts';
import { startLocal, type LocalOptions, type LocalStack } from '../../functions/local/stack.ts';
import { demoKeyFiles } from '../../functions/local/demo.ts';

export interface Identity {
  name: string;
  publicKey: string;
  /** Armored, locked with `passphrase`. */
  privateKey: string;
  passphrase: string;
}

export interface SentMail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
}

export interface TestStack {
  url: string;
  mailUrl: string;
  config: Config;
  officer: Identity;
  adviser: Identity;
  clb: Identity;
  local: LocalStack;
  /** Every item in the table (cases and messages). */
  countItems(): Promise<number>;
  sentMail(): Promise<SentMail[]>;
  stop(): Promise<void>;
}

function identity(home: string, role: 'officer' | 'adviser' | 'clb', config: Config): Identity {
  const files = demoKeyFiles(home, role);
  const entry =
    role === 'clb' ? config.escalation[0]! : role === 'officer' ? config.channels[0]!.recipients[0]! : config.channels[1]!.recipients[0]!;
  return {
    name: entry.name,
    publicKey: entry.publicKey,
    privateKey: readFileSync(files.privateKeyFile, 'utf8'),
    passphrase: readFileSync(files.passphraseFile, 'utf8').trim(),
  };
}

export async function startStack(options: Partial<LocalOptions> = {}): Promise<TestStack> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'meldpunt-test-'));
  const local = await startLocal({ port: 0, mailPort: 0, persist: false, powDifficulty: 4, ...options, home });
  const { config } = local;
  return {
    url: local.url,
    mailUrl: local.mailUrl,
    config,
    officer: identity(home, 'officer', config),
    adviser: identity(home, 'adviser', config),
    clb: identity(home, 'clb', config),
    local,
    async countItems() {
      const out = await local.dynamo.client.send(new ScanCommand({ TableName: local.tableName, Select: 'COUNT' }));
      return out.Count ?? 0;
    },
    async sentMail() {
      const res = await fetch(`${local.mailUrl}/store`);
      return ((await res.json()) as { emails: SentMail[] }).emails;
    },
    async stop() {
      await local.stop();
      if (!options.home) rmSync(home, { recursive: true, force: true });
    },
  };
}
