/**
 * The retrieval code: the reporter's only credential.
 *
 * 23 random Crockford base32 symbols (115 bits) and one Luhn mod 32 check symbol, shown as six
 * groups of four (`7K3M-...`). The check symbol catches every single mistyped symbol and most
 * swapped neighbours, so a typo reads as "mistyped" instead of "not found".
 * Crockford: https://www.crockford.com/base32.html; Luhn mod N: ISO/IEC 7812-1 generalised.
 */

declare const retrievalCode: unique symbol;
/** A well-formed code in canonical form: 24 upper-case symbols, no separators. */
export type RetrievalCode = string & { readonly [retrievalCode]: true };

export const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const DATA_SYMBOLS = 23;
export const CODE_SYMBOLS = DATA_SYMBOLS + 1;
export const CODE_BITS = DATA_SYMBOLS * 5;

/** Symbols people confuse with one of the alphabet's, mapped as Crockford prescribes. */
const LOOK_ALIKES: Record<string, string> = { O: '0', I: '1', L: '1' };

function checkSymbol(values: readonly number[]): number {
  let sum = 0;
  let factor = 2;
  for (let i = values.length - 1; i >= 0; i--) {
    const addend = factor * values[i]!;
    sum += Math.floor(addend / 32) + (addend % 32);
    factor = factor === 2 ? 1 : 2;
  }
  return (32 - (sum % 32)) % 32;
}

/** A fresh code from the platform's CSPRNG. 256 is a multiple of 32, so `& 31` is unbiased. */
export function generateCode(): RetrievalCode {
  const values = Array.from(crypto.getRandomValues(new Uint8Array(DATA_SYMBOLS)), (b) => b & 31);
  values.push(checkSymbol(values));
  return values.map((v) => ALPHABET[v]).join('') as RetrievalCode;
}

/** `ABCD-EFGH-...`: how a code is shown and printed. */
export function formatCode(code: RetrievalCode): string {
  return code.match(/.{1,4}/g)!.join('-');
}

export type CodeParse =
  | { kind: 'ok'; code: RetrievalCode }
  | { kind: 'empty' }
  | { kind: 'invalid-symbol'; symbol: string }
  | { kind: 'wrong-length'; length: number }
  | { kind: 'mistyped' };

/**
 * Reads what a person typed: case, spaces, dashes and look-alikes (O→0, I/L→1) do not matter.
 * Never throws; every way to fail is its own kind so the page can say exactly what is wrong.
 */
export function parseCode(input: string): CodeParse {
  const cleaned = input.toUpperCase().replace(/[\s\-_.]/g, '');
  if (cleaned.length === 0) return { kind: 'empty' };
  const symbols = Array.from(cleaned, (c) => LOOK_ALIKES[c] ?? c);
  const bad = symbols.find((c) => !ALPHABET.includes(c));
  if (bad !== undefined) return { kind: 'invalid-symbol', symbol: bad };
  if (symbols.length !== CODE_SYMBOLS) return { kind: 'wrong-length', length: symbols.length };
  const values = symbols.map((c) => ALPHABET.indexOf(c));
  const check = values.pop()!;
  if (checkSymbol(values) !== check) return { kind: 'mistyped' };
  return { kind: 'ok', code: symbols.join('') as RetrievalCode };
}
