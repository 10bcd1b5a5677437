/**
 * @module Benchmark: peak RSS of the process (worker threads included; native
 * `tesseract` processes are separate) while the pages stage reads a generated G4
 * TIFF and a generated text PDF as a worker does (each page streamed to the task's
 * folder as it is read), at three page counts (a fifth, three fifths and all
 * of the given count) to show memory is flat in the page count: the growth from the
 * smallest to the largest file is printed per 100 pages. Each case runs in a fresh
 * child process so its peak is its own (Linux VmHWM), with the line reader opened at
 * start as the service opens it. Target ≤ 500 MB (≤ 400 MB for the G4 TIFF). The
 * same-run baseline is the RSS of the idle engine, reader loaded. `--largest` measures
 * only the largest count. `--arena` repeats each case with
 * `MALLOC_ARENA_MAX=2` (docs/pages.md "Memory"). A child with `MALLOC_ARENA_MAX` set
 * runs with the malloc settings `docket serve` starts with (src/cli/arena.ts: also the
 * 1 MB mmap threshold, for the child alone, not its Tesseract processes);
 * `--no-mmap-threshold` leaves the threshold out, to compare. `--stage capture` runs the whole
 * capture phase instead (the demo project; `--separation per_page` to split the
 * file into one document per page, else it is one document). `--store s3` keeps the
 * blobs in a bucket of the throwaway Ceph store (test/helpers/s3.ts) instead of a
 * folder, as a worker node does: the upload copied to scratch, the spool streamed to S3.
 *
 *   node bench/memory.ts [--tiff-pages 500] [--pdf-pages 300] [--arena] [--no-mmap-threshold] [--largest] [--only tiff|pdf] [--stage pages|capture] [--separation none|per_page] [--store fs|s3]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { createEngines } from '../src/pipeline/engines.ts';
import { forgetOwnMalloc, mallocEnv } from '../src/cli/arena.ts';
import { pagesStage } from '../src/pipeline/pages/stage.ts';
import { createProcessor } from '../src/pipeline/processor.ts';
import { DEFAULT_LIMITS, type FileType, type PipelineContext } from '../src/pipeline/types.ts';
import { createFsBlobStore } from '../src/store/blob-fs.ts';
import { openS3BlobStore } from '../src/store/blob-s3.ts';
import { createScratch } from '../src/store/scratch.ts';
import { createTestBucket, skipS3, type TestBucket } from '../test/helpers/s3.ts';
import { pagesInMemory } from '../src/core/page-set.ts';
import { demoProject } from '../src/core/demo-project.ts';
import { parseProject } from '../src/core/project.ts';
import type { CaptureResult } from '../src/core/capture.ts';

const { values } = parseArgs({
  allowNegative: true,
  options: {
    'tiff-pages': { type: 'string', default: '500' },
    'pdf-pages': { type: 'string', default: '300' },
    arena: { type: 'boolean', default: false },
    'mmap-threshold': { type: 'boolean', default: true },
    largest: { type: 'boolean', default: false },
    only: { type: 'string' },
    run: { type: 'string' },
    type: { type: 'string' },
    stage: { type: 'string', default: 'pages' },
    separation: { type: 'string' },
    store: { type: 'string', default: 'fs' },
    bucket: { type: 'string' },
  },
});

if (values.run) {
  // As `docket serve`: the settings glibc read for this process are not handed on to the Tesseract processes.
  forgetOwnMalloc();
  // Child: process one file as a worker does and report the peak RSS in MB.
  // VmHWM is this process's own peak; getrusage's maxRSS survives exec and would report the parent's.
  const hwm = (): number => Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024;
  // As `docket serve` starts: the line reader opened at once (the log says on what it runs), so the peak includes it.
  let reader = '';
  const engines = await createEngines({ log: (_level, message) => (reader = message) });
  await engines.pages.lineReader();
  const blobDir = await mkdtemp(join(tmpdir(), 'docket-bench-blobs-'));
  const e = process.env;
  const blobs = values.bucket
    ? await openS3BlobStore({ bucket: values.bucket, prefix: 'memory', endpoint: e.DOCKET_S3_ENDPOINT, region: e.AWS_REGION ?? 'us-east-1', forcePathStyle: true, createBucket: false, scratch: createScratch(blobDir) })
    : createFsBlobStore(blobDir);
  const idle = hwm();
  const signal = new AbortController().signal;
  let words = 0;
  let pages = 0;
  let documents = 0;
  // The demo project: its settings decide the OCR line reading in both stages measured.
  const parsed = parseProject({ ...demoProject(), separation: { mode: values.separation ?? 'none' } });
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('; '));
  if (values.stage === 'capture') {
    // The whole capture phase: pages, separation, classification, extraction, rules, decision.
    await blobs.put('uploads/bench', createReadStream(values.run));
    const outcome = await createProcessor({ blobs, engines })({ taskId: 'bench', accountId: 'bench', project: parsed.project, tags: {}, fileKey: 'uploads/bench', phase: 'capture', signal });
    documents = outcome.documents_count;
    const result = JSON.parse((await blobs.read('tasks/bench/result.json')).toString('utf8')) as CaptureResult;
    pages = result.pages.length;
  } else {
    // The pages stage alone, as the worker runs it: each page streamed to the task's folder as it is read.
    const ctx = { taskId: 'bench', blobs, filePath: values.run, fileType: values.type as FileType, pageCount: 0, pages: pagesInMemory([]), result: { pages: [], documents: [], actions: [], needs_validation: false }, limits: DEFAULT_LIMITS, engines, project: parsed.project, signal } as unknown as PipelineContext;
    await pagesStage.run(ctx);
    pages = ctx.pageCount;
    for await (const p of ctx.pages.each()) words += p.words.length;
  }
  const peak = hwm();
  await engines.close();
  if (values.bucket) {
    await blobs.deletePrefix('tasks/bench');
    await blobs.delete('uploads/bench');
    await blobs.close();
  }
  await rm(blobDir, { recursive: true, force: true });
  console.log(JSON.stringify({ pages, words, documents, peakMb: peak, idleMb: idle, reader }));
  process.exit(0);
}

async function g4(path: string, pages: number): Promise<void> {
  const svg = (i: number) =>
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="2480" height="3508"><rect width="100%" height="100%" fill="white"/>` +
        `<text x="200" y="300" font-family="DejaVu Sans" font-size="60">Page ${i + 1} of the batch</text>` +
        `<text x="200" y="420" font-family="DejaVu Sans" font-size="40">Invoice 4711 total 1,234.56</text></svg>`,
    );
  const images = await Promise.all(Array.from({ length: pages }, (_, i) => sharp(svg(i)).flatten({ background: '#fff' }).toColourspace('b-w').png().toBuffer()));
  await sharp(images, { join: { animated: true } }).extractChannel(0).toColourspace('b-w').tiff({ compression: 'ccittfax4', bitdepth: 1 }).toFile(path);
}

async function textPdf(path: string, pages: number): Promise<void> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < pages; p++) {
    const page = doc.addPage([612, 792]);
    for (let l = 0; l < 45; l++) page.drawText(`Line ${l + 1} of page ${p + 1}: invoice 4711 total 1,234.56`, { x: 50, y: 740 - l * 15, size: 10, font });
  }
  await writeFile(path, await doc.save());
}

interface Peak {
  pages: number;
  words: number;
  documents: number;
  peakMb: number;
  idleMb: number;
  reader: string;
}

const bucket = values.store === 's3' ? await s3Bucket() : null;

/** A bucket of the test store for the children, or an exit with the reason there is none. */
async function s3Bucket(): Promise<TestBucket> {
  const reason = await skipS3();
  if (reason) {
    console.log(`bench/memory --store s3: skipped: ${reason}`);
    process.exit(0);
  }
  return createTestBucket();
}

