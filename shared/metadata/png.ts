/**
 * PNG: drops the chunks that carry metadata (eXIf, text chunks with author or software, XMP in
 * iTXt, the time of last change) and keeps every chunk the image needs. Lossless.
 */
const DROP = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME']);
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export async function cleanPng(blob: Blob): Promise<Blob | null> {
  const sig = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  if (!SIGNATURE.every((b, i) => sig[i] === b)) return null;
  const parts: Blob[] = [blob.slice(0, 8)];
  let at = 8;
  while (at < blob.size) {
    const header = new Uint8Array(await blob.slice(at, at + 8).arrayBuffer());
    if (header.length < 8) return null;
    const length = ((header[0]! << 24) | (header[1]! << 16) | (header[2]! << 8) | header[3]!) >>> 0;
    const type = String.fromCharCode(...header.subarray(4, 8));
    const end = at + 12 + length;
    if (!DROP.has(type)) parts.push(blob.slice(at, end));
    at = end;
    if (type === 'IEND') break;
  }
  return new Blob(parts, { type: blob.type });
}
