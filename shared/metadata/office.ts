/**
 * Office files (docx, xlsx, pptx; odt, ods, odp) are zip archives whose document properties name
 * the author, the last editor, the company and dates. This empties those properties and rewrites
 * the archive; every other entry is copied byte for byte.
 */
export const MAX_OFFICE_BYTES = 64 * 1024 * 1024;

const BLANK: Record<string, string[]> = {
  'docProps/core.xml': ['dc:creator', 'cp:lastModifiedBy', 'dcterms:created', 'dcterms:modified', 'cp:lastPrinted', 'dc:title', 'dc:subject', 'cp:keywords', 'dc:description', 'cp:category', 'cp:contentStatus', 'cp:revision'],
  'docProps/app.xml': ['Company', 'Manager', 'Template', 'HyperlinkBase'],
  'meta.xml': ['meta:initial-creator', 'dc:creator', 'meta:creation-date', 'dc:date', 'meta:printed-by', 'meta:print-date', 'meta:generator', 'dc:title', 'dc:subject', 'meta:keyword', 'dc:description', 'meta:user-defined'],
};

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function blank(xml: string, names: string[]): string {
  let out = xml;
  for (const name of names) {
    const tag = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(`<${tag}(\\s[^>]*)?>[\\s\\S]*?</${tag}>`, 'g'), `<${name}$1></${name}>`).replace(new RegExp(`<${tag}(\\s[^>]*)?/>`, 'g'), `<${name}$1/>`);
  }
  return out;
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressed: number;
  size: number;
  offset: number;
  central: Uint8Array;
}

/** The cleaned archive, or null if this is not a zip this code can rewrite (then nothing is changed). */
export async function cleanOffice(blob: Blob): Promise<Blob | null> {
  if (blob.size > MAX_OFFICE_BYTES) return null;
  const b = new Uint8Array(await blob.arrayBuffer());
  const v = new DataView(b.buffer);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 65_557); i--) if (v.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) return null;
  const count = v.getUint16(eocd + 10, true);
  let at = v.getUint32(eocd + 16, true);
  const entries: Entry[] = [];
  for (let n = 0; n < count; n++) {
    if (v.getUint32(at, true) !== 0x02014b50) return null;
    const nameLength = v.getUint16(at + 28, true);
    const extra = v.getUint16(at + 30, true);
    const comment = v.getUint16(at + 32, true);
    entries.push({
      name: new TextDecoder().decode(b.subarray(at + 46, at + 46 + nameLength)),
      flags: v.getUint16(at + 8, true),
      method: v.getUint16(at + 10, true),
      crc: v.getUint32(at + 16, true),
      compressed: v.getUint32(at + 20, true),
      size: v.getUint32(at + 24, true),
      offset: v.getUint32(at + 42, true),
      central: b.slice(at, at + 46 + nameLength + extra + comment),
    });
    at += 46 + nameLength + extra + comment;
  }
  if (!entries.some((e) => BLANK[e.name])) return null;
  const sorted = [...entries].sort((x, y) => x.offset - y.offset);
  const ends = new Map(sorted.map((e, i) => [e, sorted[i + 1]?.offset ?? v.getUint32(eocd + 16, true)]));
  const parts: Array<Uint8Array | Blob> = [];
  const central: Uint8Array[] = [];
  let written = 0;
  for (const e of sorted) {
    const names = BLANK[e.name];
    const cd = e.central.slice();
    const cv = new DataView(cd.buffer);
    cv.setUint32(42, written, true);
    if (!names) {
      parts.push(blob.slice(e.offset, ends.get(e)!));
      written += ends.get(e)! - e.offset;
    } else {
      const local = e.offset;
      const dataAt = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
      const raw = b.subarray(dataAt, dataAt + e.compressed);
      const xml = new TextDecoder().decode(e.method === 8 ? await inflate(raw) : raw);
      const data = new TextEncoder().encode(blank(xml, names));
      const crc = crc32(data);
      const nameBytes = new TextEncoder().encode(e.name);
      const header = new Uint8Array(30 + nameBytes.length);
      const hv = new DataView(header.buffer);
      hv.setUint32(0, 0x04034b50, true);
      hv.setUint16(4, 20, true);
      hv.setUint16(6, e.flags & 0x0800, true); // stored, sizes known: no data descriptor
      hv.setUint16(8, 0, true);
      hv.setUint32(14, crc, true);
      hv.setUint32(18, data.length, true);
      hv.setUint32(22, data.length, true);
      hv.setUint16(26, nameBytes.length, true);
      header.set(nameBytes, 30);
      parts.push(header, data);
      written += header.length + data.length;
      cv.setUint16(8, e.flags & 0x0800, true);
      cv.setUint16(10, 0, true);
      cv.setUint32(16, crc, true);
      cv.setUint32(20, data.length, true);
      cv.setUint32(24, data.length, true);
    }
    central.push(cd);
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = b.slice(eocd, eocd + 22);
  const ev = new DataView(end.buffer);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, written, true);
  ev.setUint16(20, 0, true);
  return new Blob([...parts, ...central, end] as BlobPart[], { type: blob.type });
}
