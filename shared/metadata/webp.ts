/**
 * WebP: drops the EXIF and XMP chunks of the RIFF container and clears their flags in the VP8X
 * header; the image chunks stay as they are. Lossless.
 */
export async function cleanWebp(blob: Blob): Promise<Blob | null> {
  const head = new Uint8Array(await blob.slice(0, 12).arrayBuffer());
  const text = (b: Uint8Array, from: number) => String.fromCharCode(...b.subarray(from, from + 4));
  if (head.length < 12 || text(head, 0) !== 'RIFF' || text(head, 8) !== 'WEBP') return null;
  const parts: Array<Blob | Uint8Array<ArrayBuffer>> = [];
  let size = 4; // "WEBP"
  let at = 12;
  while (at + 8 <= blob.size) {
    const chunk = new Uint8Array(await blob.slice(at, at + 8).arrayBuffer());
    const type = text(chunk, 0);
    const length = chunk[4]! | (chunk[5]! << 8) | (chunk[6]! << 16) | (chunk[7]! << 24);
    const end = at + 8 + length + (length & 1);
    if (type === 'VP8X') {
      const body = new Uint8Array(await blob.slice(at, end).arrayBuffer());
      body[8] = body[8]! & ~0x0c; // the EXIF (0x08) and XMP (0x04) flags
      parts.push(body);
      size += body.length;
    } else if (type !== 'EXIF' && type !== 'XMP ') {
      parts.push(blob.slice(at, end));
      size += end - at;
    }
    at = end;
  }
  const riff = new Uint8Array([0x52, 0x49, 0x46, 0x46, size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, (size >>> 24) & 0xff, 0x57, 0x45, 0x42, 0x50]);
  return new Blob([riff, ...parts], { type: blob.type });
}
