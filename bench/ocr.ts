/**
 * @module Benchmark: OCR speed and accuracy of the page engine against the native
 * `tesseract` CLI on the same pages in the same run (docs/pages.md#speed-against-the-tesseract-cli). The baseline runs one
 * single-threaded CLI process per core (`OMP_THREAD_LIMIT=1`, `tesseract file - tsv`)
 * over the files; ours runs `readPages` over the same files, one file per core.
 * Files: the corpus pages with ground truth (tiff/*.gt.txt and SROIE receipts), and
 * scans without it: G4 and modified-Huffman fax TIFFs, a multi-page G4 TIFF, a grey
 * multi-page TIFF and a PNG turned 90°, read in place from the corpus.
 *
 * The machine is shared, so the runs are interleaved: each repetition times one pass
 * of every configuration, in a rotating order, and a configuration's ratio is the
 * median over repetitions of its pass against the baseline pass of the same
 * repetition. Configurations: the CLI; docket as shipped (native engine, small text
 * cropped and enlarged, skewed pages straightened, and the line reader as a project
 * runs it by default, `uncertain`, in one reader thread: docs/pages.md); the same with
 * two reader threads sharing each page's lines (`--reader-threads`); with `line_reading: off`; without enlarging,
 * reducing or deskew either, which does the CLI's work exactly and so measures our own
 * overhead (left out with `--before`); docket with tesseract.js as shipped (`--js`);
 * the opt-in int8 line model (`--int8`, docs/pages.md "Line reader"). `--before DIR`
 * adds another checkout's engine (e.g. `git archive` of the commit before a change,
 * with node_modules linked), as shipped and off, to the same repetitions.
 * For each, pages per second, CPU use (CPU seconds of this process and its Tesseract
 * processes over wall time × cores) and the share of each step of the page engine in
 * the summed step times. The second reading and field capture are stages after the
 * page engine: a conversion-only project (no document types) runs neither.
 * Character error rate (CER) is case-insensitive, on text with white space collapsed.
 *
 * `--shipped` runs only the CLI and the configurations as shipped (a change that leaves `line_reading: off` alone);
 * `--no-warmup` takes the first repetition's texts instead of an untimed pass first (a loaded machine).
 *
 *   node bench/ocr.ts [--reps 5] [--receipts 10] [--js] [--int8] [--reader-threads] [--before DIR] [--shipped] [--no-warmup]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createPageEngine, type PageEngineOptions, type PageStep } from '../src/pipeline/pages/engine.ts';
import { nativeAvailable } from '../src/pipeline/ocr/native.ts';
import { parseTsv } from '../src/pipeline/ocr/tsv.ts';
import { mapLimit } from '../src/shared/limiter.ts';
import { sniffFile } from '../src/pipeline/sniff.ts';
import { DEFAULT_LIMITS } from '../src/pipeline/types.ts';
import { DEFAULT_OCR_SETTINGS } from '../src/core/project/model.ts';
import { cpuSeconds, median } from './lib.ts';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    receipts: { type: 'string', default: '10' },
    js: { type: 'boolean', default: false },
    int8: { type: 'boolean', default: false },
    before: { type: 'string' },
    'reader-threads': { type: 'boolean', default: false },
    shipped: { type: 'boolean', default: false },
    'no-warmup': { type: 'boolean', default: false },
  },
});
// Another checkout's page engine (`--before DIR`, e.g. `git archive` of the commit before a change, with node_modules
// linked), run as shipped and with line reading off in the same repetitions: a change measured against the code
// before it in one run.
const before: typeof createPageEngine | null = values.before ? ((await import(join(values.before, 'src/pipeline/pages/engine.ts'))) as { createPageEngine: typeof createPageEngine }).createPageEngine : null;
const REPS = Number(values.reps);
const CORPUS = process.env.DOCKET_CORPUS ?? new URL('../../shared/corpus', import.meta.url).pathname;
const CORES = availableParallelism();

if (!existsSync(CORPUS)) {
  console.log(`corpus not found at ${CORPUS}; nothing to measure`);
  process.exit(0);
}

interface Sample {
  file: string;
  /** Null for the scans without ground truth. */
  truth: string | null;
}

/** Scans without ground truth: faxes (G4 at 200 dpi, modified Huffman), a 3-page G4 TIFF at 400 dpi, a 3-page grey
 * Deflate TIFF, a page turned 90° (corpus README). */
const SCANS = ['tiff/pport_g4.tif', 'tiff/compression-2page-ccittrle-packbits.tif', 'tiff/g4-multi.tiff', 'tiff/paperless-multi-page-images.tiff', 'images/phototest-rotated-L.png'];

function samples(): Sample[] {
  const out: Sample[] = [];
  for (const name of ['unlv-8087_054.3B', 'phototest', 'eurotext']) {
    out.push({ file: join(CORPUS, 'tiff', `${name}.tif`), truth: readFileSync(join(CORPUS, 'tiff', `${name}.gt.txt`), 'utf8') });
  }
  const dir = join(CORPUS, 'labeled', 'receipts-sroie');
  const receipts = readdirSync(dir).filter((f) => f.endsWith('.jpg')).sort().slice(0, Number(values.receipts));
  for (const f of receipts) out.push({ file: join(dir, f), truth: readFileSync(join(dir, f.replace(/\.jpg$/, '.gt.txt')), 'utf8') });
  for (const f of SCANS) out.push({ file: join(CORPUS, f), truth: null });
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
    if (s.truth === null || !keep(s.file)) return;
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
  /** CPU use of each timed pass, 0..1 of all cores. */
  cpu: number[];
  texts: string[];
  /** Milliseconds per page-engine step over the timed passes. */
  steps: Map<PageStep, number>;
  timing: boolean;
}

