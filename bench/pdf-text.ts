/**
 * @module Benchmark: born-digital pages per second through the page engine (pages,
 * words, lines, text-layer verdicts), against pdf.js `getTextContent` alone on the
 * same pages in the same run (one thread, no word boxes: the floor any pdf.js-based
 * reader pays). Input: a generated 300-page text PDF, plus the corpus's born-digital
 * PDFs when present. Target ≥ 200 pages/s on 2 cores. Prints medians.
 *
 *   node bench/pdf-text.ts [--reps 5] [--pages 300]
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createPageEngine } from '../src/pipeline/pages/engine.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '5' }, pages: { type: 'string', default: '300' } } });
const REPS = Number(values.reps);
const CORPUS = process.env.DOCKET_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname;
const require = createRequire(import.meta.url);
const pdfjsRoot = require.resolve('pdfjs-dist/package.json').replace(/package\.json$/, '');

async function generated(path: string, pages: number): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([612, 792]);
    for (let l = 0; l < 45; l++) {
      page.drawText(`Line ${l + 1} of page ${p + 1}: invoice 4711 total 1,234.56 due on 2024-03-25 to ACME Ltd`, { x: 50, y: 740 - l * 15, size: 10, font });
    }
  }
  await writeFile(path, await doc.save());
}

async function pdfjsOnly(path: string): Promise<number> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(await readFile(path)), standardFontDataUrl: `${pdfjsRoot}standard_fonts/`, cMapUrl: `${pdfjsRoot}cmaps/`, verbosity: 0 });
  const doc = await task.promise;
  for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    await page.getTextContent();
    page.cleanup();
  }
  const n = doc.numPages;
  await task.destroy();
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const dir = await mkdtemp(join(tmpdir(), 'docket-bench-'));
const engine = createPageEngine({});
try {
  const files = [join(dir, 'generated.pdf')];
  await generated(files[0]!, Number(values.pages));
  for (const rel of ['pdf-text/us_constitution.pdf', 'pdf-text/irs-fw9-2018.pdf', 'pdf-text/irs-f1040-prefilled.pdf', 'pdf-text/lux-160F-2019-salary-certificate.pdf']) {
    if (existsSync(join(CORPUS, rel))) files.push(join(CORPUS, rel));
  }
  const signal = new AbortController().signal;
  const ours = async (): Promise<number> => {
    let n = 0;
    for (const f of files) n += (await engine.readPages({ filePath: f, fileType: 'pdf', limits: DEFAULT_LIMITS, signal })).length;
    return n;
  };
  const base = async (): Promise<number> => {
    let n = 0;
    for (const f of files) n += await pdfjsOnly(f);
    return n;
  };
  await ours();
  await base();
  const oursRates: number[] = [];
  const baseRates: number[] = [];
  for (let r = 0; r < REPS; r++) {
    let t0 = performance.now();
    const n = await ours();
    oursRates.push(n / ((performance.now() - t0) / 1000));
    t0 = performance.now();
    const m = await base();
    baseRates.push(m / ((performance.now() - t0) / 1000));
  }
  const o = median(oursRates);
  const b = median(baseRates);
  console.log(`${files.length} files, ${REPS} repetitions (medians)`);
  console.log(`docket pages (words, lines, verdicts)  ${o.toFixed(0)} pages/s`);
  console.log(`pdf.js getTextContent only (baseline)  ${b.toFixed(0)} pages/s`);
  console.log(`ratio ${(o / b).toFixed(2)}   target >= 200 pages/s: ${o >= 200 ? 'met' : 'NOT met'}`);
} finally {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
}
