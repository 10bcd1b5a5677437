/**
 * @module The labelled set of the accuracy harness and of the scorer's training
 * (scripts/train-scorer.ts): which documents of a folder are in the `dev` or the
 * `test` half, and a cache of their pages so that a run that changes only
 * classification, extraction or confidence reads no page again.
 *
 * The split is fixed by the file's base name alone: the first byte of its SHA-256
 * is even → `dev`, odd → `test` (docs/eval.md). It does not move when files are
 * added to or removed from a folder (a split by position in the sorted list did),
 * and it is the same for every tool and every run. On the corpus it gives
 * receipts-sroie 69 dev / 81 test, einvoices 36 / 25, invoices 5 / 1, FUNSD 4 / 8.
 *
 * The page cache (`--cache <dir>`) keeps each document's pages as the page stage
 * read them (OCR words, lines and confidences), one JSON file per document, keyed
 * by the SHA-256 of the file's bytes and of the project's `ocr` settings: a change
 * of OCR settings or of the file reads it again; a change of OCR engine does not,
 * so clear the folder after one.
 *
 * The calibration report (`calibrationReport`, docs/eval.md "Calibration"): every
 * labelled value's confidence against whether it was right, binned in tenths (in a
 * calibrated set each bin's right rate equals its mean confidence), and the expected
 * calibration error over all values and per field.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Page } from '../src/core/page.ts';
import { expectedCalibrationError, reliability, type Outcome } from '../src/core/scorer/calibration.ts';
import { fieldCalibration, learnedThreshold, MIN_OUTCOMES } from '../src/core/calibration-outcomes.ts';
import type { VendorMemory } from '../src/core/memory/model.ts';

export type Split = 'dev' | 'test' | 'all';

export const DOCUMENT = /\.(pdf|png|jpe?g|tiff?)$/i;

/** The half a document belongs to, by the first byte of the SHA-256 of its base name. */
export function halfOf(file: string): 'dev' | 'test' {
  const first = createHash('sha256').update(basename(file)).digest()[0] as number;
  return first % 2 === 0 ? 'dev' : 'test';
}

export function parseSplit(value: string | undefined): Split | null {
  return value === undefined ? 'all' : value === 'dev' || value === 'test' || value === 'all' ? value : null;
}

export interface Labelled {
  file: string;
  truth: unknown;
}

/** The documents of `folder` with a readable `NAME.gt.json` beside them, in the chosen half, sorted by name. */
export async function labelledSet(folder: string, split: Split): Promise<Labelled[]> {
  const names = (await readdir(folder)).filter((n) => DOCUMENT.test(n) && (split === 'all' || halfOf(n) === split)).sort();
  const out: Labelled[] = [];
  for (const n of names) {
    try {
      out.push({ file: join(folder, n), truth: JSON.parse(await readFile(join(folder, n.replace(DOCUMENT, '.gt.json')), 'utf8')) as unknown });
    } catch {
      // A document without a readable label is not part of the labelled set.
    }
  }
  return out;
}

/** The cache key of a document's pages: its bytes and the OCR settings that read them. */
export async function pagesKey(file: string, ocrSettings: unknown): Promise<string> {
  return createHash('sha256').update(await readFile(file)).update(JSON.stringify(ocrSettings)).digest('hex');
}

export async function cachedPages(dir: string, key: string): Promise<Page[] | null> {
  try {
    return JSON.parse(await readFile(join(dir, `${key}.json`), 'utf8')) as Page[];
  } catch {
    return null;
  }
}

export async function cachePages(dir: string, key: string, pages: readonly Page[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${key}.json`), JSON.stringify(pages));
}

export function calibrationReport(outcomes: ReadonlyMap<string, readonly Outcome[]>): string {
  const all = [...outcomes.values()].flat();
  const rows = ['reliability of field confidence (all labelled values found):', 'confidence   values  mean conf.  right rate'];
  for (const b of reliability(all)) {
    if (b.values === 0) continue;
    rows.push(`${b.from.toFixed(1)}–${b.to.toFixed(1)}  ${String(b.values).padStart(8)}  ${b.meanConfidence.toFixed(3).padStart(10)}  ${b.rightRate.toFixed(3).padStart(10)}`);
  }
  rows.push(`expected calibration error (ECE, 10 bins): ${expectedCalibrationError(all).toFixed(3)} over ${all.length} values`);
  const per = [...outcomes.entries()].sort().map(([k, o]) => `${k} ${expectedCalibrationError(o).toFixed(3)} (${o.length})`);
  rows.push(`ECE per field: ${per.join(', ')}`);
  return rows.join('\n');
}

/** What the memory's calibration learned (core/calibration-outcomes.ts): per field and vendor kind, its outcomes, right rate and the threshold `max_field_error` gives. */
export function learnedCalibration(stored: string | undefined, maxError: number | undefined): string {
  const counts = stored === undefined ? undefined : (JSON.parse(stored) as VendorMemory).calibration;
  const target = maxError ?? 0.01;
  const rows = [`calibration learned (outcomes of validated documents; threshold for max_field_error ${target}${maxError === undefined ? ', not set in the project' : ''}):`, 'field                      vendor  values  right  map (raw from → rate)                        threshold'];
  for (const [key, cell] of Object.entries(counts ?? {}).sort()) {
    for (const known of [true, false]) {
      const bins = known ? cell.known : cell.new;
      const n = bins.reduce((s, b) => s + b[0], 0);
      if (n === 0) continue;
      const right = bins.reduce((s, b) => s + b[1], 0);
      const dot = key.indexOf('.');
      const c = fieldCalibration(counts, key.slice(0, dot), key.slice(dot + 1), known);
      const steps = c ? `${c.own ? '' : 'smoothed '}${c.map.x.map((x, i) => `${x.toFixed(2)}→${(c.map.y[i] as number).toFixed(2)}`).join(' ')}` : `fewer than ${MIN_OUTCOMES}: raw`;
      const t = learnedThreshold(c, target);
      rows.push(`${key.padEnd(26)} ${(known ? 'known' : 'new').padStart(6)}  ${String(n).padStart(6)}  ${(right / n).toFixed(2).padStart(5)}  ${steps.padEnd(44)} ${t === null ? 'hand' : t > 1 ? 'always review' : t.toFixed(2)}`);
    }
  }
  return rows.join('\n');
}
