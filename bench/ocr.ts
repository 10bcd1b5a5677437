/**
 * @module Benchmark: OCR speed and accuracy of the page engine against the native
 * `tesseract` CLI on the same pages in the same run (issue 3). The baseline runs one
 * single-threaded CLI process per core (`OMP_THREAD_LIMIT=1`, `tesseract file - tsv`)
 * over the files; ours runs `readPages` over the same files, one file per core, with
 * each OCR engine. Pages are the corpus pages with ground truth (tiff/*.gt.txt and
 * the SROIE receipts). Character error rate is case-insensitive, on text with white
 * space collapsed. Prints medians over repetitions and the ratios.
 *
 *   node bench/ocr.ts [--reps 3] [--receipts 10]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPageEngine } from '../src/pipeline/pages/engine.ts';
import { nativeAvailable } from '../src/pipeline/ocr/native.ts';
import { parseTsv } from '../src/pipeline/ocr/tsv.ts';
import { mapLimit } from '../src/pipeline/ocr/limiter.ts';
import { sniffFile } from '../src/pipeline/sniff.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';
import type { OcrChoice } from '../src/pipeline/pages/types.ts';

const { values } = parseArgs({ options: { reps: { type: 'string', default: '3' }, receipts: { type: 'string', default: '10' } } });
const REPS = Number(values.reps);
const CORPUS = process.env.DOCKET_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname;
const CORES = availableParallelism();

if (!existsSync(CORPUS)) {
  console.log(`corpus not found at ${CORPUS}; nothing to measure`);
  process.exit(0);
}

interface Sample {
  file: string;
  truth: string;
}

function samples(): Sample[] {
  const out: Sample[] = [];
  for (const name of ['unlv-8087_054.3B', 'phototest', 'eurotext']) {
    out.push({ file: join(CORPUS, 'tiff', `${name}.tif`), truth: readFileSync(join(CORPUS, 'tiff', `${name}.gt.txt`), 'utf8') });
  }
  const dir = join(CORPUS, 'labeled', 'receipts-sroie');
  const receipts = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort().slice(0, Number(values.receipts));
  for (const f of receipts) out.push({ file: join(dir, f), truth: readFileSync(join(dir, f.replace(/\.jpg$/, '.gt.txt')), 'utf8') });
  return out;
}

function norm(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

function cer(results: string[], set: Sample[]): number {
  let errors = 0;
  let total = 0;
  set.forEach((s, i) => {
    const ref = norm(s.truth);
    errors += levenshtein(ref, norm(results[i] ?? ''));
    total += ref.length;
  });
  return (100 * errors) / total;
}

function cli(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('tesseract', [file, '-', 'tsv'], { env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tesseract exited ${code} on ${file}`))));
  });
}

function tsvText(tsv: string): string {
  const lines = new Map<string, string[]>();
  for (const w of parseTsv(tsv)) lines.set(w.line, [...(lines.get(w.line) ?? []), w.text]);
  return [...lines.values()].map((l) => l.join(' ')).join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timed(run: () => Promise<string[]>): Promise<{ seconds: number; texts: string[] }> {
  const times: number[] = [];
  let texts: string[] = [];
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    texts = await run();
    times.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(times), texts };
}

const set = samples();
console.log(`${set.length} pages, ${CORES} cores, ${REPS} repetitions (medians)`);
const signal = new AbortController().signal;

async function ours(choice: OcrChoice): Promise<{ seconds: number; texts: string[] }> {
  const engine = createPageEngine({ ocr: choice, threads: CORES });
  try {
    // One file per core at a time: single-page files give no parallelism inside a task.
    const run = () =>
      mapLimit(set, CORES, async (s) => {
        const pages = await engine.readPages({ filePath: s.file, fileType: (await sniffFile(s.file))!, limits: DEFAULT_LIMITS, signal });
        return pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
      });
    await run(); // warm-up: worker threads, tesseract.js model load
    return await timed(run);
  } finally {
    await engine.close();
  }
}

const rows: [string, number, number][] = [];
const rowsTexts: string[][] = [];
let baseline: number | null = null;
if (nativeAvailable()) {
  const base = await timed(() => mapLimit(set, CORES, async (s) => tsvText(await cli(s.file))));
  baseline = set.length / base.seconds;
  rows.push(['tesseract CLI (baseline)', baseline, cer(base.texts, set)]);
  rowsTexts.push(base.texts);
  const n = await ours('native');
  rows.push(['docket, native engine', set.length / n.seconds, cer(n.texts, set)]);
  rowsTexts.push(n.texts);
} else {
  console.log('native tesseract not on PATH: no CLI baseline (apt-get install tesseract-ocr)');
}
const js = await ours('tesseract.js');
rows.push(['docket, tesseract.js engine', set.length / js.seconds, cer(js.texts, set)]);
rowsTexts.push(js.texts);

if (process.env.BENCH_VERBOSE) {
  set.forEach((s, i) => {
    const ref = norm(s.truth);
    const per = rowsTexts.map((t) => ((100 * levenshtein(ref, norm(t[i] ?? ''))) / ref.length).toFixed(2));
    console.log(s.file.replace(CORPUS, ''), per.join(' '));
  });
}
for (const [name, pps, e] of rows) {
  const ratio = baseline ? ` ratio ${(pps / baseline).toFixed(2)}` : '';
  console.log(`${name.padEnd(30)} ${pps.toFixed(2)} pages/s${ratio}  CER ${e.toFixed(2)} %`);
}
