/** WAV: keeps only the `fmt ` and `data` chunks; LIST/INFO (artist, software), bext and iXML go. Lossless. */
export async function cleanWav(blob: Blob): Promise<Blob | null> {
  const head = new Uint8Array(await blob.slice(0, 12).arrayBuffer());
  const text = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4));
  if (head.length < 12 || text(head, 0) !== 'RIFF' || text(head, 8) !== 'WAVE') return null;
  const parts: Blob[] = [];
  let size = 4;
  for (let at = 12; at + 8 <= blob.size; ) {
    const h = new Uint8Array(await blob.slice(at, at + 8).arrayBuffer());
    const length = (h[4]! | (h[5]! << 8) | (h[6]! << 16) | (h[7]! << 24)) >>> 0;
    const end = at + 8 + length + (length & 1);
    if (text(h, 0) === 'fmt ' || text(h, 0) === 'data') {
      parts.push(blob.slice(at, end));
      size += end - at;
    }
    at = end;
  }
  const riff = new Uint8Array([0x52, 0x49, 0x46, 0x46, size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, (size >>> 24) & 0xff, 0x57, 0x41, 0x56, 0x45]);
  return new Blob([riff, ...parts], { type: blob.type });
}