const set = samples();
const signal = new AbortController().signal;

function ours(name: string, options: PageEngineOptions, create = createPageEngine): Config {
  const config: Config = { name, pass: async () => [], close: async () => {}, seconds: [], cpu: [], texts: [], steps: new Map(), timing: false };
  const onStage = (step: PageStep, ms: number) => {
    if (config.timing) config.steps.set(step, (config.steps.get(step) ?? 0) + ms);
  };
  const engine = create({ threads: CORES, ...options, onStage });
  // One file per core at a time: single-page files give no parallelism inside a task.
  config.pass = () =>
    mapLimit(set, CORES, async (s) => {
      const pages = await engine.readPages({ filePath: s.file, fileType: (await sniffFile(s.file))!, limits: DEFAULT_LIMITS, signal, lineReading: options.lineReading });
      pageCounts.set(s.file, pages.length);
      return pages.map((p) => p.lines.map((l) => l.text).join('\n')).join('\n');
    });
  config.close = () => engine.close();
  return config;
}

const pageCounts = new Map<string, number>();
const configs: Config[] = [];
const hasNative = nativeAvailable();
const shipped = DEFAULT_OCR_SETTINGS.line_reading;
if (hasNative) {
  const cliPass = () => mapLimit(set, CORES, async (s) => tsvText(await cli(s.file)));
  configs.push({ name: 'tesseract CLI (baseline)', pass: cliPass, close: async () => {}, seconds: [], cpu: [], texts: [], steps: new Map(), timing: false });
  if (before) configs.push(ours(`before: as shipped (${shipped})`, { ocr: 'native', lineReading: shipped }, before));
  configs.push(ours(`docket as shipped (${shipped})`, { ocr: 'native', lineReading: shipped }));
  if (values['reader-threads']) configs.push(ours(`docket ${shipped}, 2 reader threads`, { ocr: 'native', lineReading: shipped, readerThreads: 2 }));
  if (values.int8) configs.push(ours(`docket ${shipped}, int8, 2 reader threads`, { ocr: 'native', lineReading: shipped, readerThreads: 2, lineReader: { precision: 'int8' } }));
  if (before && !values.shipped) configs.push(ours('before: line reading off', { ocr: 'native', lineReading: 'off' }, before));
  if (!values.shipped) configs.push(ours('docket, line reading off', { ocr: 'native', lineReading: 'off' }));
  if (!values.before && !values.shipped) configs.push(ours('docket, same work', { ocr: 'native', enlargeSmallText: false, reduceLargeText: false, deskew: false, lineReading: 'off' }));
} else {
  console.log('native tesseract not on PATH: no CLI baseline (apt-get install tesseract-ocr)');
}
if (values.js) configs.push(ours('docket tesseract.js', { ocr: 'tesseract.js', lineReading: shipped }));

console.log(`${set.length} files, ${CORES} cores, ${REPS} interleaved repetitions (medians); load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
try {
  // Warm-up: worker threads started, models loaded, files in the page cache.
  for (const c of values['no-warmup'] ? [] : configs) {
    const t0 = performance.now();
    c.texts = await c.pass();
    console.log(`  warm-up ${c.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`);
  }
  for (let r = 0; r < REPS; r++) {
    for (let k = 0; k < configs.length; k++) {
      const c = configs[(k + r) % configs.length]!;
      c.timing = true;
      const cpu0 = cpuSeconds();
      const t0 = performance.now();
      const texts = await c.pass();
      if (c.texts.length === 0) c.texts = texts;
      console.log(`  rep ${r + 1} ${c.name}: ${((performance.now() - t0) / 1000).toFixed(1)} s, load ${loadavg()[0]!.toFixed(1)}`);
      const wall = (performance.now() - t0) / 1000;
      const cpu1 = cpuSeconds();
      c.timing = false;
      c.seconds.push(wall);
      if (cpu0 !== null && cpu1 !== null) c.cpu.push((cpu1 - cpu0) / (wall * CORES));
    }
  }
} finally {
  await Promise.all(configs.map((c) => c.close()));
}

const pages = [...pageCounts.values()].reduce((a, b) => a + b, 0);
console.log(`${pages} pages in all`);
const base = hasNative ? configs[0]! : null;
const receipt = (f: string): boolean => f.includes('receipts-sroie');
for (const c of configs) {
  const pps = pages / median(c.seconds);
  const ratio = base ? ` ratio ${median(c.seconds.map((s, r) => base.seconds[r]! / s)).toFixed(2)}` : '';
  const cpu = c.cpu.length ? `  CPU ${(100 * median(c.cpu)).toFixed(0)} %` : '';
  const accuracy = `CER ${cer(c.texts, set, () => true).toFixed(2)} % (tiff ${cer(c.texts, set, (f) => !receipt(f)).toFixed(2)}, receipts ${cer(c.texts, set, receipt).toFixed(2)})`;
  console.log(`${c.name.padEnd(34)} ${pps.toFixed(2)} pages/s${ratio}${cpu}  ${accuracy}`);
  const total = [...c.steps.values()].reduce((a, b) => a + b, 0);
  if (total > 0) console.log(`    steps: ${[...c.steps].map(([k, ms]) => `${k} ${((100 * ms) / total).toFixed(1)} %`).join(', ')}; second reading, capture: not run (no document types)`);
}
console.log(`load average at end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
