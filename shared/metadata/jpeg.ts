/**
 * JPEG: drops the segments that carry metadata (APP1 EXIF and XMP with GPS, camera make, model,
 * serial and dates; APP13 IPTC/Photoshop; comments) and keeps what the picture needs (JFIF,
 * the colour profile, Adobe's colour transform, tables and image data). Lossless: the image bytes
 * are the same slices of the original.
 */
const KEEP_APP = new Set([0xe0 /* APP0 JFIF */, 0xe2 /* APP2 ICC profile */, 0xee /* APP14 Adobe */]);

export async function cleanJpeg(blob: Blob): Promise<Blob | null> {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  if (head[0] !== 0xff || head[1] !== 0xd8) return null;
  const parts: Blob[] = [blob.slice(0, 2)];
  let at = 2;
  for (;;) {
    const marker = new Uint8Array(await blob.slice(at, at + 4).arrayBuffer());
    if (marker.length < 4 || marker[0] !== 0xff) return null;
    const type = marker[1]!;
    const length = (marker[2]! << 8) | marker[3]!;
    if (type === 0xda) {
      // Start of scan: the image data follows, to the end.
      parts.push(blob.slice(at));
      return new Blob(parts, { type: blob.type });
    }
    const isApp = type >= 0xe0 && type <= 0xef;
    if (!(isApp && !KEEP_APP.has(type)) && type !== 0xfe) parts.push(blob.slice(at, at + 2 + length));
    at += 2 + length;
  }
}
