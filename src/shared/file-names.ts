/**
 * @module File-name rules shared by the server, which names a task's outputs
 * (pipeline/outputs/naming.ts), and the File System Agent, which writes them into a
 * local folder (agent/files.ts): both must make the same names, and the agent may
 * import nothing of the service but `src/shared`.
 *
 * Windows is the strictest platform clients run on, so its rules apply everywhere:
 * no `<>:"/\|?*` or control characters, no trailing dot or space, no device names
 * (CON, PRN, AUX, NUL, COM1–9, LPT1–9, with any extension; the superscript digits
 * ¹²³ count too), and 255 bytes per name on NTFS, ext4 and APFS alike — 240 leaves
 * room for a ` (99)` collision suffix. With both separators replaced, no name can
 * climb out of its folder.
 */
const FORBIDDEN = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
const MAX_NAME_BYTES = 240;

const utf8 = new TextEncoder();

/** Stem and extension (with its dot); a leading-dot name is all extension. */
function splitExtension(name: string): [string, string] {
  const dot = name.lastIndexOf('.');
  if (dot < 0 || name.length - dot > 16) return [name, ''];
  return [name.slice(0, dot), name.slice(dot)];
}

function truncateBytes(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = utf8.encode(ch).length;
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/** A name safe to create in any folder on Windows or POSIX; `fallback` when nothing is left. */
export function sanitizeFileName(name: string, fallback = 'unnamed'): string {
  let clean = name.normalize('NFC').replace(FORBIDDEN, '_').trim().replace(/[. ]+$/, '');
  if (/^\.*$/.test(clean)) clean = '';
  const [stem0, ext0] = splitExtension(clean);
  let stem = stem0;
  const ext = ext0.replace(/[. ]+$/, '');
  if (RESERVED.test(stem.split('.')[0]?.trim() ?? '')) stem = `_${stem}`;
  stem = truncateBytes(stem, MAX_NAME_BYTES - utf8.encode(ext).length).replace(/[. ]+$/, '');
  if (stem === '') return ext === '' ? fallback : `${fallback}${ext}`;
  return `${stem}${ext}`;
}

/**
 * `name`, or `name (2)`, `name (3)`… before the extension, whichever `taken` does not
 * hold. Compared case-insensitively: Windows and macOS folders are.
 */
export function uniqueFileName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  const [stem, ext] = splitExtension(name);
  for (let i = 2; ; i++) {
    const candidate = `${stem} (${i})${ext}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
