/**
 * One way to say a file size, the same in the page, the server's messages and the officer tool, and
 * the same unit the limits are set in: 1 kB = 1,000 bytes, 1 MB = 1,000,000 bytes (rounded up for
 * kB; MB with one decimal, none when whole: "38.1 MB", "500 MB").
 */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.ceil(bytes / 1000)} kB`;
  return `${Number((bytes / 1_000_000).toFixed(1))} MB`;
}

/** The byte length of base64 text, without decoding it. */
export const base64Bytes = (base64: string) => Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
