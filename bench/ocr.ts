/**
 * @module Benchmark: OCR speed and accuracy of the page engine against the native
 * `tesseract` CLI on the same pages in the same run (docs/pages.md#speed-against-the-tesseract-cli). The baseline runs one
 * single-threaded CLI process per core (`OMP_THREAD_LIMIT=1`, `tesseract file - tsv`)
 * over the files; ours runs `readPages` over the same files, one file per core.
 * Pages are the corpus pages with ground truth (tiff/*.gt.txt and SROIE receipts).
 *
 * The machine is shared, so the runs are interleaved: each repetition times one pass
 * of every configuration, in a rotating order, and a configuration's ratio is the
 * median over repetitions of its pass against the baseline pass of the same
 * repetition. Configurations: the CLI; docket with the native engine as deployed
 * (small text cropped to its content and enlarged, skewed pages straightened:
 * docs/pages.md); the same without either, which does the CLI's work exactly and
 * so measures our own overhead; docket
 * with tesseract.js as deployed.
 * Character error rate (CER) is case-insensitive, on text with white space collapsed.
 *
 *   node bench/ocr.ts [--reps 5] [--receipts 10] [--no-js]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPageEngine, type PageEngineOptions } from '../src/pipeline/pages/engine.ts';
import { nativeAvailable } from '../src/pipeline/ocr/native.ts';
import { parseTsv } from '../src/pipeline/ocr/tsv.ts';
import { mapLimit } from '../src/shared/limiter.ts';
import { sniffFile } from '../src/pipeline/sniff.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';
import { median } from './lib.ts';

const { values } = parseArgs({
  options: { reps: { type: 'string', default: '5' }, receipts: { type: 'string', default: '10' }, 'no-js': { type: 'boolean', default: false } },
});
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

/** CER in % over the samples whose file name passes `keep`. */
function cer(texts: string[], set: Sample[], keep: (file: string) => boolean): number {
  let errors = 0;
  let total = 0;
  set.forEach((s, i) => {
    if (!keep(s.file)) return;
    const ref = norm(s.truth);
    errors += levenshtein(ref, norm(texts[i] ?? ''));
    total += ref.length;
  });
  return total > 0 ? (100 * errors) / total : 0;
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

interface Config {
  name: string;
  pass: () => Promise<string[]>;
  close: () => Promise<void>;
  seconds: number[];
  texts: string[];
}

const set = samples();
const signal = new AbortController().signal;

function ours(name: string, options: PageEngineOptions): Config {
  const engine = createPageEngine({ threads: CORES, ...options });
  // One file per core at a time: single-page files give no parallelism inside a task.
  const pass = () =>
    mapLimit(set, CORES, async (s) => {
      const pages = await engine.readPages({ filePath: s.file, fileType: (await sniffFile(s.file))!, limits: DEFAULT_LIMITS, signal });
      return pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
    });
  return { name, pass, close: () => engine.close(), seconds: [], texts: [] };
}

const configs: Config[] = [];
const hasNative = nativeAvailable();
if (hasNative) {
  configs.push({ name: 'tesseract CLI (baseline)', pass: () => mapLimit(set, CORES, async (s) => tsvText(await cli(s.file))), close: async () => {}, seconds: [], texts: [] });
  configs.push(ours('docket native', { ocr: 'native' }));
  configs.push(ours('docket native, no line reader', { ocr: 'native', lineReading: 'off' }));
  configs.push(ours('docket native, same work', { ocr: 'native', enlargeSmallText: false, deskew: false, lineReading: 'off' }));
} else {
  console.log('native tesseract not on PATH: no CLI baseline (apt-get install tesseract-ocr)');
}
if (!values['no-js']) configs.push(ours('docket tesseract.js', { ocr: 'tesseract.js' }));

console.log(`${set.length} pages, ${CORES} cores, ${REPS} interleaved repetitions (medians); load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
try {
  // Warm-up: worker threads started, tesseract.js models loaded, files in the page cache.
  for (const c of configs) c.texts = await c.pass();
  for (let r = 0; r < REPS; r++) {
    for (let k = 0; k < configs.length; k++) {
      const c = configs[(k + r) % configs.length]!;
      const t0 = performance.now();
      await c.pass();
      c.seconds.push((performance.now() - t0) / 1000);
    }
  }
} finally {
  await Promise.all(configs.map((c) => c.close()));
}

const base = hasNative ? configs[0]! : null;
const receipt = (f: string): boolean => f.includes('receipts-sroie');
for (const c of configs) {
  const pps = set.length / median(c.seconds);
  const ratio = base ? ` ratio ${median(c.seconds.map((s, r) => base.seconds[r]! / s)).toFixed(2)}` : '';
  const accuracy = `CER ${cer(c.texts, set, () => true).toFixed(2)} % (tiff ${cer(c.texts, set, (f) => !receipt(f)).toFixed(2)}, receipts ${cer(c.texts, set, receipt).toFixed(2)})`;
  console.log(`${c.name.padEnd(31)} ${pps.toFixed(2)} pages/s${ratio}  ${accuracy}`);
}
console.log(`load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
