/**
 * What a Lambda function reads from its environment. The config JSON is replaced at bundle time by
 * esbuild `define` (keys exceed the 4 KB Lambda environment limit).
 */
export function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

/**
 * Written out literally so that esbuild's `define` can replace it at bundle time; a dynamic
 * `process.env[name]` would be left alone and read an empty environment at run time.
 */
export function bundledConfig(): string {
  const text = process.env.MELDPUNT_CONFIG_JSON;
  if (!text) throw new Error('no config was bundled (MELDPUNT_CONFIG_JSON)');
  return text;
}

/** The configured keys' facts (shared/config/key-facts.ts), bundled the same way. */
export function bundledKeyFacts(): string {
  const text = process.env.MELDPUNT_KEY_FACTS_JSON;
  if (!text) throw new Error('no key facts were bundled (MELDPUNT_KEY_FACTS_JSON)');
  return text;
}
