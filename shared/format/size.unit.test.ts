import { describe, expect, it } from 'vitest';
import { base64Bytes, formatSize } from './size.ts';

describe('file sizes', () => {
  it('read the same for a file in the page and its base64 in the officer tool', () => {
    for (const n of [0, 1, 1023, 1024, 1025, 15 * 1024 + 1, 16 * 1024, 90_000, 5 * 1024 * 1024 + 7]) {
      const base64 = Buffer.alloc(n).toString('base64');
      expect(base64Bytes(base64)).toBe(n);
      expect(formatSize(base64Bytes(base64))).toBe(formatSize(n));
    }
    expect(formatSize(15_001)).toBe('16 kB');
    expect(formatSize(500)).toBe('500 B');
  });

  it('count a MB as 10⁶ bytes, as the limits do', () => {
    expect(formatSize(40_000_000)).toBe('40 MB');
    expect(formatSize(500_000_000)).toBe('500 MB');
    expect(formatSize(38_149_999)).toBe('38.1 MB');
    expect(formatSize(1_000_000)).toBe('1 MB');
  });
});
