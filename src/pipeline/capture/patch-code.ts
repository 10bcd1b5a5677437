/**
 * @module Patch code reading, for patch-code separation. A patch code is Kodak's
 * separator-sheet symbol that production scanners act on (Patch Code Information,
 * Kodak publication A-61599): four black bars, two wide (0.20 in) and two narrow
 * (0.08 in), apart by three narrow spaces (0.08 in), 0.80 in in all, the bars at
 * least 0.75 in long (2 in on most scanners). The order of wide (W) and narrow (N)
 * bars names the patch: WWNN 1, WNNW 2, WNWN 3, NWWN 4, NNWW 6, NWNW T. zxing reads
 * no patch codes, and they need none of its machinery: they are found here by runs of
 * dark and light pixels along sampled columns and rows of the greyscale page.
 *
 * Bars parallel to the sheet's leading edge (horizontal on an upright page) are read
 * top to bottom; end-fed patches (vertical bars) right to left, as A-61599 has the
 * scanner read them. A sheet scanned upside down reads 1 as 6 and 3 as T (2 and 4
 * read the same both ways), as it would on the scanner.
 *
 * What keeps print from passing for a patch: each bar and space within 40 % of its
 * nominal width against the symbol's own module (a tenth of its length), a module of
 * 0.05–0.12 in at the page's resolution (text strokes are a few hundredths), a quiet
 * zone of three modules before and after (wider than Code 39's widest space), and the
 * same patch at the same place along at least 0.75 in of consecutive scan lines.
 */
import type { PatchCode } from '../../core/project/model.ts';
import type { GreyImage } from './barcode.ts';

/** Wide and narrow bars, in reading order, for each patch (A-61599's zone tables). */
const PATTERNS: Record<string, PatchCode> = { WWNN: '1', WNNW: '2', WNWN: '3', NWWN: '4', NNWW: '6', NWNW: 'T' };
/** Nominal widths in modules of 0.08 in: a wide bar 2.5, a narrow bar or a space 1; a patch 10. */
const WIDE = 2.5;
const TOLERANCE = 0.4;
/** Light before and after a patch, in modules (0.24 in). */
const QUIET = 3;
const MIN_MODULE_IN = 0.05;
const MAX_MODULE_IN = 0.12;
const MIN_LENGTH_IN = 0.75;
/** Scan lines every 0.04 in: ~19 lines along the shortest patch bar. */
const STEP_IN = 0.04;
const DARK = 128;

interface Hit {
  code: PatchCode;
  /** Where the patch starts and ends along the scan line, in pixels. */
  from: number;
  to: number;
}

/** Dark/light runs of a scan line, with runs of at most `speck` pixels merged into their neighbours (scanner noise). */
function runs(line: Uint8Array, speck: number): { dark: boolean; start: number; length: number }[] {
  const out: { dark: boolean; start: number; length: number }[] = [];
  for (let i = 0; i < line.length; i++) {
    const dark = line[i]! < DARK;
    const last = out.at(-1);
    if (last && last.dark === dark) last.length++;
    else out.push({ dark, start: i, length: 1 });
  }
  for (let i = 1; i < out.length - 1; i++) {
    if (out[i]!.length > speck) continue;
    const [prev, next] = [out[i - 1]!, out[i + 1]!];
    prev.length += out[i]!.length + next.length;
    out.splice(i, 2);
    i--;
  }
  return out;
}

function near(width: number, nominal: number, module: number): boolean {
  return Math.abs(width - nominal * module) <= TOLERANCE * nominal * module;
}

/** The patches along one scan line. */
function scanLine(line: Uint8Array, dpi: number): Hit[] {
  const hits: Hit[] = [];
  const r = runs(line, Math.max(1, Math.round(dpi / 100)));
  for (let i = 0; i + 6 < r.length; i++) {
    if (!r[i]!.dark) continue;
    const seven = r.slice(i, i + 7);
    const total = seven.reduce((s, x) => s + x.length, 0);
    const module = total / 10;
    if (module < MIN_MODULE_IN * dpi || module > MAX_MODULE_IN * dpi) continue;
    // A quiet zone on both sides (or the page's edge), wider than Code 39's wide space (2.5 narrow ones): a Code 39 of
    // 4 px modules read at 72 dpi otherwise passed for patches 1, 3, 4 and T.
    const before = r[i - 1];
    const after = r[i + 7];
    if ((before && before.length < QUIET * module) || (after && after.length < QUIET * module)) continue;
    if (![1, 3, 5].every((k) => near(seven[k]!.length, 1, module))) continue;
    const bars = [0, 2, 4, 6].map((k) => (near(seven[k]!.length, WIDE, module) ? 'W' : near(seven[k]!.length, 1, module) ? 'N' : '?')).join('');
    const code = PATTERNS[bars];
    if (code) hits.push({ code, from: seven[0]!.start, to: seven[0]!.start + total });
  }
  return hits;
}

/** Pixels of column `x`, top to bottom. */
function column(image: GreyImage, x: number): Uint8Array {
  const out = new Uint8Array(image.height);
  for (let y = 0; y < image.height; y++) out[y] = image.data[y * image.width + x]!;
  return out;
}

/** Pixels of row `y`, right to left (the order a scanner reads an end-fed patch in). */
function rowRightToLeft(image: GreyImage, y: number): Uint8Array {
  return Uint8Array.from(image.data.subarray(y * image.width, (y + 1) * image.width)).reverse();
}

/** Patches found on enough consecutive scan lines at the same place. */
function confirmed(lines: Hit[][]): PatchCode[] {
  const needed = Math.ceil(MIN_LENGTH_IN / STEP_IN);
  const found = new Set<PatchCode>();
  // Open streaks: each patch of the previous line, with how many lines in a row have had it there.
  let open: (Hit & { count: number })[] = [];
  for (const hits of lines) {
    const next: (Hit & { count: number })[] = [];
    for (const h of hits) {
      const slack = (h.to - h.from) / 10;
      const prev = open.find((o) => o.code === h.code && Math.abs(o.from - h.from) <= slack && Math.abs(o.to - h.to) <= slack);
      const streak = { ...h, count: (prev?.count ?? 0) + 1 };
      if (streak.count >= needed) found.add(h.code);
      next.push(streak);
    }
    open = next;
  }
  return [...found];
}

/** The patch codes on a greyscale page image of `dpi` dots per inch. */
export function decodePatchCodes(image: GreyImage, dpi: number): PatchCode[] {
  const step = Math.max(1, Math.round(STEP_IN * dpi));
  const columns: Hit[][] = [];
  for (let x = 0; x < image.width; x += step) columns.push(scanLine(column(image, x), dpi));
  const rows: Hit[][] = [];
  for (let y = 0; y < image.height; y += step) rows.push(scanLine(rowRightToLeft(image, y), dpi));
  return [...new Set([...confirmed(columns), ...confirmed(rows)])];
}
