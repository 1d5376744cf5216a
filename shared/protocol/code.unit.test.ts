import { describe, expect, it } from 'vitest';
import { ALPHABET, CODE_BITS, formatCode, generateCode, parseCode, type RetrievalCode } from './code.ts';

describe('retrieval code', () => {
  it('carries at least 96 random bits and reads back from its printed form', () => {
    expect(CODE_BITS).toBeGreaterThanOrEqual(96);
    const code = generateCode();
    expect(formatCode(code)).toMatch(/^([0-9A-Z]{4}-){5}[0-9A-Z]{4}$/);
    expect(parseCode(formatCode(code))).toEqual({ kind: 'ok', code });
  });

  it('is not the same twice', () => {
    const codes = new Set(Array.from({ length: 1000 }, generateCode));
    expect(codes.size).toBe(1000);
  });

  it('ignores case, spaces, dashes and look-alike letters', () => {
    const code = generateCode();
    const sloppy = formatCode(code).toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o').replace(/1/g, 'l');
    expect(parseCode(`  ${sloppy} `)).toEqual({ kind: 'ok', code });
  });

  it('tells every single-symbol typo apart as mistyped', () => {
    const code = generateCode();
    for (let i = 0; i < code.length; i++) {
      for (const other of ALPHABET) {
        if (other === code[i]) continue;
        const typo = code.slice(0, i) + other + code.slice(i + 1);
        expect(parseCode(typo).kind, `${typo}`).toBe('mistyped');
      }
    }
  });

  it('catches most swapped neighbours', () => {
    let caught = 0;
    let swaps = 0;
    for (let n = 0; n < 50; n++) {
      const code = generateCode();
      for (let i = 0; i + 1 < code.length; i++) {
        if (code[i] === code[i + 1]) continue;
        swaps++;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        if (parseCode(swapped).kind === 'mistyped') caught++;
      }
    }
    expect(caught / swaps).toBeGreaterThan(0.9);
  });

  it('says what is wrong with input that is not a code', () => {
    expect(parseCode('')).toEqual({ kind: 'empty' });
    expect(parseCode('ABCD-EFGH')).toEqual({ kind: 'wrong-length', length: 8 });
    expect(parseCode('ABCD-EFGH-JKMN-PQRS-TVWX-YZ0U')).toEqual({ kind: 'invalid-symbol', symbol: 'U' });
    expect(parseCode('ABCD!EFGH')).toEqual({ kind: 'invalid-symbol', symbol: '!' });
  });

  it('draws every symbol of the alphabet', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 200; n++) for (const c of generateCode() as RetrievalCode) seen.add(c);
    expect(seen.size).toBe(32);
  });
});
