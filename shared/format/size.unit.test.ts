import { describe, expect, it } from 'vitest';
import { base64Bytes, formatSize } from './size.ts';

describe('file sizes', () => {
  it('read the same for a file in the page and its base64 in the officer tool', () => {
    for (const n of [0, 1, 1023, 1024, 1025, 15 * 1024 + 1, 16 * 1024, 90_000, 5 * 1024 * 1024 + 7]) {
      const base64 = Buffer.alloc(n).toString('base64');
      expect(base64Bytes(base64)).toBe(n);
      expect(formatSize(base64Bytes(base64))).toBe(formatSize(n));
    }
    expect(formatSize(15 * 1024 + 1)).toBe('16 kB');
    expect(formatSize(500)).toBe('500 B');
    expect(formatSize(5 * 1024 * 1024)).toBe('5.0 MB');
  });
});
