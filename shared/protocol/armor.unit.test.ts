/**
 * ASCII armor, table-driven: the same bytes as Node's base64 and openpgp.js's unarmor, lines of 64,
 * and base64 read exactly as `atob` reads it, so the faster code accepts and refuses what the old did.
 */
import { randomBytes } from 'node:crypto';
import * as openpgp from 'openpgp';
import { describe, expect, it } from 'vitest';
import { armor, dearmor } from './armor.ts';

const wrap = (body: string, sum = '=AAAA') => `-----BEGIN PGP MESSAGE-----\n\n${body}\n${sum}\n-----END PGP MESSAGE-----\n`;

describe('armor', () => {
  it('writes 64-character lines of standard base64 that openpgp.js reads back, for every length of tail', async () => {
    for (let n = 1; n < 200; n++) {
      const bytes = randomBytes(n * 5 + (n % 3));
      const text = armor('MESSAGE', bytes);
      const lines = text.split('\n').slice(2, -3);
      expect(lines.slice(0, -1).every((l) => l.length === 64) && lines.at(-1)!.length <= 64 && lines.at(-1)!.length > 0).toBe(true);
      expect(lines.join('')).toBe(bytes.toString('base64'));
      expect(Buffer.from(dearmor(text, 'MESSAGE'))).toEqual(bytes);
      expect(Buffer.from((await openpgp.unarmor(text)).data as Uint8Array)).toEqual(bytes);
    }
  });

  it('reads base64 exactly as atob does: padding only at the end, never 4n+1 characters', () => {
    for (const body of ['QQ', 'QQ=', 'QQ==', 'QUI', 'QUI=', 'Q', 'QQ=A', '====', 'QUJD', 'QUJDRA', 'Q===', 'QUJD=', 'QU=JD']) {
      let byAtob: string;
      try {
        byAtob = Buffer.from(atob(body), 'latin1').toString('base64');
      } catch {
        byAtob = 'refused';
      }
      const sum = byAtob === 'refused' ? '=AAAA' : `=${armor('MESSAGE', Buffer.from(byAtob, 'base64')).split('\n').at(-3)!.slice(1)}`;
      let ours: string;
      try {
        ours = Buffer.from(dearmor(wrap(body, sum), 'MESSAGE')).toString('base64');
      } catch {
        ours = 'refused';
      }
      expect(ours, body).toBe(byAtob);
    }
  });

  it('refuses a wrong checksum, a header line and text after the block', () => {
    const text = armor('MESSAGE', randomBytes(100));
    const lines = text.split('\n');
    const sum = lines.at(-3)!;
    expect(() => dearmor(text.replace(sum, sum === '=AAAA' ? '=AAAB' : '=AAAA'), 'MESSAGE')).toThrow(/checksum does not match/);
    expect(() => dearmor(text.replace('\n\n', '\nComment: x\n\n'), 'MESSAGE')).toThrow(/header/);
    expect(() => dearmor(`${text}x`, 'MESSAGE')).toThrow(/after the armored block/);
  });
});
