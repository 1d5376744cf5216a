/**
 * MP4 and MOV: phones write the place (©xyz, ISO 6709 location), the make, model and software
 * into `udta` and `meta` boxes. Those boxes become `free` boxes of the same size, filled with
 * zeros, so no offset in the file moves and the video plays as before.
 */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024;
const CONTAINERS = new Set(['moov', 'trak', 'mdia', 'minf']);
const DROP = new Set(['udta', 'meta', 'uuid']);

function boxes(b: Uint8Array, from: number, to: number, visit: (type: string, start: number, end: number, headerBytes: number) => void) {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let at = from; at + 8 <= to; ) {
    let size = v.getUint32(at);
    const type = String.fromCharCode(...b.subarray(at + 4, at + 8));
    let header = 8;
    if (size === 1) {
      size = Number(v.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) size = to - at;
    if (size < header || at + size > to) return;
    visit(type, at, at + size, header);
    at += size;
  }
}

export async function cleanMp4(blob: Blob): Promise<Blob | null> {
  const head = new Uint8Array(await blob.slice(4, 8).arrayBuffer());
  const kind = String.fromCharCode(...head);
  if (kind !== 'ftyp' && kind !== 'wide' && kind !== 'mdat' && kind !== 'moov') return null;
  // Top-level boxes, read by their headers only.
  const top: Array<{ type: string; start: number; end: number }> = [];
  for (let at = 0; at + 8 <= blob.size; ) {
    const h = new Uint8Array(await blob.slice(at, at + 16).arrayBuffer());
    const v = new DataView(h.buffer);
    let size = v.getUint32(0);
    if (size === 1) size = Number(v.getBigUint64(8));
    else if (size === 0) size = blob.size - at;
    if (size < 8) return null;
    top.push({ type: String.fromCharCode(...h.subarray(4, 8)), start: at, end: at + size });
    at += size;
  }
  const parts: Array<Blob | Uint8Array<ArrayBuffer>> = [];
  for (const box of top) {
    if (DROP.has(box.type)) {
      const free = new Uint8Array(box.end - box.start > MAX_MOOV_BYTES ? 0 : box.end - box.start);
      if (free.length === 0) return null;
      new DataView(free.buffer).setUint32(0, free.length);
      free.set([0x66, 0x72, 0x65, 0x65], 4);
      parts.push(free);
    } else if (box.type === 'moov') {
      if (box.end - box.start > MAX_MOOV_BYTES) return null;
      const moov = new Uint8Array(await blob.slice(box.start, box.end).arrayBuffer());
      const walk = (from: number, to: number) =>
        boxes(moov, from, to, (type, start, end, header) => {
          if (DROP.has(type)) {
            moov.fill(0, start + 8, end);
            moov.set([0x66, 0x72, 0x65, 0x65], start + 4);
            if (header === 16) new DataView(moov.buffer).setUint32(start, 1);
          } else if (CONTAINERS.has(type)) walk(start + header, end);
        });
      walk(8, moov.length);
      parts.push(moov);
    } else parts.push(blob.slice(box.start, box.end));
  }
  return new Blob(parts, { type: blob.type });
}
