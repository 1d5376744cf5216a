/**
 * PDF: blanks, in place and at the same length, the document information (author, creator,
 * producer, title, subject, keywords, dates) and the XMP metadata packet, wherever they stand
 * uncompressed, earlier revisions included. Byte offsets do not move, so the cross-reference table
 * stays valid. Metadata inside compressed object streams cannot be reached this way: then the
 * result says so.
 */
const KEYS = ['Author', 'Creator', 'Producer', 'Title', 'Subject', 'Keywords', 'CreationDate', 'ModDate', 'Company', 'SourceModified'];
/** Read whole: larger PDFs are sent as they are, flagged. */
export const MAX_PDF_BYTES = 64 * 1024 * 1024;

/** End (exclusive) of the PDF string starting at `at` (a '(' or '<'), or -1. */
function stringEnd(b: Uint8Array, at: number): number {
  if (b[at] === 0x3c /* < */) {
    const end = b.indexOf(0x3e /* > */, at);
    return end < 0 ? -1 : end + 1;
  }
  let depth = 0;
  for (let i = at; i < b.length; i++) {
    const c = b[i];
    if (c === 0x5c /* \ */) i++;
    else if (c === 0x28) depth++;
    else if (c === 0x29 && --depth === 0) return i + 1;
  }
  return -1;
}

function indexOfText(b: Uint8Array, text: string, from: number): number {
  const first = text.charCodeAt(0);
  for (let i = b.indexOf(first, from); i >= 0 && i <= b.length - text.length; i = b.indexOf(first, i + 1)) {
    let ok = true;
    for (let j = 1; j < text.length && ok; j++) ok = b[i + j] === text.charCodeAt(j);
    if (ok) return i;
  }
  return -1;
}

export async function cleanPdf(blob: Blob): Promise<{ blob: Blob; complete: boolean } | null> {
  if (blob.size > MAX_PDF_BYTES) return null;
  const b = new Uint8Array(await blob.arrayBuffer());
  if (indexOfText(b.subarray(0, 1024), '%PDF-', 0) < 0) return null;
  for (const key of KEYS) {
    for (let at = indexOfText(b, `/${key}`, 0); at >= 0; at = indexOfText(b, `/${key}`, at + 1)) {
      let i = at + key.length + 1;
      // `/Author` but not `/AuthorX`: the name must end here.
      if (/[A-Za-z0-9]/.test(String.fromCharCode(b[i] ?? 0))) continue;
      while (b[i] === 0x20 || b[i] === 0x0a || b[i] === 0x0d || b[i] === 0x09) i++;
      if (b[i] !== 0x28 && b[i] !== 0x3c) continue;
      if (b[i] === 0x3c && b[i + 1] === 0x3c) continue; // a dictionary, not a hex string
      const end = stringEnd(b, i);
      if (end < 0) continue;
      // `()` stays a valid empty string padded with spaces; `<>` likewise.
      const open = b[i]!;
      b.fill(0x20, i, end);
      b[i] = open;
      b[i + 1] = open === 0x28 ? 0x29 : 0x3e;
    }
  }
  for (let at = indexOfText(b, '<x:xmpmeta', 0); at >= 0; at = indexOfText(b, '<x:xmpmeta', at + 1)) {
    const close = indexOfText(b, '</x:xmpmeta>', at);
    if (close < 0) break;
    b.fill(0x20, at, close + '</x:xmpmeta>'.length);
  }
  const compressedObjects = indexOfText(b, '/ObjStm', 0) >= 0;
  return { blob: new Blob([b], { type: blob.type || 'application/pdf' }), complete: !compressedObjects };
}
