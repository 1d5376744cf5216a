import { describe, expect, it } from 'vitest';
import vectors from '../../test/vectors/code-keys.json' with { type: 'json' };
import { parseCode, type RetrievalCode } from './code.ts';
import { deriveCodeKeys } from './derive.ts';

const canonical = (printed: string): RetrievalCode => {
  const parsed = parseCode(printed);
  if (parsed.kind !== 'ok') throw new Error(`vector ${printed} is not a valid code: ${parsed.kind}`);
  return parsed.code;
};

describe('key derivation (known answers shared with the browser)', () => {
  it.each(vectors.vectors)('$code', async ({ code, accessKey, unlockPassphrase }) => {
    expect(await deriveCodeKeys(canonical(code))).toEqual({ accessKey, unlockPassphrase });
  });

  it('gives unrelated access key and passphrase, so the server learns nothing about the passphrase', async () => {
    const keys = await deriveCodeKeys(canonical(vectors.vectors[0]!.code));
    expect(keys.accessKey).not.toEqual(keys.unlockPassphrase);
    expect(keys.accessKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
