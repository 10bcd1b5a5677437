/**
 * @module Benchmark of classification and extraction (docs/eval.md targets ≤ 5 ms per
 * page on average). Pages are read once by the real page engine from the labelled
 * corpus (receipts and invoices) when it is present, else generated in code; then
 * classify + extract + validate with the demo project run over all pages, several
 * times. The baseline, measured in the same run on the same pages, is one pass of
 * the date and amount finders over every line: the cost of merely reading the text.
 * `--cache <dir>` takes the pages from the accuracy harness's page cache where it
 * has them (scripts/eval-set.ts), instead of reading 150 receipts again. The demo runs
 * as shipped (the hand scores); the same pass with `scorer: builtin` shows what the
 * learned scorer costs.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { demoProject } from '../src/core/demo-project.ts';
import { captureSettings, parseProject, type Project } from '../src/core/project.ts';
import type { Page } from '../src/core/page.ts';
import { createEngines } from '../src/pipeline/engines.ts';
import { findAmounts, findDates } from '../src/pipeline/capture/normalize.ts';
import { classifyDocument, emptyDocument, extractInto, validateDocument } from '../src/pipeline/capture/stages.ts';
import { documentLines } from '../src/pipeline/capture/text.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';
import { cachedPages, pagesKey } from '../scripts/eval-set.ts';

const CORPUS = process.env.DOCKET_CORPUS ? `${process.env.DOCKET_CORPUS}/labeled` : new URL('../../shared/corpus/labeled', import.meta.url).pathname;
const REPS = 7;

/** The demo project's OCR settings, the key of the harness's page cache. */
function demoOcr(): unknown {
  const p = parseProject(demoProject());
  return p.ok ? captureSettings(p.project).ocr : null;
}

async function corpusPages(): Promise<Page[]> {
  const files = ['receipts-sroie', 'invoices']
    .map((d) => join(CORPUS, d))
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).filter((n) => /\.(jpg|pdf)$/.test(n)).map((n) => join(d, n)));
  if (files.length === 0) return [];
  const engines = await createEngines();
  const pages: Page[] = [];
  try {
    for (const f of files) {
      const cache = process.argv.includes('--cache') ? process.argv[process.argv.indexOf('--cache') + 1] : undefined;
      const hit = cache ? await cachedPages(cache, await pagesKey(f, demoOcr())) : null;
      if (hit) {
        pages.push(...hit.map((p, i) => ({ ...p, index: i })));
        continue;
      }
      const got = await engines.pages.readPages({ filePath: f, fileType: f.endsWith('.pdf') ? 'pdf' : 'jpeg', limits: DEFAULT_LIMITS, signal: new AbortController().signal });
      pages.push(...got.map((p, i) => ({ ...p, index: i })));
    }
  } finally {
    await engines.close();
  }
  return pages;
}

function syntheticPages(): Page[] {
  return Array.from({ length: 40 }, (_, k) => {
    const lines = ['ACME TRADING SDN BHD', 'No 5, Jalan Bunga 3, 43000 Kajang', `Invoice No: INV-${k}`, 'Date: 25/03/2024', ...Array.from({ length: 25 }, (_, i) => `Item ${i} 1 ${(i * 1.5).toFixed(2)}`), 'Subtotal 100.00', 'Total 106.00'];
    const words = lines.flatMap((t, row) => t.split(' ').map((w, i) => ({ text: w, box: { x: 40 + i * 60, y: 40 + row * 20, w: 50, h: 12 }, confidence: 0.95 })));
    return { index: 0, width: 612, height: 792, dpi: 72, rotation: 0 as const, source: 'ocr' as const, words, lines: [] };
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

const parsed = parseProject(demoProject());
if (!parsed.ok) throw new Error('demo project invalid');
const project: Project = parsed.project;
const settings = captureSettings(project);
let pages = await corpusPages();
const source = pages.length > 0 ? 'corpus receipts + invoices' : 'generated';
if (pages.length === 0) pages = syntheticPages();

const capture: number[] = [];
const learned: number[] = [];
const baseline: number[] = [];
const learnedSettings = { ...settings, scorer: 'builtin' as const };
for (let r = 0; r < REPS; r++) {
  for (const [s, out] of [[settings, capture], [learnedSettings, learned]] as const) {
    const t0 = performance.now();
    for (const page of pages) {
      const doc = emptyDocument(0, { first: 0, last: 0, confidence: 1 }, 0.8);
      classifyDocument(s, doc, [page]);
      extractInto(s, doc, [page]);
      validateDocument(project, s, doc, '2024-04-01');
    }
    out.push((performance.now() - t0) / pages.length);
  }
  const t = performance.now();
  let n = 0;
  for (const page of pages) for (const line of documentLines([page])) n += findDates(line.text).length + findAmounts(line.text).length;
  baseline.push((performance.now() - t) / pages.length);
  if (n < 0) console.log(n);
}
const c = median(capture);
const b = median(baseline);
console.log(`capture (classify + extract + validate), ${pages.length} pages (${source}), median of ${REPS}: ${c.toFixed(3)} ms/page`);
console.log(`baseline (one date + amount scan of the text): ${b.toFixed(3)} ms/page`);
console.log(`the same with scorer: builtin (the learned scorer): ${median(learned).toFixed(3)} ms/page (×${(median(learned) / c).toFixed(2)} the default's)`);
console.log(`ratio capture/baseline: ${(c / b).toFixed(1)}x; target ≤ 5 ms/page: ${c <= 5 ? 'met' : 'NOT met'}`);