function measure(file: string, type: FileType, env: NodeJS.ProcessEnv): Peak {
  const args = [new URL(import.meta.url).pathname, '--run', file, '--type', type, '--stage', values.stage ?? 'pages', ...(values.separation ? ['--separation', values.separation] : []), ...(bucket ? ['--bucket', bucket.bucket] : [])];
  const malloc = env.MALLOC_ARENA_MAX === undefined ? env : values['mmap-threshold'] ? mallocEnv(env) : { ...env, MALLOC_ARENA_MAX: '2' };
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 24, env: bucket ? { ...malloc, ...bucket.env } : malloc });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

const dir = await mkdtemp(join(tmpdir(), 'docket-bench-'));
try {
  const counts = (n: number): number[] => values.largest ? [n] : [...new Set([Math.max(1, Math.round(n / 5)), Math.max(1, Math.round((3 * n) / 5)), n])];
  const cases: [string, FileType, number][] = [];
  for (const n of values.only === 'pdf' ? [] : counts(Number(values['tiff-pages']))) {
    const f = join(dir, `g4-${n}.tif`);
    await g4(f, n);
    cases.push([f, 'tiff', n]);
  }
  for (const n of values.only === 'tiff' ? [] : counts(Number(values['pdf-pages']))) {
    const f = join(dir, `text-${n}.pdf`);
    await textPdf(f, n);
    cases.push([f, 'pdf', n]);
  }
  const settings: [string, NodeJS.ProcessEnv][] = [['', process.env]];
  if (values.arena) settings.push([' MALLOC_ARENA_MAX=2', { ...process.env, MALLOC_ARENA_MAX: '2' }]);
  for (const [label, env] of settings) {
    for (const type of ['tiff', 'pdf'] as const) {
      const curve: [number, number][] = [];
      for (const [file, t, n] of cases) {
        if (t !== type) continue;
        const t0 = performance.now();
        const r = measure(file, type, env);
        const s = (performance.now() - t0) / 1000;
        curve.push([n, r.peakMb]);
        const target = type === 'tiff' ? 400 : 500;
        if (curve.length === 1) console.log(`${r.reader}; blobs on ${bucket ? 'S3 (Ceph RGW)' : 'the filesystem'}`);
        console.log(
          `${type.padEnd(4)} ${String(n).padStart(4)} pages${label}: peak RSS ${r.peakMb.toFixed(0)} MB (idle engine ${r.idleMb.toFixed(0)} MB, ratio ${(r.peakMb / r.idleMb).toFixed(2)}), ${values.stage === 'capture' ? `${r.documents} document(s)` : `${r.words} words`}, ${s.toFixed(1)} s  target <= ${target} MB: ${r.peakMb <= target ? 'met' : 'NOT met'}`,
        );
      }
      const [first, last] = [curve[0], curve.at(-1)];
      if (first && last && last[0] > first[0]) console.log(`${type.padEnd(4)} growth${label}: ${(((last[1] - first[1]) / (last[0] - first[0])) * 100).toFixed(1)} MB per 100 pages`);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
  await bucket?.drop();
}
