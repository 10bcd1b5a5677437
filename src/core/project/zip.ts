/**
 * @module A small zip reader for project bundles (`.zip`, `.alproj`). No zip library
 * is a dependency, and a bundle needs only the basics: the central directory
 * (APPNOTE 6.3.x §4.3.16 end record, §4.3.12 entries), stored (0) and deflated (8)
 * entries, which Node's zlib inflates. An upload is untrusted, so it is bounded:
 * entry count, each entry's and the total inflated size (inflation itself stops at
 * the declared size, so a zip bomb cannot lie its way past the limit), and names
 * that could escape a folder (`..`, absolute paths, drive letters) are refused.
 * Zip64, encryption and other methods are reported as problems, not guessed at.
 */
import { inflateRawSync } from 'node:zlib';

export const ZIP_LIMITS = { maxEntries: 2000, maxEntryBytes: 32 * 1024 * 1024, maxTotalBytes: 128 * 1024 * 1024 };

export interface ZipEntry {
  name: string;
  data: Uint8Array;
}

export class ZipError extends Error {
  override name = 'ZipError';
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function safeName(name: string): boolean {
  if (name === '' || name.includes('\\') || name.includes('\0')) return false;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return false;
  return !name.split('/').some((part) => part === '..');
}

export function isZip(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04;
}

/** Reads every file entry (folders skipped). Throws `ZipError` with the reason. */
export function readZip(bytes: Uint8Array, limits = ZIP_LIMITS): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError('not a zip file: no end of central directory');
  const count = view.getUint16(end + 10, true);
  const cdOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('zip64 archives are not supported');
  if (count > limits.maxEntries) throw new ZipError(`more than ${limits.maxEntries} entries`);
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CENTRAL) throw new ZipError('damaged central directory');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (!safeName(name)) throw new ZipError(`unsafe entry name "${name}"`);
    if (flags & 1) throw new ZipError(`"${name}" is encrypted`);
    if (size > limits.maxEntryBytes) throw new ZipError(`"${name}" is larger than ${limits.maxEntryBytes} bytes`);
    total += size;
    if (total > limits.maxTotalBytes) throw new ZipError(`the bundle inflates to more than ${limits.maxTotalBytes} bytes`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) throw new ZipError(`damaged local header of "${name}"`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compressed > bytes.length) throw new ZipError(`"${name}" runs past the end of the file`);
    const raw = bytes.subarray(start, start + compressed);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, size) });
      } catch (err) {
        throw new ZipError(`"${name}" could not be inflated: ${(err as Error).message}`);
      }
      if (data.length !== size) throw new ZipError(`"${name}" inflates to ${data.length} bytes, not the declared ${size}`);
    } else throw new ZipError(`"${name}" uses compression method ${method}; only stored and deflate are supported`);
    entries.push({ name, data });
  }
  return entries;
}
