/**
 * Metadata removal checked with exiftool (Debian libimage-exiftool-perl): files made with real
 * tools (ffmpeg, exiftool, a deflated zip as Office writes it) carry a place, a device, an author and a company;
 * after removeMetadata none of it is left, and the file still reads as the same kind.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { removeMetadata } from './index.ts';
import { exiftool, identifyingTags, pdfWithAuthor, photoWithGps, run } from '../../test/support/evidence.ts';

/** A deflated zip, as Office writes them, with the CRCs checked again on reading. */
function zip(entries: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(entries)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(n.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, n, packed);
    centrals.push(central, n);
    offset += 30 + n.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** Reads every entry back through the central directory, checking each CRC. */
function unzip(b: Buffer): Record<string, string> {
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const out: Record<string, string> = {};
  let at = b.readUInt32LE(eocd + 16);
  for (let i = 0; i < b.readUInt16LE(eocd + 10); i++) {
    const name = b.subarray(at + 46, at + 46 + b.readUInt16LE(at + 28)).toString();
    const local = b.readUInt32LE(at + 42);
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const raw = b.subarray(start, start + b.readUInt32LE(at + 20));
    const data = b.readUInt16LE(at + 10) === 8 ? inflateRawSync(raw) : raw;
    expect(crc32(data), name).toBe(b.readUInt32LE(at + 16));
    out[name] = data.toString();
    at += 46 + b.readUInt16LE(at + 28) + b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'meldpunt-meta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exif = exiftool;
const leftovers = identifyingTags;

async function clean(file: string, name: string, type: string): Promise<{ path: string; status: string }> {
  const blob = new File([readFileSync(file)], name, { type });
  const result = await removeMetadata(blob, false);
  const path = `${file}.clean`;
  writeFileSync(path, new Uint8Array(await result.blob.arrayBuffer()));
  return { path, status: result.status };
}

describe('metadata removal, checked with exiftool', () => {
  it('JPEG: GPS, camera make, model, serial and dates are gone; the picture is intact', async () => {
    const file = photoWithGps(dir);
    expect(leftovers(exif(file)).length).toBeGreaterThan(4); // the tags are really there before
    const { path, status } = await clean(file, 'photo.jpg', 'image/jpeg');
    expect(status).toBe('cleaned');
    expect(leftovers(exif(path))).toEqual([]);
    expect(exif(path)['File:ImageWidth']).toBe(64);
  });

  it('PNG: text chunks and eXIf are gone', async () => {
    const file = join(dir, 'screen.png');
    run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=blue:s=32x32', '-frames:v', '1', '-y', file]);
    run('exiftool', ['-overwrite_original', '-PNG:Author=Jan Jansen', '-XMP:Creator=Jan Jansen', '-EXIF:Make=Canon', file]);
    expect(leftovers(exif(file)).length).toBeGreaterThan(1);
    const { path, status } = await clean(file, 'screen.png', 'image/png');
    expect(status).toBe('cleaned');
    expect(leftovers(exif(path))).toEqual([]);
    expect(exif(path)['PNG:ImageWidth']).toBe(32);
  });

  it('PDF: the author, also in an earlier revision, and the XMP packet are gone', async () => {
    const file = pdfWithAuthor(dir);
    expect(leftovers(exif(file)).length).toBeGreaterThan(1);
    const { path, status } = await clean(file, 'brief.pdf', 'application/pdf');
    expect(status).toBe('cleaned');
    expect(leftovers(exif(path))).toEqual([]);
    expect(readFileSync(path).toString('latin1')).not.toContain('Jan Jansen');
    expect(exif(path)['PDF:PageCount']).toBe(1);
  });

  it('DOCX: author, last editor and company are gone; the archive still opens', async () => {
    const file = join(dir, 'notulen.docx');
    const core = '<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jan Jansen</dc:creator><cp:lastModifiedBy>Jan Jansen</cp:lastModifiedBy></cp:coreProperties>';
    const app = '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Partijbureau</Company></Properties>';
    writeFileSync(file, zip({ '[Content_Types].xml': '<Types/>', 'docProps/core.xml': core, 'docProps/app.xml': app, 'word/document.xml': '<w:document>Inhoud blijft</w:document>' }));
    expect(leftovers(exif(file)).length).toBeGreaterThan(1);
    const { path, status } = await clean(file, 'notulen.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(status).toBe('cleaned');
    const after = exif(path);
    expect(after['ExifTool:Warning']).toBeUndefined();
    expect(leftovers(after)).toEqual([]);
    expect(unzip(readFileSync(path))['word/document.xml']).toBe('<w:document>Inhoud blijft</w:document>');
  });

  it('MP4: the location and device a phone writes are gone; the video still probes', async () => {
    const file = join(dir, 'video.mp4');
    run('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=green:s=64x48:d=1', '-c:v', 'mpeg4', '-metadata', 'location=+52.3702+004.8952/', '-metadata', 'make=Canon', '-metadata', 'model=EOS 5D', '-metadata', 'artist=Jan Jansen', '-movflags', 'use_metadata_tags', '-y', file]);
    expect(leftovers(exif(file)).length).toBeGreaterThan(1);
    const { path, status } = await clean(file, 'video.mp4', 'video/mp4');
    expect(status).toBe('cleaned');
    expect(leftovers(exif(path))).toEqual([]);
    const probed = JSON.parse(run('ffprobe', ['-v', 'error', '-show_format', '-print_format', 'json', path]).toString()) as { format: { duration: string } };
    expect(Number(probed.format.duration)).toBeCloseTo(1, 0);
  });

  it('keeps everything when the reporter chooses so, and says when a kind cannot be cleaned', async () => {
    const file = new File([new Uint8Array([1, 2, 3])], 'data.bin', { type: 'application/octet-stream' });
    expect((await removeMetadata(file, false)).status).toBe('unsupported');
    const kept = await removeMetadata(file, true);
    expect(kept).toEqual({ blob: file, status: 'kept' });
  });
});
