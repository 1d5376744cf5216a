/**
 * How strong a new passphrase is, for the desk's setup (shown while typing, checked again by the desk)
 * and for `init`. A rough estimate on purpose: it refuses what is short, repetitive or a common word
 * dressed up with digits, and points to the strong kind: several loose words.
 */
export type Strength = 'too-short' | 'weak' | 'fair' | 'strong';

export const MIN_PASSPHRASE = 12;

/** Words people build passwords on; a passphrase that is one of them with digits and signs added is weak. */
const COMMON = new Set(
  'wachtwoord password welkom welkom01 meldpunt geheim secret qwerty azerty letmein admin zomer winter lente herfst januari februari maart april mei juni juli augustus september oktober november december maandag zondag voetbal liefde iloveyou monkey dragon sunshine princess partij integriteit klokkenluider'.split(' '),
);

function poolOf(p: string): number {
  let pool = 0;
  if (/[a-z]/.test(p)) pool += 26;
  if (/[A-Z]/.test(p)) pool += 26;
  if (/[0-9]/.test(p)) pool += 10;
  if (/[^A-Za-z0-9]/.test(p)) pool += 33;
  return pool;
}

/** Estimated bits: the characters' variety times a length that counts repeats only so far. */
export function passphraseBits(p: string): number {
  const chars = [...p];
  const distinct = new Set(chars).size;
  let steps = 0; // "abcd", "1234": each next character after the previous one adds little
  for (let i = 1; i < chars.length; i++) if (Math.abs(chars[i]!.codePointAt(0)! - chars[i - 1]!.codePointAt(0)!) <= 1) steps++;
  const length = Math.min(chars.length - steps / 2, 2 * distinct);
  return Math.round(length * Math.log2(Math.max(poolOf(p), 2)));
}

export function passphraseStrength(p: string): Strength {
  if ([...p].length < MIN_PASSPHRASE) return 'too-short';
  const letters = p.toLowerCase().replace(/[^a-z]/g, '');
  if (COMMON.has(letters) || letters.length === 0) return 'weak';
  const bits = passphraseBits(p);
  return bits < 50 ? 'weak' : bits < 75 ? 'fair' : 'strong';
}

/** Whether a passphrase may lock a key: not too short, not weak. */
export const acceptable = (p: string) => ['fair', 'strong'].includes(passphraseStrength(p));
