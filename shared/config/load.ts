/** Parses and checks a config text; every problem names the entry it is in. */
import { configSchema, type Config } from './schema.ts';
import { readPublicKey } from '../protocol/keys.ts';
import { factsOf } from './key-facts.ts';
import { CryptoError } from '../protocol/errors.ts';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

const where = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(top level)';

/** Throws ConfigError listing each wrong entry, e.g. `channels[0].recipients[1].publicKey: ...`. */
export async function parseConfig(text: string, source = 'config'): Promise<Config> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${source} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError(`${source} has errors:\n` + parsed.error.issues.map((i) => `  ${where(i.path)}: ${i.message}`).join('\n'));
  }
  const config = parsed.data;
  const keys: Array<[string, string]> = [
    ...config.channels.flatMap((c, i) => c.recipients.map((r, j): [string, string] => [`channels[${i}].recipients[${j}].publicKey`, r.publicKey])),
    ...config.escalation.map((e, i): [string, string] => [`escalation[${i}].publicKey`, e.publicKey]),
  ];
  const problems: string[] = [];
  for (const [path, armored] of keys) {
    try {
      await factsOf(await readPublicKey(armored));
    } catch (e) {
      if (!(e instanceof CryptoError)) throw e;
      problems.push(`  ${path}: ${e.message}`);
    }
  }
  if (problems.length) throw new ConfigError(`${source} has unusable keys:\n${problems.join('\n')}`);
  return config;
}
