/** The config as the functions use it: keys read once, with the fingerprints and key IDs checks need. */
import type { PublicKey } from 'openpgp';
import type { ChannelConfig, Config, EscalationTarget } from '../shared/config/schema.ts';
import { encryptionKeyId, fingerprintOf, readPublicKey, type Fingerprint } from '../shared/protocol/keys.ts';

export interface KeyHolder {
  name: string;
  email: string;
  key: PublicKey;
  fingerprint: Fingerprint;
  /** The key ID in a PKESK packet addressed to this key. */
  encryptionKeyId: string;
}

export interface RuntimeChannel {
  config: ChannelConfig;
  recipients: KeyHolder[];
}

export interface RuntimeConfig {
  config: Config;
  channels: Map<string, RuntimeChannel>;
  escalation: Map<string, KeyHolder & { id: string }>;
}

async function holder(entry: { name: string; email: string; publicKey: string }): Promise<KeyHolder> {
  const key = await readPublicKey(entry.publicKey);
  return { name: entry.name, email: entry.email, key, fingerprint: fingerprintOf(key), encryptionKeyId: await encryptionKeyId(key) };
}

/** Expects a config already checked by `parseConfig`. */
export async function prepareConfig(config: Config): Promise<RuntimeConfig> {
  const channels = new Map<string, RuntimeChannel>();
  for (const channel of config.channels) {
    channels.set(channel.id, { config: channel, recipients: await Promise.all(channel.recipients.map(holder)) });
  }
  const escalation = new Map<string, KeyHolder & { id: string }>();
  for (const target of config.escalation as EscalationTarget[]) {
    escalation.set(target.id, { id: target.id, ...(await holder(target)) });
  }
  return { config, channels, escalation };
}
