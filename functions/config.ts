/**
 * The config as the functions use it: each key's fingerprint, encryption key ID and signing key,
 * worked out when the site was built (shared/config/key-facts.ts), so no OpenPGP library loads here.
 */
import type { ChannelConfig, Config, EscalationTarget } from '../shared/config/schema.ts';
import type { ConfigKeyFacts } from '../shared/config/key-facts.ts';
import type { Fingerprint } from '../shared/protocol/keys.ts';
import type { SigningKey } from './openpgp/signature.ts';

export interface KeyHolder {
  name: string;
  email: string;
  fingerprint: Fingerprint;
  /** The key ID in a PKESK packet addressed to this key. */
  encryptionKeyId: string;
  /** Checks this holder's signed requests. */
  signing: SigningKey;
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

/** Expects a config checked by `parseConfig` and the facts `keyFactsOf` gave for it; throws if a key has none. */
export function runtimeConfig(config: Config, facts: ConfigKeyFacts): RuntimeConfig {
  const holder = (entry: { name: string; email: string; publicKey: string }): KeyHolder => {
    const known = facts[entry.publicKey];
    if (!known) throw new Error(`no key facts for ${entry.name}'s key: build the site again`);
    return { name: entry.name, email: entry.email, fingerprint: known.fingerprint as Fingerprint, encryptionKeyId: known.encryptionKeyId, signing: known.signing };
  };
  const channels = new Map<string, RuntimeChannel>();
  for (const channel of config.channels) channels.set(channel.id, { config: channel, recipients: channel.recipients.map(holder) });
  const escalation = new Map<string, KeyHolder & { id: string }>();
  for (const target of config.escalation as EscalationTarget[]) escalation.set(target.id, { id: target.id, ...holder(target) });
  return { config, channels, escalation };
}
