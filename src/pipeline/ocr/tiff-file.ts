/**
 * @module The page handed to a long-lived Tesseract process (native.ts), as an
 * uncompressed baseline TIFF. A PNM file, which one process a page read with
 * `--dpi`, carries no resolution; a process that reads many pages takes each page's
 * resolution from its file instead, and Tesseract's layout analysis depends on it
 * (a guessed one read SROIE receipt 045 at 15.7 % character errors, its stated 72 dpi
 * at 8.8 %). A TIFF holds the resolution in two tags and the pixels as they are: the
 * header is written in front of the bitmap with no copy of it (`writev`), and
 * Leptonica reads it back as fast as the PNM. Grey, RGB and packed 1-bit pages
 * (PBM layout: 1 = black, so photometric WhiteIsZero) are written as they come.
 * With the same pixels and resolution, the 13 pages of bench/ocr gave Tesseract's
 * TSV byte for byte as a PNM read with `--dpi` (TIFF 6.0 spec, section 2 and 8).
 */
import type { OcrImage } from './types.ts';

const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** For SHORT/LONG with count 1: the value; otherwise the offset of the values, filled in by the layout. */
  value: number;
}

/** The bytes that go in front of `image.data` to make it a TIFF file. */
export function tiffHeader(image: OcrImage, dpi: number | null): Buffer {
  const bits = image.bits === 1 ? 1 : 8;
  const samples = image.bits === 1 ? 1 : image.channels;
  const rowBytes = bits === 1 ? Math.ceil(image.width / 8) : image.width * samples;
  const photometric = bits === 1 ? 0 : samples === 3 ? 2 : 1;
  const entries: Entry[] = [
    { tag: 256, type: LONG, count: 1, value: image.width },
    { tag: 257, type: LONG, count: 1, value: image.height },
    { tag: 258, type: SHORT, count: samples, value: bits },
    { tag: 259, type: SHORT, count: 1, value: 1 },
    { tag: 262, type: SHORT, count: 1, value: photometric },
    { tag: 273, type: LONG, count: 1, value: 0 },
    { tag: 277, type: SHORT, count: 1, value: samples },
    { tag: 278, type: LONG, count: 1, value: image.height },
    { tag: 279, type: LONG, count: 1, value: rowBytes * image.height },
  ];
  if (dpi !== null && dpi > 0) {
    entries.push({ tag: 282, type: RATIONAL, count: 1, value: 0 }, { tag: 283, type: RATIONAL, count: 1, value: 0 }, { tag: 296, type: SHORT, count: 1, value: 2 });
  }
  // Layout: 8-byte file header, the directory, then the values too long for an entry, then the pixels.
  const ifdSize = 2 + entries.length * 12 + 4;
  let extra = 8 + ifdSize;
  const extras: { entry: Entry; write: (b: Buffer, at: number) => void; size: number }[] = [];
  for (const e of entries) {
    if (e.tag === 258 && samples > 1) extras.push({ entry: e, size: 2 * samples, write: (b, at) => Array.from({ length: samples }, (_, i) => b.writeUInt16LE(bits, at + 2 * i)) });
    if (e.type === RATIONAL) extras.push({ entry: e, size: 8, write: (b, at) => (b.writeUInt32LE(Math.round((dpi ?? 0) * 100), at), b.writeUInt32LE(100, at + 4)) });
  }
  for (const x of extras) {
    x.entry.value = extra;
    extra += x.size;
  }
  const header = Buffer.alloc(extra);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  header.writeUInt32LE(8, 4);
  header.writeUInt16LE(entries.length, 8);
  entries.forEach((e, i) => {
    const at = 10 + i * 12;
    header.writeUInt16LE(e.tag, at);
    header.writeUInt16LE(e.type, at + 2);
    header.writeUInt32LE(e.count, at + 4);
    const value = e.tag === 273 ? extra : e.value;
    if (e.type === SHORT && e.count === 1) header.writeUInt16LE(value, at + 8);
    else header.writeUInt32LE(value, at + 8);
  });
  header.writeUInt32LE(0, 8 + ifdSize - 4);
  for (const x of extras) x.write(header, x.entry.value);
  return header;
}
