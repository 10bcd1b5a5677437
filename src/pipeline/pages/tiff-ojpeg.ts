/**
 * @module Rescues TIFFs with "old-style" JPEG compression (Compression = 6, TIFF 6.0
 * §22, withdrawn by TechNote 2), which the libtiff inside sharp does not decode
 * ("Old-style JPEG compression support is not configured"). Such files nearly always
 * hold a complete JPEG stream at JPEGInterchangeFormat (tag 513) or as their single
 * strip (the corpus's scanner file does both), so that stream is cut out and decoded
 * as an ordinary JPEG. Only classic TIFF is walked; IFD chains are followed at most
 * 10,000 steps, so a looping chain ends.
 */
import { readFile } from 'node:fs/promises';

const MAX_IFDS = 10_000;

function reader(buf: Buffer) {
  const le = buf.toString('latin1', 0, 2) === 'II';
  return {
    u16: (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o)),
    u32: (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o)),
  };
}

/** The first value of each tag of the IFD at `offset` (SHORT or LONG), and the next IFD's offset. */
function readIfd(buf: Buffer, offset: number): { tags: Map<number, number>; next: number } {
  const r = reader(buf);
  const count = r.u16(offset);
  const tags = new Map<number, number>();
  for (let i = 0; i < count; i++) {
    const e = offset + 2 + i * 12;
    if (e + 12 > buf.length) break;
    const type = r.u16(e + 2);
    if (type === 3) tags.set(r.u16(e), r.u16(e + 8));
    else if (type === 4) tags.set(r.u16(e), r.u32(e + 8));
  }
  const nextAt = offset + 2 + count * 12;
  return { tags, next: nextAt + 4 <= buf.length ? r.u32(nextAt) : 0 };
}

/** The JPEG stream of page `page` when it is old-style JPEG with a whole stream inside, else null. */
export function oldJpegStream(buf: Buffer, page: number): Buffer | null {
  if (buf.length < 8) return null;
  const r = reader(buf);
  if (r.u16(2) !== 42) return null;
  let offset = r.u32(4);
  const seen = new Set<number>();
  for (let i = 0; offset > 0 && offset + 2 <= buf.length && i < MAX_IFDS; i++) {
    if (seen.has(offset)) return null;
    seen.add(offset);
    const { tags, next } = readIfd(buf, offset);
    if (i === page) {
      if (tags.get(259) !== 6) return null;
      const start = tags.get(513) ?? tags.get(273);
      if (start === undefined || start + 2 > buf.length || buf[start] !== 0xff || buf[start + 1] !== 0xd8) return null;
      const length = tags.get(514) ?? tags.get(279) ?? buf.length - start;
      return buf.subarray(start, Math.min(buf.length, start + length));
    }
    offset = next;
  }
  return null;
}

export async function readOldJpeg(filePath: string, page: number): Promise<Buffer | null> {
  return oldJpegStream(await readFile(filePath), page);
}
